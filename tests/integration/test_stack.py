"""The local stack against the real PostgreSQL and RabbitMQ: gunicorn per service, a worker
per service, and the gateway reading its upstreams from *_URL."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, pool, text

from deploy import registry
from deploy.registry import SERVICES
from services.chassis import migrations
from tests.support import environment

pytestmark = [pytest.mark.postgres, pytest.mark.rabbitmq]
ROOT = Path(__file__).resolve().parents[2]


def get_json(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


def database_exists(name: str) -> bool:
    engine = create_engine(
        environment.postgres_admin_url().replace("postgresql://", "postgresql+psycopg://"),
        poolclass=pool.NullPool,
    )
    try:
        with engine.connect() as connection:
            return bool(
                connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).scalar()
            )
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def running(rabbit_vhost, tmp_path_factory):
    with environment.running_stack(rabbit_vhost, tmp_path_factory.mktemp("stack"), "t", timeout=120) as stack:
        yield stack


def test_every_service_is_ready_with_its_own_database(running):
    for service, url in running.urls.items():
        status, body = get_json(f"{url}/readyz")
        assert status == 200, body
        assert body["service"] == service
        assert body["checks"] == {"database": "ok"}


def test_stack_tokens_are_accepted_by_the_services(running):
    token = running.token("admin")
    for url in running.urls.values():
        request = urllib.request.Request(f"{url}/openapi.json", headers={"Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200
    bad = urllib.request.Request(
        f"{running.urls['intake']}/openapi.json", headers={"Authorization": "Bearer not-a-token"}
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(bad, timeout=10)
    assert refused.value.code == 401


def test_each_service_has_its_own_migrated_database_and_role(running):
    for service in SERVICES:
        url = running.database_urls[service]
        assert f"/{running.database_name(service)}" in url
        assert url.split("://", 1)[1].startswith(running.database_name(service) + ":")
        assert migrations.current_revision(url) == migrations.head_revision(registry.migrations(service))


def test_gateway_routes_to_every_service_from_its_upstream_urls(running):
    assert running.gateway_url is not None
    status, body = get_json(f"{running.gateway_url}/healthz")
    assert status == 200, body
    for service in SERVICES:
        status, body = get_json(f"{running.gateway_url}/api/{service}/readyz")
        assert status == 200 and body["service"] == service, body


def test_a_killed_worker_is_restarted_and_consumes_again(running):
    old = running.kill_worker("grid")
    assert not running.children["grid-worker"].running()
    assert running.children["grid-worker"].process.returncode == -signal.SIGKILL
    new = running.restart_worker("grid")
    assert new != old
    wait_started(running, "grid", times=2)
    assert running.children["grid-worker"].running()


def wait_started(running, service: str, times: int) -> None:
    """Until the worker's log says it started `times` times (the log file is appended to)."""
    child = running.children[f"{service}-worker"]
    deadline = time.monotonic() + 60
    while child.log_path.read_text().count('"worker started"') < times:
        assert child.running(), child.tail()
        assert time.monotonic() < deadline, f"the {service} worker did not start"
        time.sleep(0.2)


def test_a_crashed_gunicorn_master_is_restarted_by_the_supervisor_and_reported(running):
    old = running.crash("evaluation-web")
    deadline = time.monotonic() + 60
    while not (
        running.children["evaluation-web"].pid != old
        and get_json_or_down(f"{running.urls['evaluation']}/readyz") == 200
    ):
        assert time.monotonic() < deadline, running.children["evaluation-web"].tail()
        time.sleep(0.2)
    assert [name for _, name, _ in running.restarts] == ["evaluation-web"]
    assert "supervisor: exited with -9; restarting" in running.children["evaluation-web"].log_path.read_text()


def test_a_gateway_restart_ends_its_event_streams_instead_of_waiting_out_the_graceful_timeout(running):
    """Event streams never end by themselves: on SIGTERM the gateway ends them, so its stop is
    not held for the whole graceful timeout (25 s) while nobody can connect."""
    token = running.token("department", sub="department-restart")
    request = urllib.request.Request(
        f"{running.gateway_url}/api/events/stream", headers={"Authorization": f"Bearer {token}"}
    )
    old = running.children["gateway"].pid
    with urllib.request.urlopen(request, timeout=60) as stream:
        assert stream.readline() == b"retry: 3000\n"
        running.restart("gateway")
        stream.read()  # returns when the gateway ends the stream; a read timeout fails the test
    deadline = time.monotonic() + 60
    while not (
        running.children["gateway"].pid != old and get_json_or_down(f"{running.gateway_url}/readyz") == 200
    ):
        assert time.monotonic() < deadline, running.children["gateway"].tail()
        time.sleep(0.2)
    log = running.children["gateway"].log_path.read_text(errors="replace")
    assert "Worker graceful timeout" not in log, running.children["gateway"].tail()
    assert "supervisor: exited with 0; restarting" in log


def get_json_or_down(url: str) -> int:
    try:
        return get_json(url)[0]
    except OSError:
        return 0


def test_a_stopped_worker_exits_cleanly(running):
    assert running.stop_worker("contracts") == 0
    assert '"worker stopped"' in running.children["contracts-worker"].log_path.read_text()
    running.restart_worker("contracts")
    wait_started(running, "contracts", times=2)


def test_stop_ends_every_process_cleanly_and_drops_the_test_databases(running):
    children = dict(running.children)
    statuses = running.stop()
    assert statuses == {name: 0 for name in children}, statuses
    assert not any(child.running() for child in children.values())
    for service in SERVICES:
        assert not database_exists(running.database_name(service))


def test_community_stack_command_prints_the_urls_and_stops_on_ctrl_c(rabbit_vhost, tmp_path):
    environment.need("postgres")
    prefix = f"t_{uuid.uuid4().hex[:8]}_"
    env = {
        **os.environ,
        "AMQP_URL": rabbit_vhost.url,
        "STACK_POSTGRES_URL": environment.postgres_admin_url(),
        "EVENT_BUS_NAMESPACE": f"t{uuid.uuid4().hex[:8]}",
    }
    command = [
        sys.executable,
        "-m",
        "deploy.cli",
        "stack",
        "--port",
        "0",
        "--service-port-base",
        "0",
        "--database-prefix",
        prefix,
        "--data-dir",
        str(tmp_path),
        "--drop-databases",
    ]
    process = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    lines: list[str] = []
    try:
        deadline = time.monotonic() + 180
        while not any("Press Ctrl-C" in line for line in lines):
            assert time.monotonic() < deadline and process.poll() is None, "".join(lines[-40:])
            lines.append(process.stdout.readline())
        urls = [
            line.split()[-1]
            for line in lines
            if line.strip().split(" ", 1)[0] in SERVICES and "http://" in line
        ]
        assert len(urls) == len(SERVICES)
        for url in urls:
            assert get_json(f"{url}/readyz")[0] == 200
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, output[-3000:]
    assert "Stopped." in output
    for service in SERVICES:
        assert not database_exists(f"{prefix}{service}")
    for url in urls:
        with pytest.raises(OSError):
            urllib.request.urlopen(f"{url}/healthz", timeout=2)
