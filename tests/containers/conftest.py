"""The platform as a district runs it: images built with podman from Debian packages and
the wheelhouse, the compose stack started by `make up`, the gateway reached on a host
port, the broker's exchange tapped on the stack's own AMQP port.

Every step is the district's own command (docs/operations.md), run from the repository
root with a settings file and project name of the test's own; the time each step took is
written to test-output/containers-times.json (and printed by the tier)."""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from services.chassis import auth
from services.chassis.config import COMMUNITIES, Settings

ROOT = Path(__file__).resolve().parents[2]
PROJECT = "community-tier"
CLOCK_FILE = "/var/lib/community/clock/offset"  # in the clock volume (deploy/compose.yaml)
GATEWAY_PORT = 18080  # the host's own services hold 5432, 5672, 6379 (and often 8080, 15672)
TIMES = ROOT / "test-output" / "containers-times.json"


@dataclass
class ContainerStack:
    """The running compose stack: commands, tokens signed with its key, its URLs."""

    env_file: Path
    keys: Path
    settings: dict[str, str]
    times: dict[str, float] = field(default_factory=dict)
    ran: set[str] = field(default_factory=lambda: {"host-setup"})  # `make test-containers` ran it

    @property
    def gateway_url(self) -> str:
        return f"http://127.0.0.1:{GATEWAY_PORT}"

    @property
    def broker_url(self) -> str:
        """The broker's administrator (a tap declares its own queue) on 127.0.0.1."""
        s = self.settings
        return f"amqp://{s['RABBITMQ_ADMIN_USER']}:{s['RABBITMQ_ADMIN_PASSWORD']}@127.0.0.1:{s['RABBITMQ_AMQP_PORT']}//"

    def make(self, *targets: str, timed: str | None = None) -> str:
        """`make TARGET` as the district runs it; its output; its time under `timed`."""
        started = time.monotonic()
        done = subprocess.run(
            ["make", "--no-print-directory", *targets],
            cwd=ROOT,
            env={**os.environ, "ENV_FILE": str(self.env_file), "COMPOSE_PROJECT": PROJECT},
            capture_output=True,
            text=True,
            timeout=900,
        )
        self.ran.update(t for t in targets if not t.startswith("-"))
        assert done.returncode == 0, f"make {targets}:\n{done.stdout}\n{done.stderr}"
        if timed:
            self.record(timed, time.monotonic() - started)
        return done.stdout + done.stderr

    def move_clock(self, by: timedelta) -> None:
        """Every container's clock ahead by `by` (the clock volume's offset file)."""
        volume = self.podman("volume", "inspect", "--format", "{{.Mountpoint}}", f"{PROJECT}_clock")
        Path(volume.stdout.strip(), Path(CLOCK_FILE).name).write_text(str(by.total_seconds()))

    def record(self, step: str, seconds: float) -> None:
        """How long a step took (reported, never asserted): test-output/containers-times.json."""
        self.times[step] = round(seconds, 1)
        TIMES.parent.mkdir(exist_ok=True)
        TIMES.write_text(json.dumps(self.times, indent=2))

    def container(self, service: str) -> str:
        return f"{PROJECT}_{service}_1"

    def podman(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(["podman", *args], capture_output=True, text=True, timeout=120)
        assert not check or done.returncode == 0, (args, done.stdout, done.stderr)
        return done

    def token(
        self, *roles: str, communities: tuple[str, ...] = COMMUNITIES, sub: str | None = None, **claims: Any
    ) -> str:
        """A bearer token the stack accepts: signed with the key its `jwt-keys` job made."""
        settings = Settings.from_env(
            "containers",
            {
                "data_dir": self.keys.parent,
                "jwt_jwks_url": None,
                "jwt_private_key_path": self.keys / "jwt-private.pem",
                "jwt_public_key_path": self.keys / "jwt-public.pem",
                "jwt_issuer": "community-platform",
                "jwt_audience": "community-platform",
            },
        )
        return auth.issue_token(
            settings, sub=sub or f"{roles[0]}-containers", roles=roles, communities=communities, **claims
        )


def _settings(env_file: Path) -> dict[str, str]:
    pairs = (line.split("=", 1) for line in env_file.read_text().splitlines() if "=" in line)
    return {key: value for key, value in pairs if not key.startswith("#")}


@pytest.fixture(scope="package")
def container_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ContainerStack]:
    """Images built (base, infrastructure, platform), the stack up and ready at /readyz."""
    folder = tmp_path_factory.mktemp("containers")
    env_file = folder / "compose.env"
    subprocess.run(["sh", "deploy/containers/make-env.sh", str(env_file)], cwd=ROOT, check=True)
    text = env_file.read_text()
    text = text.replace("GATEWAY_PORT=8080", f"GATEWAY_PORT={GATEWAY_PORT}")
    text = text.replace("RABBITMQ_MANAGEMENT_PORT=15672", "RABBITMQ_MANAGEMENT_PORT=15680")
    text = text.replace("RABBITMQ_AMQP_PORT=5673", "RABBITMQ_AMQP_PORT=5680")
    text = text.replace("COMMUNITY_CLOCK_OFFSET_FILE=\n", f"COMMUNITY_CLOCK_OFFSET_FILE={CLOCK_FILE}\n")
    env_file.write_text(text)
    stack = ContainerStack(env_file, folder / "keys", _settings(env_file))
    stack.make("down")  # a stack of an interrupted run of this tier
    _remove_volumes()
    for target in ("wheelhouse", "base-image", "infra-images", "image"):
        stack.make(target, timed=target)
    stack.make("up", timed="up")
    stack.keys.mkdir()
    for name in ("jwt-private.pem", "jwt-public.pem"):
        pem = stack.podman(
            "exec", stack.container("gateway"), "cat", f"/var/lib/community/keys/{name}"
        ).stdout
        (stack.keys / name).write_text(pem)
    try:
        yield stack
    finally:
        stack.make("down")
        _remove_volumes()
        print(f"\ncontainer tier times (s): {json.dumps(stack.times)}")


def _remove_volumes() -> None:
    found = subprocess.run(
        ["podman", "volume", "ls", "--quiet", "--filter", f"label=io.podman.compose.project={PROJECT}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    if found:
        subprocess.run(["podman", "volume", "rm", "--force", *found], check=True, capture_output=True)
