"""What the benchmarks that start servers share: their environment, a free port, waiting for a server."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def server_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a benchmarked server: quiet logs, its own data folder, the in-memory bus,
    the repository importable; `extra` on top."""
    return dict(
        os.environ,
        LOG_LEVEL="WARNING",
        COMMUNITY_DATA_DIR=str(data_dir),
        AMQP_URL="memory://",
        PYTHONPATH=str(ROOT),
        **extra,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_http(url: str, timeout: float = 30.0) -> None:
    """Until `url` answers 200 (or RuntimeError after `timeout` seconds)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


@contextmanager
def baseline_tree(revision: str) -> Iterator[Path]:
    """The code of git `revision` in a temporary worktree (removed afterwards)."""
    folder = Path(tempfile.mkdtemp(prefix="bench-baseline-")) / "tree"
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", "--quiet", str(folder), revision], check=True
    )
    try:
        yield folder
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(folder)], check=False)


def side_by_side(
    script: str, trees: dict[str, Path], arguments: list[str], rounds: int
) -> dict[str, dict[str, float]]:
    """Run `script --json --code TREE` for each tree in turn, `rounds` times; the minimum of
    each figure per tree (the run least disturbed by the rest of the machine)."""
    best: dict[str, dict[str, float]] = {name: {} for name in trees}
    for _ in range(rounds):
        for name, tree in trees.items():
            output = subprocess.run(
                [sys.executable, script, "--json", "--code", str(tree), *arguments],
                check=True,
                capture_output=True,
                text=True,
                env={**os.environ, "LOG_LEVEL": "WARNING"},
            ).stdout
            figures = json.loads(output.strip().splitlines()[-1])
            for label, value in figures.items():
                best[name][label] = min(value, best[name].get(label, value))
    return best
