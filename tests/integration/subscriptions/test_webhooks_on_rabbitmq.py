"""Webhook delivery on the real broker and database: a receiver down for ten minutes gets every
event afterwards, once each, in order per aggregate, each signature verified by the
independent `standardwebhooks` package; a revoked grant stops delivery; days of failure
disable a subscription and tell its owner."""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import text
from standardwebhooks import Webhook

from services.chassis import clock, events
from services.chassis.events import UUID, EventType, payload
from tests.support.helpers import bearer, wait_for
from tests.unit.subscriptions.conftest import HOTLINE, grant, subscribe

from .receiver import Receiver

pytestmark = [pytest.mark.postgres, pytest.mark.rabbitmq]

CASE_OPENED = EventType("grid.case.opened", "A test double of grid's event.", payload({"case_id": UUID}))
TICKET_ISSUED = EventType("intake.ticket.issued", "A test double of intake's event.", payload({}))


@pytest.fixture
def moment():
    manual = clock.ManualClock(clock.system_now())
    with clock.use(manual):
        yield manual


@pytest.fixture
def platform(service, token, moment):
    harness = service(
        "subscriptions",
        backend="postgres",
        bus="rabbitmq",
        allow_http=True,
        allow_private_targets=True,
        delivery_interval_seconds=0.05,
        delivery_timeout_seconds=2.0,
    )
    harness.start_worker()
    return (
        harness,
        bearer(token("admin", community=None)),
        bearer(token("department", community=None, department=HOTLINE)),
    )


def publish(harness: Any, event_type: EventType, subject: str, data: dict[str, Any]) -> dict[str, Any]:
    """An event on the exchange as a service's relay publishes it (CloudEvent, routing key = name)."""
    event = events.build(
        event_type, source="/grid", subject=subject, community="huaguoshan", data=data, sequence=1
    )
    harness.runtime.bus.publish_raw(events.encode(event), routing_key=event_type.name, message_id=event["id"])
    return event


def deliveries(harness: Any, where: str = "TRUE") -> list[dict[str, Any]]:
    with harness.runtime.database.engine.connect() as connection:
        rows = connection.execute(text(f"SELECT * FROM deliveries WHERE {where} ORDER BY id"))
        return [dict(row._mapping) for row in rows]


def test_a_receiver_down_for_ten_minutes_gets_every_event_once_in_order_per_aggregate(platform, moment):
    harness, admin, hotline = platform
    receiver = Receiver()
    grant(harness.client, admin, "grid.case.*")
    created = subscribe(harness.client, hotline, url=receiver.url).get_json()
    secret = created["secret"]

    cases = [str(uuid.uuid4()) for _ in range(3)]
    produced: dict[str, list[str]] = defaultdict(list)
    for minute in range(10):  # ten minutes of events while the receiver is down
        for case in cases:
            event = publish(harness, CASE_OPENED, case, {"case_id": case})
            produced[case].append(event["id"])
        publish(harness, TICKET_ISSUED, str(uuid.uuid4()), {})  # not subscribed
        wait_for(lambda n=minute: len(deliveries(harness)) == 3 * (n + 1), message="the events recorded")
        wait_for(lambda: all(d["attempts"] for d in deliveries(harness, "status = 'pending'")[:1]))
        moment.advance(timedelta(minutes=1))
    assert receiver.count() == 0
    failing = json.loads(
        json.dumps(harness.client.get(f"/subscriptions/{created['id']}", headers=hotline).get_json())
    )
    assert failing["failing_since"] is not None and failing["status"] == "active"

    receiver.start()
    try:
        moment.advance(timedelta(hours=2))  # past the longest backoff (1 h cap)
        wait_for(lambda: receiver.count() >= 30, timeout=60, message="all thirty events delivered")
        wait_for(lambda: not deliveries(harness, "status = 'pending'"), message="nothing pending")
    finally:
        receiver.stop()

    verifier = Webhook(secret)
    seen: dict[str, list[str]] = defaultdict(list)
    ids = []
    for headers, body in receiver.received:
        event = verifier.verify(body, headers)
        assert headers["webhook-id"] == event["id"]
        ids.append(event["id"])
        seen[event["subject"]].append(event["id"])
    assert len(ids) == len(set(ids)) == 30
    assert seen == produced
    log = harness.client.get(
        f"/subscriptions/{created['id']}/deliveries?page_size=50", headers=hotline
    ).get_json()
    assert {d["status"] for d in log} == {"delivered"} and max(d["attempts"] for d in log) > 1
    again = harness.client.get(f"/subscriptions/{created['id']}", headers=hotline).get_json()
    assert again["failing_since"] is None


def test_a_revoked_type_stops_being_delivered(platform, moment):
    harness, admin, hotline = platform
    receiver = Receiver().start()
    try:
        granted = grant(harness.client, admin, "grid.case.*")
        sid = subscribe(harness.client, hotline, url=receiver.url).get_json()["id"]
        first = publish(harness, CASE_OPENED, "c1", {"case_id": str(uuid.uuid4())})
        wait_for(lambda: receiver.count() == 1, message="the first event delivered")

        harness.client.post(f"/subscriptions/{sid}/pause", headers=hotline)
        held = publish(harness, CASE_OPENED, "c1", {"case_id": str(uuid.uuid4())})
        wait_for(lambda: len(deliveries(harness)) == 2, message="the second event recorded while paused")
        assert harness.client.delete(f"/grants/{granted['id']}", headers=admin).status_code == 204
        harness.client.post(f"/subscriptions/{sid}/resume", headers=hotline)
        wait_for(lambda: deliveries(harness, "status = 'withheld'"), message="the held event withheld")
        publish(harness, CASE_OPENED, "c1", {"case_id": str(uuid.uuid4())})
        marker = publish(harness, TICKET_ISSUED, "t1", {})
        wait_for(lambda: harness.count("inbox") >= 4, message="the later events consumed")
    finally:
        receiver.stop()
    assert [json.loads(body)["id"] for _, body in receiver.received] == [first["id"]]
    assert [d["event_id"] for d in deliveries(harness)] == [first["id"], held["id"]]
    assert marker["id"] not in {d["event_id"] for d in deliveries(harness)}


def test_days_of_failure_disable_the_subscription_and_tell_its_owner(platform, moment):
    harness, admin, hotline = platform
    grant(harness.client, admin, "grid.case.*")
    receiver = Receiver()  # never up
    sid = subscribe(harness.client, hotline, url=receiver.url).get_json()["id"]
    publish(harness, CASE_OPENED, "c1", {"case_id": str(uuid.uuid4())})
    wait_for(
        lambda: deliveries(harness) and deliveries(harness)[0]["attempts"] == 1, message="a failed attempt"
    )
    moment.advance(timedelta(hours=71))
    wait_for(lambda: deliveries(harness)[0]["attempts"] == 2, message="a second failed attempt")
    assert harness.client.get(f"/subscriptions/{sid}", headers=hotline).get_json()["status"] == "active"
    moment.advance(timedelta(hours=2))
    wait_for(
        lambda: (
            harness.client.get(f"/subscriptions/{sid}", headers=hotline).get_json()["status"] == "disabled"
        )
    )
    told = [e for e in harness.outbox() if e["type"] == "subscriptions.subscription.disabled.v1"]
    assert [e["data"]["subscription_id"] for e in told] == [sid]
    assert told[0]["data"]["department"] == HOTLINE and told[0]["data"]["pending_deliveries"] == 1
