"""The idempotent consumer against real PostgreSQL and RabbitMQ: retries, dead letters, replay."""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

from kombu import Connection, Exchange
from sqlalchemy import func, select

from services.chassis import deadletters, events
from services.chassis.worker import Worker
from tests.support.fixtures import TcpProxy
from tests.support.helpers import wait_for
from tests.unit.chassis import toy

CRASH_WORKER = Path(__file__).with_name("crash_worker.py")


def _effects(runtime, event_id=None):
    statement = select(func.count()).select_from(toy.Effect)
    if event_id:
        statement = statement.where(toy.Effect.event_id == event_id)
    with runtime.database.sessionmaker() as session:
        return session.scalar(statement)


def _queue_depth(runtime, queue_name):
    with Connection(runtime.settings.amqp_url) as connection:
        channel = connection.channel()
        _, count, _ = channel.queue_declare(queue=queue_name, passive=True)
        return count


def _publish(runtime, body, routing_key="toy.note.added"):
    with Connection(runtime.settings.amqp_url) as connection:
        producer = connection.Producer()
        exchange = Exchange(runtime.settings.exchange_name, type="topic", durable=True)
        producer.publish(
            body,
            exchange=exchange,
            routing_key=routing_key,
            declare=[exchange],
            content_type=events.CONTENT_TYPE,
            content_encoding="utf-8",
            retry=False,
        )


def test_consumer_killed_after_commit_before_ack_does_not_apply_twice(toy_runtime, tmp_path):
    runtime = toy_runtime()
    env = {
        **os.environ,
        "TOY_DB": runtime.settings.database_url,
        "TOY_AMQP": runtime.settings.amqp_url,
        "TOY_NS": runtime.settings.bus_namespace,
        "TOY_DATA": str(tmp_path),
    }
    crashing = subprocess.Popen([sys.executable, str(CRASH_WORKER)], env=env)
    try:
        wait_for(lambda: _queue_exists(runtime), timeout=20, message="the worker's queue")
        # Publish through the outbox and relay (the relay is the one in the crashing worker).
        event = toy.add_note(runtime, "kill me after commit")
        assert crashing.wait(timeout=30) == 3, "the worker should have died right after its commit"
    finally:
        if crashing.poll() is None:
            crashing.kill()
    assert _effects(runtime, event["id"]) == 1
    assert _queue_depth(runtime, runtime.settings.queue_name("events")) == 1, "unacked → requeued"

    worker = Worker(runtime, handlers={"toy.note.added": [toy.record_effect]})
    worker.start()
    try:
        wait_for(lambda: worker.consumer.processed >= 1, message="the redelivery")
    finally:
        worker.stop()
    assert _effects(runtime, event["id"]) == 1, "the redelivered event was applied twice"
    assert _queue_depth(runtime, runtime.settings.queue_name("events")) == 0


def _queue_exists(runtime):
    try:
        _queue_depth(runtime, runtime.settings.queue_name("events"))
        return True
    except Exception:
        return False


