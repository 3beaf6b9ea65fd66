"""The outbox and relay against real PostgreSQL and RabbitMQ: nothing lost, nothing twice."""

import threading
import uuid

from services.chassis.bus import Bus
from services.chassis.outbox import Relay
from services.chassis.worker import Worker
from tests.support.helpers import wait_for
from tests.unit.chassis import toy


def _by_subject_in_order(events):
    sequences = {}
    for event in events:
        sequences.setdefault(event["subject"], []).append(int(event["sequence"]))
    return sequences


def test_committed_event_reaches_subscriber_once_and_rolled_back_publishes_nothing(
    toy_runtime, subscribe, amqp_url
):
    runtime = toy_runtime()
    subscriber = subscribe(amqp_url, runtime.settings.exchange_name, "toy.#")
    worker = Worker(runtime)
    worker.start()
    try:
        committed = toy.add_note(runtime, "committed")
        toy.add_note(runtime, "rolled back", commit=False)
        wait_for(lambda: subscriber.events, message="the committed event")
        worker.stop_event.wait(1.0)  # give a duplicate or the rolled-back event time to show
    finally:
        worker.stop()
    assert [e["id"] for e in subscriber.events] == [committed["id"]]
    assert subscriber.events[0]["data"] == {"note_id": committed["subject"], "title": "committed"}
    assert subscriber.events[0]["sequence"] == "1"


def test_relay_survives_a_cut_broker_connection(toy_runtime, subscribe, amqp_url, broker_proxy):
    runtime = toy_runtime(amqp=broker_proxy.url_for(amqp_url))
    subscriber = subscribe(amqp_url, runtime.settings.exchange_name, "toy.#")
    aggregates = [str(uuid.uuid4()) for _ in range(4)]
    worker = Worker(runtime)
    worker.start()
    try:
        written = [toy.add_note(runtime, f"before {i}", subject=aggregates[i % 4]) for i in range(20)]
        wait_for(lambda: len(subscriber.events) >= 20, message="events before the cut")
        broker_proxy.cut()
        written += [toy.add_note(runtime, f"during {i}", subject=aggregates[i % 4]) for i in range(40)]
        worker.stop_event.wait(1.5)  # the relay fails and backs off while the broker is away
        assert len(subscriber.events) == 20
        broker_proxy.restore()
        wait_for(lambda: len(subscriber.events) >= 60, timeout=30, message="events after restore")
        worker.stop_event.wait(1.0)
    finally:
        worker.stop()
    ids = [e["id"] for e in subscriber.events]
    assert len(ids) == len(set(ids)) == 60, "an event was lost or published twice"
    assert set(ids) == {e["id"] for e in written}
    for subject, sequences in _by_subject_in_order(subscriber.events).items():
        assert sequences == sorted(sequences) == list(range(1, 16)), subject


def test_two_relays_on_one_outbox_publish_each_event_once_in_order(toy_runtime, subscribe, amqp_url):
    runtime = toy_runtime(outbox_batch_size=25)
    subscriber = subscribe(amqp_url, runtime.settings.exchange_name, "toy.#")
    aggregates = [str(uuid.uuid4()) for _ in range(100)]
    written = [toy.add_note(runtime, f"n{i}", subject=aggregates[i % 100]) for i in range(500)]
    relays = [
        Relay(runtime.settings, runtime.database, Bus(runtime.settings), runtime.signal) for _ in range(2)
    ]
    stop = threading.Event()
    threads = [threading.Thread(target=relay.run, args=(stop,)) for relay in relays]
    for thread in threads:
        thread.start()
    try:
        wait_for(lambda: len(subscriber.events) >= 500, timeout=60, message="500 events")
        stop.wait(1.0)
    finally:
        stop.set()
        runtime.signal.wake()
        for thread in threads:
            thread.join(10)
    ids = [e["id"] for e in subscriber.events]
    assert len(ids) == len(set(ids)) == 500
    assert set(ids) == {e["id"] for e in written}
    assert all(relay.published > 0 for relay in relays), [r.published for r in relays]
    assert sum(relay.published for relay in relays) == 500
    for subject, sequences in _by_subject_in_order(subscriber.events).items():
        assert sequences == list(range(1, 6)), subject
