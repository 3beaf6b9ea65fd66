"""The intake referral consumer and the overdue sweep, against the service's own database."""

from datetime import timedelta

import pytest

from services.chassis import clock
from services.chassis.consumer import EventProcessor
from services.grid import usecases
from services.grid.usecases.overdue import sweep_overdue
from tests.unit.grid.intake_event import referral


@pytest.fixture
def processor(grid):
    return EventProcessor(grid.runtime.settings, grid.runtime.database, usecases.CONSUMED.handlers)


def test_a_referral_to_the_grid_opens_one_intake_case(processor, grid, make_cell, client, staff):
    make_cell("HGS-01")
    event = referral()
    assert processor.process(event) == 1
    assert processor.process(event) == 0  # the same event again: the inbox skips it
    assert processor.process({**referral(), "id": "b2f0a1c4-0000-4000-8000-000000000001"}) == 1
    assert grid.count("cases") == 1  # an equivalent event (new id) adds nothing either
    [case] = client.get("/cases", headers=staff).get_json()
    assert case["source"] == "intake" and case["source_ref"] == event["data"]["case_id"]
    assert case["external_number"] == "SC-2026-000042" and case["cell_code"] == "HGS-01"
    assert case["category"] == "hazard_electrical" and case["severity"] == "high"


def test_the_earlier_deadline_wins(processor, grid, make_cell, client, staff):
    make_cell("HGS-01")
    promised = clock.now() + timedelta(hours=30)
    processor.process(referral(due_at=promised.isoformat()))
    [case] = client.get("/cases", headers=staff).get_json()
    assert case["due_at"] == promised.isoformat()


def test_a_referral_to_a_department_is_not_a_grid_case(processor, grid):
    processor.process(referral(target="labour"))
    assert grid.count("cases") == 0


def test_a_referral_of_an_unknown_community_is_malformed_not_retried(processor, grid):
    from services.chassis.events import MalformedEvent

    with pytest.raises(MalformedEvent, match="without a known community"):
        processor.process({**referral(), "community": "atlantis"})
    assert grid.count("cases") == 0


def test_unknown_category_and_place_still_make_a_case(processor, grid, client, staff):
    processor.process(referral(category="noise_at_night", lon=None, lat=None))
    [case] = client.get("/cases", headers=staff).get_json()
    assert case["category"] == "other" and case["severity"] == "low"
    assert case["cell_code"] is None


def overdue_case(client, report, staff, severity="critical"):
    case = report().get_json()
    client.post(f"/cases/{case['id']}/accept", json={"severity": severity}, headers=staff)
    return client.get(f"/cases/{case['id']}", headers=staff).get_json()


def sweep(grid, at):
    with grid.runtime.unit_of_work() as uow:
        result = sweep_overdue(uow, now=at)
        uow.commit()
    return result


def events_of(grid, name):
    return [e for e in grid.outbox() if e["type"] == f"grid.case.{name}.v1"]


def test_overdue_is_published_once_and_escalation_once(grid, client, make_cell, report, staff):
    make_cell("HGS-01")
    case = overdue_case(client, report, staff)
    reported = clock.now()
    assert sweep(grid, reported + timedelta(hours=23)) == (0, 0)
    assert sweep(grid, reported + timedelta(hours=25)) == (1, 0)
    assert sweep(grid, reported + timedelta(hours=26)) == (0, 0)
    assert sweep(grid, reported + timedelta(hours=49)) == (0, 1)
    assert sweep(grid, reported + timedelta(hours=72)) == (0, 0)
    assert sweep(grid, reported + timedelta(days=30)) == (0, 0)
    assert len(events_of(grid, "overdue")) == 1
    [escalated] = events_of(grid, "escalated")
    assert escalated["data"]["level"] == "subdistrict" and escalated["data"]["trigger"] == "overdue"
    after = client.get(f"/cases/{case['id']}", headers=staff).get_json()
    assert after["status"] == "escalated" and after["escalation_level"] == "subdistrict"


def test_a_manually_escalated_case_goes_to_the_district_when_overdue(grid, client, make_cell, report, staff):
    make_cell("HGS-01")
    case = overdue_case(client, report, staff)
    client.post(f"/cases/{case['id']}/escalate", json={"note": "beyond us"}, headers=staff)
    sweep(grid, clock.now() + timedelta(days=3))
    assert events_of(grid, "escalated")[-1]["data"]["level"] == "district"


def test_a_resolved_case_is_not_swept(grid, client, make_cell, report, staff, worker):
    make_cell("HGS-01")
    case = overdue_case(client, report, staff)
    client.post(f"/cases/{case['id']}/resolve", json={"note": "fixed"}, headers=worker)
    assert sweep(grid, clock.now() + timedelta(days=30)) == (0, 0)