def test_failing_handler_is_dead_lettered_then_replayed_once_and_poison_never_blocks(toy_runtime):
    runtime = toy_runtime()
    broken = {"on": True}

    def record_effect(uow, event):
        if broken["on"] and event["data"]["title"] == "fragile":
            raise RuntimeError("printer on fire")
        toy.record_effect(uow, event)

    worker = Worker(runtime, handlers={"toy.note.added": [record_effect]})
    worker.start()
    assert worker.wait_ready()
    bus = runtime.bus
    try:
        fragile = toy.add_note(runtime, "fragile")
        wait_for(lambda: worker.consumer.dead_lettered >= 1, timeout=20, message="dead letter")
        letters = list(deadletters.browse(bus))
        assert len(letters) == 1
        letter = letters[0]
        assert letter["event_id"] == fragile["id"]
        assert letter["routing_key"] == "toy.note.added"
        assert letter["reason"] == "handler-failed"
        assert letter["attempts"] == 3  # first try + two retries (retry_delays=(0.2, 0.4))
        assert "RuntimeError: printer on fire" in letter["error"]
        assert _effects(runtime) == 0

        good = dict(fragile, id="00000000-0000-4000-8000-000000000001")
        poison = [
            b"this is not json",
            events.encode({k: v for k, v in fragile.items() if k != "id"}),
            events.encode(dict(fragile, specversion="0.3", id="00000000-0000-4000-8000-00000000000a")),
            events.encode(
                dict(fragile, type="toy.note.vanished.v1", id="00000000-0000-4000-8000-00000000000b")
            ),
        ]
        for body in poison:
            _publish(runtime, body)
        _publish(runtime, events.encode(dict(good, data={"note_id": fragile["subject"], "title": "fine"})))
        wait_for(lambda: _effects(runtime) == 1, message="the good message after the poison")
        wait_for(lambda: worker.consumer.dead_lettered >= 5, message="the poison in the DLQ")
        reasons = sorted((entry["reason"], entry["error"].split(":")[0]) for entry in deadletters.browse(bus))
        assert [r for r, _ in reasons].count("malformed") == 4
        assert {e for r, e in reasons if r == "malformed"} == {
            "body is not JSON",
            "missing or empty attribute 'id'",
            "unsupported specversion '0.3'",
            "no handler for event type 'toy.note.vanished.v1'",
        }

        broken["on"] = False
        assert deadletters.replay(bus, event_id=fragile["id"]) == 1
        wait_for(lambda: _effects(runtime, fragile["id"]) == 1, message="the replayed event")
        assert deadletters.replay(bus, event_id=fragile["id"]) == 0
        assert len(list(deadletters.browse(bus))) == 4  # the poison stays for inspection
        worker.stop_event.wait(0.5)
        assert _effects(runtime, fragile["id"]) == 1
    finally:
        worker.stop()


def test_a_database_outage_pauses_consumption_and_dead_letters_nothing(toy_runtime, postgres_databases):
    url = postgres_databases.empty("toy")
    target = urlsplit(url)
    proxy = TcpProxy(target.hostname or "127.0.0.1", target.port or 5432)
    runtime = toy_runtime(database_url=proxy.url_for(url))  # retry_delays (0.2, 0.4): 0.6 s to the DLQ
    direct = toy_runtime(database_url=url)
    worker = Worker(runtime, handlers={"toy.note.added": [toy.record_effect]})
    worker.start()
    assert worker.wait_ready()
    try:
        proxy.cut()
        event = toy.add_note(direct, "written while the worker's database is away")
        _publish(direct, events.encode(event))
        wait_for(lambda: worker.consumer.paused >= 8, timeout=30, message="the consumer waiting it out")
        assert worker.consumer.dead_lettered == 0
        assert _effects(direct) == 0
        proxy.restore()
        wait_for(lambda: _effects(direct, event["id"]) == 1, timeout=30, message="the event applied")
        assert worker.consumer.dead_lettered == 0
        assert list(deadletters.browse(runtime.bus)) == []
    finally:
        worker.stop()
        proxy.close()


SLOW_WORKER = Path(__file__).with_name("slow_worker.py")


def test_sigterm_lets_the_message_in_hand_finish_and_loses_nothing(toy_runtime, tmp_path):
    import signal

    runtime = toy_runtime()
    started = tmp_path / "started"
    env = {
        **os.environ,
        "TOY_DB": runtime.settings.database_url,
        "TOY_AMQP": runtime.settings.amqp_url,
        "TOY_NS": runtime.settings.bus_namespace,
        "TOY_DATA": str(tmp_path),
        "TOY_STARTED": str(started),
    }
    worker = subprocess.Popen([sys.executable, str(SLOW_WORKER)], env=env)
    try:
        wait_for(lambda: _queue_exists(runtime), timeout=20, message="the worker's queue")
        event = toy.add_note(runtime, "finish me")
        wait_for(started.exists, timeout=20, message="the handler to start")
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=30) == 0
    finally:
        if worker.poll() is None:
            worker.kill()
    assert _effects(runtime, event["id"]) == 1, "the message in hand was not finished"
    assert _queue_depth(runtime, runtime.settings.queue_name("events")) == 0, "it was not acked"


