"""Inspection rounds: the checklist, findings that open linked cases, planned rounds."""

import pytest

from deploy.demo import grid_reference as demo
from tests.support.helpers import assert_problem, bearer
from tests.unit.grid.conftest import HGS_LAT, HGS_LON


@pytest.fixture
def checklist(client, token):
    officer = bearer(token("subdistrict_officer", community=None))
    for code, area, title, category, severity in demo.CHECKLIST[:3]:
        response = client.put(
            f"/checklist/{code}",
            json={"area": area, "title": title, "case_category": category, "default_severity": severity},
            headers=officer,
        )
        assert response.status_code == 200
    return [c[0] for c in demo.CHECKLIST[:3]]


def answers(codes, **findings):
    return [
        {"code": code, "result": "finding", "note": findings[code]}
        if code in findings
        else {"code": code, "result": "ok"}
        for code in codes
    ]


def test_a_round_with_a_finding_opens_a_linked_case(client, make_cell, checklist, worker, grid):
    make_cell("HGS-01")
    response = client.post(
        "/inspections",
        json={"cell_code": "HGS-01", "items": answers(checklist, fire_exits="Stairwell exit chained shut")},
        headers=worker,
    )
    assert response.status_code == 201
    inspection = response.get_json()
    assert inspection["items_count"] == 3 and inspection["findings_count"] == 1
    [finding] = [i for i in inspection["items"] if i["result"] == "finding"]
    case = client.get(f"/cases/{finding['case_id']}", headers=worker).get_json()
    assert case["source"] == "inspection" and case["inspection_id"] == inspection["id"]
    assert case["category"] == "hazard_fire" and case["severity"] == "high"
    assert case["description"] == "消防通道及安全出口畅通: Stairwell exit chained shut"
    completed = [e for e in grid.outbox() if e["type"] == "grid.inspection.completed.v1"]
    assert completed[0]["data"] == {
        "inspection_id": inspection["id"],
        "cell_code": "HGS-01",
        "period": inspection["period"],
        "items": 3,
        "findings": 1,
        "completed_at": completed[0]["data"]["completed_at"],
        "case_ids": [case["id"]],
    }


def test_completed_rounds_are_listed_without_their_answers(client, make_cell, checklist, worker, staff):
    make_cell("HGS-01")
    done = client.post(
        "/inspections", json={"cell_code": "HGS-01", "items": answers(checklist)}, headers=worker
    ).get_json()
    response = client.get("/inspections?community=huaguoshan", headers=staff)
    assert response.status_code == 200, response.get_data(as_text=True)
    [listed] = response.get_json()
    assert listed["id"] == done["id"] and listed["items_count"] == 3
    assert "items" not in listed  # the answers are read one round at a time
    one = client.get(f"/inspections/{done['id']}", headers=staff).get_json()
    assert [i["code"] for i in one["items"]] == checklist


def test_every_active_item_must_be_answered(client, make_cell, checklist, worker, grid):
    make_cell("HGS-01")
    response = client.post(
        "/inspections", json={"cell_code": "HGS-01", "items": answers(checklist[:2])}, headers=worker
    )
    body = assert_problem(response, 422, field="items")
    assert body["errors"]["items"]["_missing"] == [f"Answer every checklist item; missing: {checklist[2]}."]
    assert grid.count("inspections") == 0 and grid.count("cases") == 0
    assert grid.count("outbox") == 0


def test_unknown_twice_answered_and_undescribed_items_are_422(client, make_cell, checklist, worker, grid):
    make_cell("HGS-01")
    items = answers(checklist) + [
        {"code": "teleporter", "result": "ok"},
        {"code": checklist[0], "result": "ok"},
    ]
    items[1] = {"code": checklist[1], "result": "finding"}
    body = assert_problem(
        client.post("/inspections", json={"cell_code": "HGS-01", "items": items}, headers=worker),
        422,
        field="items",
    )
    assert body["errors"]["items"] == {
        "1": {"note": ["Describe the finding."]},
        "3": {"code": ["Not an active checklist item."]},
        "4": {"code": ["Answered twice."]},
    }
    assert grid.count("inspections") == 0


def test_a_finding_located_outside_the_cell_is_422(client, make_cell, checklist, worker, grid):
    make_cell("HGS-01")
    items = answers(checklist, fire_exits="Exit blocked")
    items[1].update(lon=HGS_LON + 0.01, lat=HGS_LAT)
    response = client.post("/inspections", json={"cell_code": "HGS-01", "items": items}, headers=worker)
    assert_problem(response, 422, field="items")
    assert grid.count("inspections") == 0 and grid.count("cases") == 0


def test_only_the_cells_worker_or_staff_inspect(client, make_cell, checklist, token, grid):
    make_cell("HGS-01")
    other = bearer(token("grid_worker", community="huaguoshan", sub="worker-9"))
    response = client.post(
        "/inspections", json={"cell_code": "HGS-01", "items": answers(checklist)}, headers=other
    )
    assert_problem(response, 403, detail_contains="assigned cells only")
    assert grid.count("inspections") == 0


def test_planned_rounds_and_the_completion_rate(client, make_cell, checklist, worker, staff):
    make_cell("HGS-01")
    make_cell("HGS-02", lon=HGS_LON + 0.002)
    done = client.post(
        "/inspections", json={"cell_code": "HGS-01", "items": answers(checklist)}, headers=worker
    ).get_json()
    period = done["period"]
    plan = client.put(f"/cells/HGS-01/plans/{period}", json={"planned_rounds": 4}, headers=staff)
    assert plan.get_json() == {
        "cell_code": "HGS-01",
        "community": "huaguoshan",
        "period": period,
        "planned": 4,
        "completed": 1,
        "rate": 0.25,
    }
    rates = client.get(f"/rounds?community=huaguoshan&period={period}", headers=staff).get_json()
    assert [(r["cell_code"], r["planned"], r["completed"], r["rate"]) for r in rates] == [
        ("HGS-01", 4, 1, 0.25),
        ("HGS-02", 0, 0, None),
    ]


def test_bad_plans_are_422(client, make_cell, staff, worker):
    make_cell("HGS-01")
    assert_problem(
        client.put("/cells/HGS-01/plans/2026-13", json={"planned_rounds": 4}, headers=staff),
        422,
        field="period",
    )
    assert_problem(
        client.put("/cells/HGS-01/plans/2026-11", json={"planned_rounds": -1}, headers=staff),
        422,
        field="planned_rounds",
    )
    assert_problem(client.put("/cells/HGS-01/plans/2026-11", json={"planned_rounds": 4}, headers=worker), 403)


def test_the_checklist_is_managed_by_the_subdistrict(client, staff, token):
    body = {"area": "fire_safety", "title": "x1", "case_category": "hazard_fire", "default_severity": "low"}
    assert_problem(client.put("/checklist/new_item", json=body, headers=staff), 403)
    officer = bearer(token("subdistrict_officer", community=None))
    assert_problem(client.put("/checklist/Bad-Code", json=body, headers=officer), 422, field="code")
    assert_problem(
        client.put("/checklist/x", json={**body, "case_category": "pothole"}, headers=officer),
        422,
        field="case_category",
    )
