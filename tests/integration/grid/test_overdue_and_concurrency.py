"""Overdue cases escalate once, not on every sweep, with several worker replicas; concurrent
steps on one case and concurrent sweeps never double an effect (PostgreSQL, real threads)."""

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import text

from services.chassis import clock
from services.chassis.runtime import Runtime
from services.grid import models
from services.grid.usecases.overdue import sweep_overdue
from services.grid.worker import build_worker
from tests.support.helpers import wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.rabbitmq]


def backdate(grid, case_id, hours):
    """Pretend the case was reported `hours` ago (its deadline moves with it)."""
    with grid.runtime.database.engine.begin() as connection:
        connection.execute(
            text(
                "UPDATE cases SET reported_at = reported_at - make_interval(hours => :h), "
                "due_at = due_at - make_interval(hours => :h) WHERE id = :id"
            ),
            {"h": hours, "id": case_id},
        )


def critical_case(client, report, staff):
    case = report().get_json()
    response = client.post(f"/cases/{case['id']}/accept", json={"severity": "critical"}, headers=staff)
    assert response.status_code == 200
    return case


def test_an_overdue_case_is_escalated_once_across_sweeps_and_replicas(
    grid, client, make_cell, report, staff, tap
):
    make_cell("HGS-01")
    case = critical_case(client, report, staff)
    backdate(grid, case["id"], 49)  # 24 h SLA: overdue by more than its SLA again
    grid.start_worker()
    replica = build_worker(Runtime(grid.runtime.settings, models.Base.metadata))
    replica.start()
    grid.cleanups.append(replica.stop)
    wait_for(lambda: tap.of("grid.case.escalated"), message="grid.case.escalated")
    time.sleep(2.0)  # ten more sweeps on each replica (every 0.2 s)
    overdue, escalated = tap.of("grid.case.overdue"), tap.of("grid.case.escalated")
    assert len(overdue) == 1 and len(escalated) == 1
    assert escalated[0]["data"]["level"] == "subdistrict"
    assert escalated[0]["data"]["trigger"] == "overdue"
    assert client.get(f"/cases/{case['id']}", headers=staff).get_json()["status"] == "escalated"
    with grid.runtime.database.engine.connect() as connection:
        actions = (
            connection.execute(
                text("SELECT action FROM case_history WHERE case_id = :id ORDER BY id"), {"id": case["id"]}
            )
            .scalars()
            .all()
        )
    assert actions == ["report", "accept", "overdue", "escalate"]


def test_concurrent_sweeps_without_the_periodic_lock_still_emit_once(grid, client, make_cell, report, staff):
    make_cell("HGS-01")
    ids = [critical_case(client, report, staff)["id"] for _ in range(20)]
    for case_id in ids:
        backdate(grid, case_id, 49)
    barrier = threading.Barrier(6)
    results = []

    def sweep():
        barrier.wait()
        with grid.runtime.unit_of_work() as uow:
            results.append(sweep_overdue(uow, batch=7))
            uow.commit()

    for _ in range(3):  # several rounds: later rounds find nothing left to do
        threads = [threading.Thread(target=sweep) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        barrier.reset()
    assert sum(r[0] for r in results) == 20 and sum(r[1] for r in results) == 20
    types = grid.outbox_types()
    assert types.count("grid.case.overdue.v1") == 20
    assert types.count("grid.case.escalated.v1") == 20


def test_two_people_accepting_the_same_case_at_once_one_wins_one_gets_409(
    grid, make_cell, report, staff, worker
):
    make_cell("HGS-01")
    case = report().get_json()
    barrier = threading.Barrier(8)
    statuses = []

    def accept(headers):
        client = grid.app.test_client()
        barrier.wait()
        statuses.append(client.post(f"/cases/{case['id']}/accept", json={}, headers=headers).status_code)

    threads = [threading.Thread(target=accept, args=(staff if i % 2 else worker,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200] + [409] * 7
    assert grid.outbox_types().count("grid.case.accepted.v1") == 1
    assert grid.count("case_history") == 2


def test_concurrent_reports_get_distinct_consecutive_numbers(grid, make_cell, report):
    make_cell("HGS-01")
    barrier = threading.Barrier(8)
    numbers = []

    def file_report():
        barrier.wait()
        numbers.append(report().get_json()["number"])

    threads = [threading.Thread(target=file_report) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(int(n[-6:]) for n in numbers) == list(range(1, 9))


def test_reopen_resets_the_deadline_and_overdue_can_happen_again(
    grid, client, make_cell, report, staff, worker, resident
):
    make_cell("HGS-01")
    case = critical_case(client, report, staff)
    backdate(grid, case["id"], 25)
    with grid.runtime.unit_of_work() as uow:
        assert sweep_overdue(uow) == (1, 0)
        uow.commit()
    client.post(f"/cases/{case['id']}/resolve", json={"note": "fixed"}, headers=worker)
    client.post(f"/cases/{case['id']}/reopen", json={"note": "still broken"}, headers=resident)
    with grid.runtime.unit_of_work() as uow:
        assert sweep_overdue(uow) == (0, 0)
        assert sweep_overdue(uow, now=clock.now() + timedelta(hours=25)) == (1, 0)
        uow.commit()


def test_six_edits_of_a_cell_with_the_same_etag_at_once_let_exactly_one_through(grid, make_cell, staff):
    make_cell("HGS-01")
    etag = grid.client.get("/cells/HGS-01").headers["ETag"]
    barrier = threading.Barrier(6)
    statuses = []

    def rename(number):
        client = grid.app.test_client()
        barrier.wait()
        statuses.append(
            client.put(
                "/cells/HGS-01", json={"name": f"renamed {number}"}, headers={**staff, "If-Match": etag}
            ).status_code
        )

    threads = [threading.Thread(target=rename, args=(i,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200] + [412] * 5
    assert grid.client.get("/cells/HGS-01").get_json()["version"] == 2