def test_quorum_queues_carry_events_and_retries(toy_runtime, rabbit_vhost):
    runtime = toy_runtime(quorum_queues=True)
    attempts = []

    def flaky(uow, event):
        attempts.append(event["id"])
        if len(attempts) == 1:
            raise RuntimeError("first try fails")
        toy.record_effect(uow, event)

    flaky.inbox_name = "record_effect"
    worker = Worker(runtime, handlers={"toy.note.added": [flaky]})
    worker.start()
    try:
        event = toy.add_note(runtime, "on a quorum queue")
        wait_for(lambda: _effects(runtime, event["id"]) == 1, timeout=20, message="the retry")
    finally:
        worker.stop()
    assert attempts == [event["id"], event["id"]]
    if rabbit_vhost.created:
        listed = subprocess.run(
            ["rabbitmqctl", "list_queues", "-q", "-p", rabbit_vhost.name, "name", "type"],
            capture_output=True,
            text=True,
            check=True,
        )
        types = dict(
            line.split("\t")[:2]
            for line in listed.stdout.splitlines()
            if line.startswith(runtime.settings.bus_namespace)
        )
        namespace = runtime.settings.bus_namespace
        assert types[f"{namespace}.toy.events"] == "quorum"
        assert types[f"{namespace}.toy.events.retry.1"] == "quorum"
        assert types[f"{namespace}.toy.events.dead"] == "quorum"


def test_a_backlog_is_handled_in_batches_and_a_bad_event_never_costs_the_others(toy_runtime):
    """Events already delivered share one transaction; a failing one rolls its batch back,
    and the batch is handled again one event at a time: each good event applied once, the
    duplicate skipped, the poison and the failing event dead-lettered, nothing else."""
    runtime = toy_runtime(consumer_batch=16)
    with Connection(runtime.settings.amqp_url) as connection:
        runtime.bus.declare(connection, ["toy.note.added"])
    seen: list[tuple[str, str | None]] = []

    def record_effect(uow, event):
        if event["data"]["title"] == "fragile":
            raise RuntimeError("printer on fire")
        seen.append((event["id"], uow.correlation_id))
        toy.record_effect(uow, event)

    good = [toy.add_note(runtime, f"note {i}", commit=False) for i in range(40)]
    for number, event in enumerate(good):
        event["correlationid"] = f"corr-{number}"
    fragile = dict(
        good[0], id="00000000-0000-4000-8000-0000000000ff", data={"note_id": "x", "title": "fragile"}
    )
    bodies = [events.encode(event) for event in good[:20]]
    bodies += [b"this is not json", events.encode(fragile), events.encode(good[3])]  # poison, failure, twin
    bodies += [events.encode(event) for event in good[20:]]
    for body in bodies:
        _publish(runtime, body)

    worker = Worker(runtime, handlers={"toy.note.added": [record_effect]})
    sizes: list[int] = []
    process_batch = worker.consumer.processor.process_batch

    def counted(batch):
        sizes.append(len(batch))
        return process_batch(batch)

    worker.consumer.processor.process_batch = counted
    worker.start()
    try:
        wait_for(lambda: _effects(runtime) == 40, timeout=30, message="every good event applied")
        wait_for(lambda: worker.consumer.dead_lettered == 2, timeout=30, message="poison and failure")
    finally:
        worker.stop()
    assert max(sizes) > 1, "the backlog was never handled as a batch"
    assert all(_effects(runtime, event["id"]) == 1 for event in good)
    assert {reason for reason in (e["reason"] for e in deadletters.browse(runtime.bus))} == {
        "malformed",
        "handler-failed",
    }
    committed = {event_id: correlation for event_id, correlation in seen}
    assert all(committed[event["id"]] == event["correlationid"] for event in good), (
        "a handler in a batch saw another event's correlation id"
    )
    assert _queue_depth(runtime, runtime.settings.queue_name("events")) == 0
