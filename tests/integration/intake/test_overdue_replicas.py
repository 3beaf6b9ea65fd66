"""The overdue check publishes once per case even with several worker replicas (PostgreSQL)."""

from __future__ import annotations

from functools import partial

import pytest

from services.chassis import clock as chassis_clock
from services.intake.worker import build_worker
from tests.support.helpers import run_together
from tests.unit.intake.conftest import START, Clock, Desk

pytestmark = pytest.mark.postgres


def test_two_replicas_sweeping_at_once_publish_each_overdue_case_once(service, token):
    clock = Clock(START)
    with chassis_clock.use(clock):
        desk = Desk(service("intake", backend="postgres"), token, clock)
        desk.business_type("general", sla_days=1)
        late = [
            desk.post(
                "/cases", {"community": "huaguoshan", "business_type": "general", "summary": f"case {i}"}
            ).get_json()["id"]
            for i in range(30)
        ]
        clock.advance(days=10)
        replicas = [build_worker(desk.harness.runtime) for _ in range(2)]

        def sweep(worker) -> None:
            for _ in range(5):
                worker.run_task(worker.periodic[0])

        run_together([partial(sweep, w) for w in replicas])
        overdue = [e["subject"] for e in desk.harness.outbox() if e["type"] == "intake.case.overdue.v1"]
        assert sorted(overdue) == sorted(late)
