"""`community events tail`, `community dlq list|replay` and the department example, on RabbitMQ."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from kombu import Connection, Exchange

from services.chassis import events
from services.chassis.worker import Worker
from tests.support.helpers import wait_for
from tests.unit.chassis import toy

ROOT = Path(__file__).resolve().parents[3]


def _env(runtime, **extra):
    return {
        **os.environ,
        "AMQP_URL": runtime.settings.amqp_url,
        "EVENT_BUS_NAMESPACE": runtime.settings.bus_namespace,
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


def _cli(runtime, *args):
    return subprocess.run(
        [sys.executable, "-m", "deploy.cli", *args],
        cwd=ROOT,
        env=_env(runtime),
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_events_tail_prints_each_event_as_one_json_line(toy_runtime):
    runtime = toy_runtime()
    tail = subprocess.Popen(
        [sys.executable, "-m", "deploy.cli", "events", "tail", "toy.note.*", "--count", "2"],
        cwd=ROOT,
        env=_env(runtime),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    worker = Worker(runtime)
    worker.start()
    try:
        assert tail.stderr.readline().startswith("tailing toy.note.*")  # its queue is bound
        first, second = toy.add_note(runtime, "one"), toy.add_note(runtime, "two")
        out, _ = tail.communicate(timeout=30)
    finally:
        worker.stop()
        tail.kill()
    lines = [json.loads(line) for line in out.strip().splitlines()]
    assert [line["id"] for line in lines] == [first["id"], second["id"]]


def test_dlq_list_and_replay_from_the_command_line(toy_runtime):
    runtime = toy_runtime()
    namespace = runtime.settings.bus_namespace
    dead, main_queue = f"{namespace}.intake.events.dead", f"{namespace}.intake.events"
    body = events.encode(
        {
            "specversion": "1.0",
            "id": "11111111-1111-4111-8111-111111111111",
            "source": "/services/grid",
            "type": "grid.case.resolved.v1",
            "data": {},
        }
    )
    with Connection(runtime.settings.amqp_url) as connection:
        channel = connection.channel()
        channel.queue_declare(dead, durable=True, auto_delete=False)
        channel.queue_declare(main_queue, durable=True, auto_delete=False)
        connection.Producer(channel).publish(
            body,
            exchange="",
            routing_key=dead,
            headers={
                "x-error": "KeyError: 'case_id'",
                "x-attempts": 4,
                "x-original-routing-key": "grid.case.resolved",
                "x-death-reason": "handler-failed",
            },
        )
    listed = _cli(runtime, "dlq", "list", "intake")
    assert listed.returncode == 0, listed.stderr
    letter = json.loads(listed.stdout.strip())
    assert letter["event_id"] == "11111111-1111-4111-8111-111111111111"
    assert letter["error"] == "KeyError: 'case_id'" and letter["attempts"] == 4
    assert _cli(runtime, "dlq", "list", "intake").stdout == listed.stdout  # listing keeps them
    assert _cli(runtime, "dlq", "replay", "intake").returncode == 2  # needs --id or --all
    replayed = _cli(runtime, "dlq", "replay", "intake", "--all")
    assert replayed.returncode == 0 and "replayed 1 message" in replayed.stderr
    with Connection(runtime.settings.amqp_url) as connection:
        channel = connection.channel()
        assert channel.queue_declare(dead, passive=True).message_count == 0
        assert channel.queue_declare(main_queue, passive=True).message_count == 1
        channel.queue_delete(dead)
        channel.queue_delete(main_queue)


def test_department_example_with_pika_receives_events(toy_runtime):
    runtime = toy_runtime()
    queue = f"{runtime.settings.bus_namespace}.department.test"
    env = _env(runtime, EVENT_EXCHANGE=runtime.settings.exchange_name, DEPARTMENT_QUEUE=queue, LIMIT="1")
    subscriber = subprocess.Popen(
        [sys.executable, str(ROOT / "docs/examples/department_subscriber.py"), "toy.note.*"],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    worker = Worker(runtime)
    worker.start()
    try:
        with Connection(runtime.settings.amqp_url) as connection:
            Exchange(runtime.settings.exchange_name, type="topic", durable=True)(
                connection.channel()
            ).declare()
            wait_for(lambda: _queue_bound(connection, queue), timeout=20, message="pika's queue")
        note = toy.add_note(runtime, "for the department")
        out, _ = subscriber.communicate(timeout=30)
    finally:
        worker.stop()
        subscriber.kill()
        with Connection(runtime.settings.amqp_url) as connection:
            connection.channel().queue_delete(queue)
    assert out.split()[:3] == ["toy.note.added.v1", note["subject"], "huaguoshan"]


def _queue_bound(connection, queue):
    try:
        connection.channel().queue_declare(queue, passive=True)
        time.sleep(0.3)  # the bind follows the declare
        return True
    except Exception:
        return False
