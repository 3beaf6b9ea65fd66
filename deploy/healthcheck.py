"""Container health check: `python -m deploy.healthcheck [--role ROLE] [--ready]`.

The image's HEALTHCHECK runs it with no arguments: it tells the role from the
container's main process (gunicorn → web or gateway, `services.<name>.worker` →
worker, anything else → a job, healthy while it runs). A web process is alive when
`/healthz` answers 200 and ready when `/readyz` does (`--ready`: its database answers);
a worker is alive while it touches its heartbeat file (its main loop runs and every
thread is alive) and ready (`--ready`) when its database and broker accept TCP
connections. Standard library only: it runs every few seconds.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_PORTS = {"postgresql": 5432, "postgres": 5432, "amqp": 5672, "amqps": 5671}
_WORKER = re.compile(r"services\.([a-z_]+)\.worker")


def main_process_role(cmdline_path: Path = Path("/proc/1/cmdline")) -> tuple[str, str | None]:
    """("web" | "worker" | "job", service) read from the container's main process."""
    try:
        argv = cmdline_path.read_bytes().split(b"\0")
    except OSError:
        return "job", None
    text = " ".join(part.decode("utf-8", "replace") for part in argv)
    worker = _WORKER.search(text)
    if worker:
        return "worker", worker.group(1)
    if "gunicorn" in text:
        return "web", None
    return "job", None


def check_http(url: str, timeout: float) -> str | None:
    """None when `url` answers 200, else why not."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - loopback
            return None if response.status == 200 else f"{url} answered {response.status}"
    except urllib.error.HTTPError as exc:
        return f"{url} answered {exc.code}"
    except OSError as exc:
        return f"{url}: {exc}"


def check_tcp(url: str, timeout: float) -> str | None:
    """None when the host and port of `url` accept a TCP connection, else why not."""
    parsed = urlsplit(url)
    scheme = parsed.scheme.split("+")[0]
    if scheme in ("sqlite", "memory", ""):
        return None
    host, port = parsed.hostname or "127.0.0.1", parsed.port or DEFAULT_PORTS.get(scheme, 0)
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return None
    except OSError as exc:
        return f"{scheme}://{host}:{port}: {exc}"


def check_worker(service: str, timeout: float) -> list[str]:
    """Problems that keep a worker from doing its job: its database or broker unreachable."""
    urls = [os.environ.get(f"{service.upper()}_DATABASE_URL", ""), os.environ.get("AMQP_URL", "")]
    return [problem for url in urls if url and (problem := check_tcp(url, timeout))]


def check_heartbeat(service: str, max_age: float) -> list[str]:
    """Problems with the worker's liveness: its heartbeat file missing or older than `max_age`."""
    configured = os.environ.get("WORKER_HEARTBEAT_FILE")
    path = (
        Path(configured) if configured else Path(tempfile.gettempdir()) / f"community-{service}-worker.alive"
    )
    try:
        age = time.time() - path.stat().st_mtime
    except OSError:
        return [f"no heartbeat file {path}"]
    return [f"heartbeat {age:.0f}s old"] if age > max_age else []


def run(argv: list[str] | None = None) -> int:
    """Exit status 0 when healthy, 1 (with the reason on stderr) when not."""
    parser = argparse.ArgumentParser(prog="python -m deploy.healthcheck")
    parser.add_argument("--role", choices=("web", "worker", "job"), default=None)
    parser.add_argument("--service", default=None, help="The worker's service (role worker).")
    parser.add_argument(
        "--ready",
        action="store_true",
        help="Readiness (/readyz; a worker: database and broker) instead of liveness.",
    )
    parser.add_argument("--url", default=None, help="Base URL of the web process.")
    parser.add_argument("--timeout", type=float, default=3.0)
    args = parser.parse_args(argv)
    role, service = (args.role, args.service) if args.role else main_process_role()
    service = args.service or service
    problems: list[str] = []
    if role == "web":
        base = args.url or f"http://127.0.0.1:{os.environ.get('PORT', '8000')}"
        problem = check_http(f"{base.rstrip('/')}/{'readyz' if args.ready else 'healthz'}", args.timeout)
        problems = [problem] if problem else []
    elif role == "worker":
        if not service:
            parser.error("--service is needed with --role worker")
        problems = check_worker(service, args.timeout) if args.ready else check_heartbeat(service, 30.0)
    for problem in problems:
        print(f"unhealthy: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(run())
