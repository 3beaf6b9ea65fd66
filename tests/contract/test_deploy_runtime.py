"""The image's processes as they run: gunicorn config (JSON access log, multi-process
metrics, graceful stop) and the health check, started through the entrypoint."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from deploy import healthcheck

ROOT = Path(__file__).resolve().parents[2]
ENTRYPOINT = ROOT / "deploy" / "docker-entrypoint.sh"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> tuple[int, dict[str, str], bytes]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, dict(response.headers), response.read()


def wait_http(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"exited with {process.returncode}")
        try:
            get(url)
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within {timeout}s")


@pytest.fixture
def web_process(tmp_path):
    """`<image> web intake` on a free port, SQLite and the in-memory bus, two workers."""
    database = tmp_path / "intake.db"
    from deploy import registry
    from services.chassis import migrations

    migrations.upgrade(registry.migrations("intake"), f"sqlite:///{database}")
    port = free_port()
    env = {
        "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
        "PYTHONPATH": str(ROOT),
        "GUNICORN_CONF": str(ROOT / "deploy" / "gunicorn.conf.py"),
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "GUNICORN_WORKERS": "2",
        "GUNICORN_THREADS": "2",
        "GUNICORN_GRACEFUL_TIMEOUT": "5",
        "TMPDIR": str(tmp_path),
        "COMMUNITY_DATA_DIR": str(tmp_path),
        "INTAKE_DATABASE_URL": f"sqlite:///{database}",
        "AMQP_URL": "memory://",
        "LOG_LEVEL": "INFO",
        "GUNICORN_ACCESS_LOG": "-",  # gunicorn's own access line (off by default)
        "HTTP_CLIENT_TIMEOUT": "1",
    }
    stdout = (tmp_path / "stdout.log").open("w")
    process = subprocess.Popen(
        ["sh", str(ENTRYPOINT), "web", "intake"], env=env, cwd=ROOT, stdout=stdout, stderr=subprocess.STDOUT
    )
    try:
        wait_http(f"http://127.0.0.1:{port}/healthz", process)
        yield process, port, tmp_path
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)
        stdout.close()


def log_lines(folder: Path) -> list[dict]:
    lines = []
    for line in (folder / "stdout.log").read_text().splitlines():
        try:
            lines.append(json.loads(line))
        except ValueError:
            pass
    return lines


def test_web_process_logs_each_request_as_one_json_line_without_the_query(web_process):
    process, port, folder = web_process
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/healthz?phone=13800000000", headers={"X-Request-ID": "deploy-test-1"}
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.status == 200
    time.sleep(0.3)
    access = [line for line in log_lines(folder) if line.get("logger") == "gunicorn.access"]
    ours = [line for line in access if line.get("request_id") == "deploy-test-1"]
    assert ours, access
    assert ours[0]["method"] == "GET" and ours[0]["path"] == "/healthz"
    assert ours[0]["status"] == 200 and ours[0]["duration_ms"] >= 0
    assert ours[0]["process"] == "intake-web"
    assert "13800000000" not in (folder / "stdout.log").read_text()


def test_metrics_add_up_across_gunicorn_workers(web_process):
    process, port, folder = web_process
    for _ in range(12):
        get(f"http://127.0.0.1:{port}/healthz")
    folders = [p for p in folder.iterdir() if p.name.startswith("prometheus-")]
    assert len(folders) == 1 and any(folders[0].glob("*.db")), "no multi-process metrics folder"
    total = 0.0
    for _ in range(4):  # whichever worker answers, it reports every worker's samples
        _, _, body = get(f"http://127.0.0.1:{port}/metrics")
        samples = [
            line
            for line in body.decode().splitlines()
            if line.startswith("http_requests_total{") and 'route="/healthz"' in line
        ]
        total = sum(float(line.rsplit(" ", 1)[1]) for line in samples)
        assert total >= 12
    assert total >= 12


def test_health_check_module_reports_web_liveness_and_readiness(web_process):
    process, port, folder = web_process
    base = f"http://127.0.0.1:{port}"
    assert healthcheck.run(["--role", "web", "--url", base]) == 0
    assert healthcheck.run(["--role", "web", "--url", base, "--ready"]) == 0
    assert healthcheck.run(["--role", "web", "--url", f"http://127.0.0.1:{free_port()}"]) == 1


def test_sigterm_stops_gunicorn_gracefully_and_removes_its_metrics_folder(web_process):
    process, port, folder = web_process
    get(f"http://127.0.0.1:{port}/healthz")
    process.send_signal(signal.SIGTERM)
    assert process.wait(20) == 0
    assert not [p for p in folder.iterdir() if p.name.startswith("prometheus-")]
    messages = [line.get("message", "") for line in log_lines(folder)]
    assert any("Shutting down" in m or "Handling signal" in m for m in messages), messages
    assert not any("Control socket" in m for m in messages)


def test_worker_health_needs_its_database_and_broker(monkeypatch):
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        open_port = listener.getsockname()[1]
        monkeypatch.setenv("GRID_DATABASE_URL", f"postgresql://grid@127.0.0.1:{open_port}/grid")
        monkeypatch.setenv("AMQP_URL", f"amqp://grid@127.0.0.1:{open_port}//")
        assert healthcheck.run(["--role", "worker", "--service", "grid", "--ready"]) == 0
        monkeypatch.setenv("AMQP_URL", f"amqp://grid@127.0.0.1:{free_port()}//")
        assert healthcheck.run(["--role", "worker", "--service", "grid", "--ready"]) == 1


def test_worker_liveness_is_its_heartbeat_not_its_neighbours(monkeypatch, tmp_path):
    heartbeat = tmp_path / "grid-worker.alive"
    monkeypatch.setenv("WORKER_HEARTBEAT_FILE", str(heartbeat))
    monkeypatch.setenv("AMQP_URL", f"amqp://grid@127.0.0.1:{free_port()}//")  # broker away
    assert healthcheck.run(["--role", "worker", "--service", "grid"]) == 1  # never started
    heartbeat.touch()
    assert healthcheck.run(["--role", "worker", "--service", "grid"]) == 0
    stale = time.time() - 120
    os.utime(heartbeat, (stale, stale))
    assert healthcheck.run(["--role", "worker", "--service", "grid"]) == 1


def test_health_check_tells_the_role_from_the_main_process(tmp_path):
    cmdline = tmp_path / "cmdline"
    for argv, expected in [
        (["/opt/venv/bin/python", "/opt/venv/bin/gunicorn", "-c", "x", "a:b()"], ("web", None)),
        (["python", "-m", "services.evaluation.worker"], ("worker", "evaluation")),
        (["python", "-m", "deploy.cli", "migrate", "grid"], ("job", None)),
    ]:
        cmdline.write_bytes(b"\0".join(part.encode() for part in argv) + b"\0")
        assert healthcheck.main_process_role(cmdline) == expected
    assert healthcheck.main_process_role(tmp_path / "missing") == ("job", None)
    assert os.path.exists("/proc/1/cmdline")


def _hung_up(sock: socket.socket, patience: float = 20) -> bool:
    """Whether the server closed the connection (after any error answer) within `patience`."""
    sock.settimeout(patience)
    try:
        while sock.recv(65536):
            pass
        return True
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False


def test_a_slow_client_is_cut_off_and_frees_its_thread(web_process):
    _, port, _ = web_process
    # More stalled clients than the workers have threads (2 x 2): each is cut off after 1 s.
    stalled = [socket.create_connection(("127.0.0.1", port)) for _ in range(6)]
    for sock in stalled:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: slow")
    for sock in stalled:
        assert _hung_up(sock), "a stalled client kept its connection"
        sock.close()
    status, _, _ = get(f"http://127.0.0.1:{port}/healthz")
    assert status == 200
