"""A case referred by intake appears in grid exactly once, and its resolution reaches intake."""

import threading
import uuid

import pytest

from services.chassis.consumer import EventProcessor
from services.chassis.events import parse
from services.grid import usecases
from tests.integration.grid.conftest import publish
from tests.support.helpers import wait_for
from tests.unit.grid.intake_event import referral

pytestmark = [pytest.mark.postgres, pytest.mark.rabbitmq]


def test_a_referral_delivered_twice_makes_one_case_and_its_resolution_is_published(
    grid, client, make_cell, staff, worker, intake_bus, tap
):
    make_cell("HGS-01")
    grid.start_worker()
    intake_case = str(uuid.uuid4())
    event = referral(case_id=intake_case)
    publish(intake_bus, event)
    publish(intake_bus, event)  # the broker redelivers: same event id
    twin = {**referral(case_id=intake_case), "id": str(uuid.uuid4())}
    publish(intake_bus, twin)  # intake publishes an equivalent event again: new id
    wait_for(lambda: grid.worker.consumer.processed >= 3, message="three deliveries handled")
    assert grid.count("cases") == 1
    assert grid.count("inbox") == 2  # the redelivery was skipped by the inbox
    [case] = client.get("/cases?source=intake", headers=staff).get_json()
    assert case["source_ref"] == intake_case and case["cell_code"] == "HGS-01"
    [reported] = wait_for(lambda: tap.of("grid.case.reported"), message="grid.case.reported")
    assert reported["data"]["source"] == "intake" and reported["data"]["source_ref"] == intake_case

    for action, body in (("accept", {}), ("start", {}), ("resolve", {"note": "Rewired"})):
        response = client.post(f"/cases/{case['id']}/{action}", json=body, headers=worker)
        assert response.status_code == 200, response.get_json()

    [resolved] = wait_for(lambda: tap.raw_of("grid.case.resolved"), message="grid.case.resolved")
    event = parse(resolved)
    assert event["type"] == "grid.case.resolved.v1" and event["subject"] == case["id"]
    assert event["community"] == "huaguoshan" and event["source"] == "/services/grid"
    data = event["data"]
    assert data["source"] == "intake" and data["source_ref"] == intake_case
    assert data["case_number"] == case["number"] and data["on_time"] is True
    assert set(data) >= {
        "case_id",
        "case_number",
        "category",
        "severity",
        "source",
        "source_ref",
        "cell_code",
        "reported_at",
        "resolved_at",
        "due_at",
        "on_time",
    }


def test_two_consumers_handling_the_same_referral_at_once_make_one_case(grid, make_cell):
    make_cell("HGS-01")
    processors = [
        EventProcessor(grid.runtime.settings, grid.runtime.database, usecases.CONSUMED.handlers)
        for _ in range(2)
    ]
    intake_case = str(uuid.uuid4())
    events = [referral(case_id=intake_case), {**referral(case_id=intake_case), "id": str(uuid.uuid4())}]
    barrier = threading.Barrier(2)
    failures = []

    def handle(processor, event):
        barrier.wait()
        try:
            processor.process(event)
        except Exception as exc:  # a retry would follow in the real consumer
            failures.append(exc)

    pairs = zip(processors, events, strict=True)
    threads = [threading.Thread(target=handle, args=pair) for pair in pairs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert grid.count("cases") == 1
