"""What the benchmarks that start servers share: their environment, a free port, waiting for a server."""

from __future__ import annotations

import os
import socket
import time
import urllib.request
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
