"""Analytics on PostgreSQL (percentile_cont) agree with the SQLite path on the same morning."""

from __future__ import annotations

import pytest

from services.chassis import clock as chassis_clock
from tests.support.helpers import bearer
from tests.unit.intake.conftest import PASSPORT_FORM, START, Clock, Desk
from tests.unit.intake.test_analytics import PERIOD, _morning

pytestmark = pytest.mark.postgres


def _report(service, token, backend):
    clock = Clock(START)
    with chassis_clock.use(clock):
        desk = Desk(service("intake", backend=backend), token, clock)
        desk.business_type("general")
        desk.business_type(
            "passport", attributes=PASSPORT_FORM, ticket_prefix="B", department="public_security"
        )
        _morning(desk)
        officer = bearer(token("subdistrict_officer", community="huaguoshan"))
        summary = desk.client.get(f"/analytics/summary?{PERIOD}", headers=officer).get_json()
        pooling = desk.client.get(f"/analytics/pooling?{PERIOD}", headers=officer).get_json()
        for window in summary["by_window"]:
            window.pop("window_id")
        return summary, pooling


def test_postgres_and_sqlite_analytics_agree(service, token):
    on_postgres = _report(service, token, "postgres")
    on_sqlite = _report(service, token, "sqlite")
    assert on_postgres == on_sqlite
    assert on_postgres[0]["wait_seconds"]["p90"] > on_postgres[0]["wait_seconds"]["p50"]
