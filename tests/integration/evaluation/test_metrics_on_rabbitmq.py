"""Intake, grid and contracts events on real RabbitMQ → the read model on real PostgreSQL."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy.exc import IntegrityError

from services.chassis import events as cloudevents
from services.chassis.consumer import EventProcessor
from services.evaluation.usecases import CONSUMED
from tests.support.helpers import wait_for
from tests.unit.evaluation import story

pytestmark = [pytest.mark.postgres, pytest.mark.rabbitmq]
URL = "/measurements?community=huaguoshan&year=2026"


def publish(harness, events):
    """Publish as the producers' relays do: on the exchange, routing key = event name."""
    for event in events:
        harness.runtime.bus.publish_raw(
            cloudevents.encode(event), routing_key=cloudevents.event_name(event), message_id=event["id"]
        )


def measured(harness, people):
    response = harness.client.get(URL, headers=people["committee"])
    assert response.status_code == 200, response.get_json()
    return response.get_json()["metrics"]


def test_events_on_the_exchange_produce_the_metrics_once(service, people):
    harness = service("evaluation", backend="postgres", bus="rabbitmq")
    worker = harness.start_worker()
    events = story.events()
    publish(harness, events)
    wait_for(lambda: worker.consumer.processed == len(events), message="first delivery")
    assert harness.count("inbox") == len(events)
    assert measured(harness, people) == story.EXPECTED

    publish(harness, events)  # the same events delivered twice
    wait_for(lambda: worker.consumer.processed == 2 * len(events), message="redelivery")
    assert harness.count("inbox") == len(events)
    assert measured(harness, people) == story.EXPECTED

    publish(harness, [story.equivalent(e) for e in events])  # same facts, new ids
    wait_for(lambda: worker.consumer.processed == 3 * len(events), message="equivalents")
    assert harness.count("inbox") == 2 * len(events)
    assert measured(harness, people) == story.EXPECTED
    assert worker.consumer.dead_lettered == 0


def test_malformed_event_is_dead_lettered_not_counted(service, people):
    harness = service("evaluation", backend="postgres", bus="rabbitmq")
    worker = harness.start_worker()
    broken = story.events()[0]
    broken.pop("community")
    publish(harness, [broken])
    wait_for(lambda: worker.consumer.dead_lettered == 1, message="dead letter")
    assert harness.count("metric_events") == 0
    assert measured(harness, people)["tickets_served"] == 0.0


def test_equivalent_events_processed_by_concurrent_consumers_count_once(service, people):
    harness = service("evaluation", backend="postgres")
    events = story.events()
    twins = [story.equivalent(e) for e in events]
    conflicts: list[str] = []
    failures: list[BaseException] = []

    def consume(batch):
        """One replica: a conflicting twin fails and is retried, as the consumer does."""
        processor = EventProcessor(harness.runtime.settings, harness.runtime.database, CONSUMED.handlers)
        for event in batch:
            for _attempt in range(5):
                try:
                    processor.process(event)
                    break
                except IntegrityError as exc:
                    conflicts.append(type(exc.orig).__name__)
            else:
                failures.append(RuntimeError(f"{event['id']} never went through"))

    replicas = [threading.Thread(target=consume, args=(batch,)) for batch in (events, twins, events[::-1])]
    for replica in replicas:
        replica.start()
    for replica in replicas:
        replica.join(120)
    assert failures == []
    assert set(conflicts) <= {"UniqueViolation"}
    assert harness.count("inbox") == 2 * len(events)
    assert measured(harness, people) == story.EXPECTED


def test_rebuild_on_postgres_writes_exactly_the_rows_the_consumer_wrote(service, people):
    from services.evaluation.usecases import readmodel
    from tests.unit.evaluation.test_measurements import projection_rows

    harness = service("evaluation", backend="postgres")
    processor = EventProcessor(harness.runtime.settings, harness.runtime.database, CONSUMED.handlers)
    events = story.events()
    for event in [*events, *[story.equivalent(e) for e in reversed(events)]]:
        processor.process(event)
    consumed = projection_rows(harness)
    assert readmodel.rebuild(harness.runtime.database) == 2 * len(events)
    assert projection_rows(harness) == consumed
    assert measured(harness, people) == story.EXPECTED
