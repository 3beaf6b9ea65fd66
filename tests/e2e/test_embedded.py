"""`make run`: the embedded platform in one process, as a user starts it."""

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

from services import SERVICES

ROOT = Path(__file__).resolve().parents[2]


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url, token=None):
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


class Embedded:
    def __init__(self, data_dir, port):
        self.data_dir, self.port = data_dir, port
        self.url = f"http://127.0.0.1:{port}"
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "services.chassis.cli", "up", "--port", str(port),
             "--data-dir", str(data_dir)],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.output = []
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                break
            self.output.append(line)
            if "Press Ctrl-C to stop." in line:
                return
        self.process.kill()
        pytest.fail("embedded platform did not start:\n" + "".join(self.output))

    def stop(self):
        self.process.send_signal(signal.SIGINT)
        code = self.process.wait(timeout=30)
        self.output.extend(self.process.stdout.readlines())
        return code


@pytest.fixture
def data_dir(tmp_path):
    return tmp_path / "var"


def test_make_run_serves_every_service_through_the_gateway_and_stops_cleanly(data_dir):
    platform = Embedded(data_dir, _free_port())
    try:
        assert any(platform.url in line for line in platform.output)
        for service in SERVICES:
            status, body = _get(f"{platform.url}/api/{service}/healthz")
            assert (status, body["service"]) == (200, service)
            status, body = _get(f"{platform.url}/api/{service}/readyz")
            assert status == 200, body
    finally:
        code = platform.stop()
    assert code == 0, "".join(platform.output)
    assert "Stopped." in "".join(platform.output)
    assert sorted(p.name for p in data_dir.glob("*.db")) == sorted(f"{s}.db" for s in SERVICES)


def test_data_and_keys_survive_a_restart(data_dir):
    first = Embedded(data_dir, _free_port())
    first.stop()
    key = (data_dir / "keys" / "jwt-public.pem").read_bytes()
    stamps = {p.name: p.stat().st_size for p in data_dir.glob("*.db")}
    second = Embedded(data_dir, _free_port())
    try:
        status, _ = _get(f"{second.url}/api/intake/readyz")
        assert status == 200
    finally:
        assert second.stop() == 0
    assert (data_dir / "keys" / "jwt-public.pem").read_bytes() == key
    assert all(p.stat().st_size >= stamps[p.name] for p in data_dir.glob("*.db"))
