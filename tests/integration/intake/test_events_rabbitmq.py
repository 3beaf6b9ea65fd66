"""The intake worker on real RabbitMQ and PostgreSQL: referral out, grid's resolution in."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from kombu import Connection, Exchange, Producer, Queue
from sqlalchemy import text

from services.chassis import events as ce
from tests.support.helpers import bearer, wait_for
from tests.unit.intake.test_cases_and_events import GRID_CASE_RESOLVED

pytestmark = [pytest.mark.postgres, pytest.mark.rabbitmq]


class Tap:
    """Our own queue bound to the exchange: sees what every consumer would see."""

    def __init__(self, url: str, exchange_name: str, pattern: str) -> None:
        self.connection = Connection(url)
        self.exchange = Exchange(exchange_name, type="topic", durable=True)
        self.queue = Queue(
            f"tap-{uuid.uuid4().hex[:8]}",
            exchange=self.exchange,
            routing_key=pattern,
            exclusive=True,
            auto_delete=True,
        )
        self.queue(self.connection.default_channel).declare()
        self.seen: list[dict[str, Any]] = []

    def drain(self) -> list[dict[str, Any]]:
        while True:
            message = self.queue(self.connection.default_channel).get(no_ack=True)
            if message is None:
                return self.seen
            self.seen.append(json.loads(message.body))

    def publish(self, event: dict[str, Any], routing_key: str) -> None:
        producer = Producer(self.connection.default_channel, exchange=self.exchange)
        producer.publish(
            ce.encode(event),
            routing_key=routing_key,
            content_type=ce.CONTENT_TYPE,
            delivery_mode=2,
            message_id=event["id"],
        )

    def close(self) -> None:
        self.connection.release()


def test_referral_reaches_the_exchange_and_grid_resolution_applies_once(service, token):
    harness = service("intake", backend="postgres", bus="rabbitmq")
    settings = harness.runtime.settings
    tap = Tap(settings.amqp_url, settings.exchange_name, "intake.#")
    harness.cleanups.append(tap.close)
    worker = harness.start_worker()
    staff = bearer(token("center_staff", community="huaguoshan"))
    client = harness.client
    assert (
        client.post(
            "/business-types",
            headers=staff,
            json={
                "community": "huaguoshan",
                "code": "hazard_report",
                "name_zh": "隱患報告",
                "name_en": "Hazard report",
                "department": "city_management",
                "typical_minutes": 5,
                "sla_days": 3,
                "ticket_prefix": "H",
            },
        ).status_code
        == 201
    )
    case = client.post(
        "/cases",
        headers=staff,
        json={
            "community": "huaguoshan",
            "business_type": "hazard_report",
            "summary": "Resident reports a loose manhole cover by building 5.",
        },
    ).get_json()
    referred = client.post(
        f"/cases/{case['id']}/refer",
        headers=staff,
        json={"target": "grid", "category": "road_damage", "severity": "high", "lon": 113.91, "lat": 22.48},
    )
    assert referred.status_code == 200, referred.get_json()

    def published(kind: str) -> list[dict[str, Any]]:
        return [e for e in tap.drain() if e["type"] == kind]

    referral = wait_for(
        lambda: published("intake.case.referred.v1"), message="intake.case.referred on the exchange"
    )[0]
    assert referral["subject"] == case["id"] and referral["data"]["target"] == "grid"
    assert referral["data"]["category"] == "road_damage"
    assert referral["community"] == "huaguoshan" and referral["correlationid"]

    grid_case_id = str(uuid.uuid4())
    resolved = ce.build(
        GRID_CASE_RESOLVED,
        source="/services/grid",
        subject=grid_case_id,
        community="huaguoshan",
        sequence=4,
        data={
            "case_id": grid_case_id,
            "case_number": "GC-2026-000123",
            "category": "road_damage",
            "severity": "high",
            "source": "intake",
            "source_ref": case["id"],
            "cell_code": "HGS-05",
            "reported_at": referral["data"]["referred_at"],
            "resolved_at": referral["data"]["referred_at"],
            "due_at": referral["data"]["due_at"],
            "on_time": True,
        },
    )
    tap.publish(resolved, "grid.case.resolved")
    tap.publish(resolved, "grid.case.resolved")  # redelivered
    wait_for(lambda: worker.consumer.processed >= 2, timeout=20, message="both deliveries consumed")
    shown = client.get(f"/cases/{case['id']}", headers=staff).get_json()
    assert shown["status"] == "resolved" and shown["grid_case_number"] == "GC-2026-000123"
    outcome = wait_for(
        lambda: published("intake.case.resolved.v1"), message="intake.case.resolved on the exchange"
    )
    with harness.runtime.database.engine.connect() as connection:
        inbox = connection.execute(text("SELECT COUNT(*) FROM inbox")).scalar_one()
    assert inbox == 1
    assert [e["subject"] for e in outcome] == [case["id"]]
    assert outcome[0]["data"]["resolved_by"] == "grid"
    assert len([e for e in harness.outbox() if e["type"] == "intake.case.resolved.v1"]) == 1
