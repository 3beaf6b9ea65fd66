"""The overdue check publishes once per case even with several worker replicas (PostgreSQL)."""

from __future__ import annotations

import threading

import pytest

from services.chassis import clock as chassis_clock
from services.intake.worker import build_worker
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
        barrier = threading.Barrier(2)

        def sweep(worker) -> None:
            barrier.wait()
            for _ in range(5):
                worker.run_task(worker.periodic[0])

        threads = [threading.Thread(target=sweep, args=(w,)) for w in replicas]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        overdue = [e["subject"] for e in desk.harness.outbox() if e["type"] == "intake.case.overdue.v1"]
        assert sorted(overdue) == sorted(late)
