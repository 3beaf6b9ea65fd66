"""The intake worker on real RabbitMQ and PostgreSQL: referral out, grid's resolution in."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import text

from services.chassis import events as ce
from tests.support.helpers import bearer, wait_for
from tests.unit.intake.conftest import type_body
from tests.unit.intake.test_cases_and_events import GRID_CASE_RESOLVED

pytestmark = [pytest.mark.postgres, pytest.mark.rabbitmq]


def test_referral_reaches_the_exchange_and_grid_resolution_applies_once(service, token, subscribe):
    harness = service("intake", backend="postgres", bus="rabbitmq")
    settings = harness.runtime.settings
    tap = subscribe(settings.amqp_url, settings.exchange_name, "intake.#")
    worker = harness.start_worker()
    staff = bearer(token("center_staff", community="huaguoshan"))
    client = harness.client
    assert (
        client.post(
            "/business-types",
            headers=staff,
            json=type_body(
                "hazard_report",
                name_zh="隐患报告",
                name_en="Hazard report",
                department="city_management",
                typical_minutes=5,
                sla_days=3,
                ticket_prefix="H",
            ),
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
        return tap.of_type(kind)

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
