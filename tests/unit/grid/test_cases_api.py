"""Cases over HTTP: reporting, the lifecycle, refusals that change nothing, events."""

from datetime import timedelta

import pytest
from sqlalchemy import text

from services.chassis import clock
from tests.support.helpers import assert_problem, bearer
from tests.unit.grid.conftest import HGS_LAT, HGS_LON


@pytest.fixture
def cell(make_cell):
    return make_cell("HGS-01")


def snapshot(grid, case_id):
    """What must not move when a request is refused."""
    with grid.runtime.database.engine.connect() as connection:
        row = connection.execute(
            text("SELECT status, version, updated_at FROM cases WHERE id = :id"), {"id": case_id}
        ).one()
    return (tuple(row), grid.count("case_history"), grid.count("outbox"))


def walk(client, case_id, *steps):
    for action, body, headers in steps:
        response = client.post(f"/cases/{case_id}/{action}", json=body, headers=headers)
        assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_a_resident_report_gets_the_category_deadline_and_an_event(cell, report, grid):
    response = report()
    assert response.status_code == 201
    case = response.get_json()
    assert case["number"].startswith("GC-20") and case["status"] == "reported"
    assert case["cell_code"] == "HGS-01" and case["severity"] == "high"
    assert case["source"] == "resident" and case["mine"] is True
    assert response.headers["Location"].endswith(case["id"])
    [event] = grid.outbox()
    assert event["type"] == "grid.case.reported.v1" and event["subject"] == case["id"]
    assert event["community"] == "huaguoshan"
    assert event["data"] == {
        "case_id": case["id"],
        "case_number": case["number"],
        "category": "hazard_fire",
        "severity": "high",
        "source": "resident",
        "source_ref": None,
        "cell_code": "HGS-01",
        "reported_at": event["data"]["reported_at"],
        "due_at": event["data"]["due_at"],
        "status": "reported",
        "inspection_id": None,
    }


def test_case_numbers_count_up_per_year(cell, report):
    first, second = report().get_json()["number"], report().get_json()["number"]
    assert int(second[-6:]) == int(first[-6:]) + 1 and first[:8] == second[:8]


def test_a_point_outside_every_cell_is_422_and_nothing_is_stored(cell, report, grid):
    response = report(lon=HGS_LON + 0.2, lat=HGS_LAT)
    body = assert_problem(response, 422, type_suffix="outside-every-cell", field="lon")
    assert "outside every grid cell of huaguoshan" in body["detail"]
    assert grid.count("cases") == 0 and grid.count("outbox") == 0


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"lon": None, "lat": None}, "lon", "Field may not be null."),
        ({"category": "pothole"}, "category", "Must be one of"),
        ({"description": "x"}, "description", "Length must be between 5 and 2000."),
        ({"photos": ["ftp://x/y.jpg"]}, "photos", "Use an http(s) URL or the url of a photo uploaded"),
        ({"colour": "red"}, "colour", "Unknown field."),
        ({"severity": "critical"}, "severity", "Set by staff."),
    ],
)
def test_bad_reports_are_422_by_field_and_nothing_is_stored(cell, report, grid, fields, field, message):
    response = report(**fields)
    body = assert_problem(response, 422, field=field)
    assert message in str(body["errors"][field])
    assert grid.count("cases") == 0 and grid.count("outbox") == 0


def test_a_location_needs_both_coordinates_or_an_address(client, cell, resident, grid):
    body = {"community": "huaguoshan", "category": "environment", "description": "Rubbish pile"}
    no_place = assert_problem(client.post("/cases", json=body, headers=resident), 422, field="lon")
    assert no_place["errors"]["lon"] == ["Give a location (lon and lat) or an address."]
    half = assert_problem(
        client.post("/cases", json={**body, "lon": HGS_LON}, headers=resident), 422, field="lat"
    )
    assert half["errors"]["lat"] == ["Give both lon and lat."]
    assert grid.count("cases") == 0


def test_an_address_only_report_has_no_cell(client, cell, resident):
    response = client.post(
        "/cases",
        json={
            "community": "huaguoshan",
            "category": "environment",
            "description": "Rubbish pile by the gate",
            "address": "南海大道 1 号",
        },
        headers=resident,
    )
    assert response.status_code == 201 and response.get_json()["cell_code"] is None


def test_reporting_in_another_community_is_403(report, cell, grid):
    response = report(community="chiwan")
    assert_problem(response, 403, detail_contains="'chiwan'")
    assert grid.count("cases") == 0


def test_the_full_lifecycle_publishes_each_step(client, cell, report, worker, staff, grid):
    case = report().get_json()
    walk(
        client,
        case["id"],
        ("accept", {}, worker),
        ("start", {}, worker),
        ("resolve", {"note": "Cleared the exit"}, worker),
        ("verify", {}, staff),
        ("close", {}, staff),
    )
    types = grid.outbox_types()
    assert types == [
        "grid.case.reported.v1",
        "grid.case.accepted.v1",
        "grid.case.resolved.v1",
        "grid.case.verified.v1",
        "grid.case.closed.v1",
    ]
    resolved = grid.outbox()[2]["data"]
    assert resolved["on_time"] is True and resolved["source"] == "resident"
    assert resolved["source_ref"] is None and resolved["department"] is None
    closed = grid.outbox()[4]["data"]
    assert closed["closed_kind"] == "resolved" and closed["duplicate_of"] is None
    history = client.get(f"/cases/{case['id']}/history", headers=staff).get_json()
    assert [(h["action"], h["from_status"], h["to_status"]) for h in history] == [
        ("report", None, "reported"),
        ("accept", "reported", "accepted"),
        ("start", "accepted", "in_progress"),
        ("resolve", "in_progress", "resolved"),
        ("verify", "resolved", "verified"),
        ("close", "verified", "closed"),
    ]
    assert history[3]["note"] == "Cleared the exit" and history[3]["actor_sub"] == "worker-1"


@pytest.mark.parametrize(
    ("action", "body"), [("start", {}), ("resolve", {"note": "done"}), ("verify", {}), ("close", {})]
)
def test_an_illegal_step_is_409_naming_it_and_changes_nothing(
    client, cell, report, staff, grid, action, body
):
    case = report().get_json()
    before = snapshot(grid, case["id"])
    response = client.post(f"/cases/{case['id']}/{action}", json=body, headers=staff)
    problem = assert_problem(response, 409, type_suffix="illegal-transition")
    assert problem["detail"].startswith(f"Cannot {action} a case that is reported (")
    assert problem["current_status"] == "reported" and problem["transition"] == f"case.{action}"
    assert snapshot(grid, case["id"]) == before


def test_reopening_a_reported_case_is_409(client, cell, report, resident, grid):
    case = report().get_json()
    before = snapshot(grid, case["id"])
    problem = assert_problem(client.post(f"/cases/{case['id']}/reopen", json={}, headers=resident), 409)
    assert "(allowed from: closed, resolved, verified)" in problem["detail"]
    assert snapshot(grid, case["id"]) == before


def test_a_closed_case_refuses_every_step(client, cell, report, staff, grid):
    case = report().get_json()
    walk(client, case["id"], ("reject", {"note": "Not a hazard"}, staff))
    before = snapshot(grid, case["id"])
    for action in ("accept", "start", "resolve", "refer", "escalate", "reject"):
        body = {"note": "again", "department": "fire"}
        assert_problem(client.post(f"/cases/{case['id']}/{action}", json=body, headers=staff), 409)
    assert snapshot(grid, case["id"]) == before


@pytest.mark.parametrize(
    ("action", "body", "field"),
    [
        ("refer", {"note": "needs enforcement"}, "department"),
        ("refer", {"department": "fire"}, "note"),
        ("resolve", {}, "note"),
        ("reject", {}, "note"),
        ("escalate", {}, "note"),
        ("mark_duplicate", {}, "duplicate_of"),
        ("mark_duplicate", {"duplicate_of": "GC-2026-999999"}, "duplicate_of"),
    ],
)
def test_a_step_missing_its_details_is_422_and_changes_nothing(
    client, cell, report, staff, grid, action, body, field
):
    case = report().get_json()
    walk(client, case["id"], ("accept", {}, staff))
    before = snapshot(grid, case["id"])
    response = client.post(f"/cases/{case['id']}/{action}", json=body, headers=staff)
    assert_problem(response, 422, field=field)
    assert snapshot(grid, case["id"]) == before


def test_an_unknown_department_is_422(client, cell, report, staff):
    case = report().get_json()
    response = client.post(
        f"/cases/{case['id']}/refer", json={"department": "police", "note": "x1"}, headers=staff
    )
    assert_problem(response, 422, field="department")


def test_referral_shows_the_department_not_a_refusal(client, cell, report, staff, resident, token, grid):
    case = report().get_json()
    walk(client, case["id"], ("refer", {"department": "fire", "note": "Needs enforcement"}, staff))
    event = grid.outbox()[-1]
    assert event["type"] == "grid.case.referred.v1"
    assert event["data"]["department"] == "fire" and "note" not in event["data"]
    other = bearer(token("resident", community="huaguoshan", sub="neighbour"))
    public = client.get(f"/cases/{case['id']}", headers=other).get_json()
    assert public["status_label"] == "Referred to 消防救援大队"
    assert public["public"] is True and public["referral_reason"] is None
    fire = bearer(token("department", community=None, department="fire", sub="fire-desk"))
    walk(client, case["id"], ("start", {}, fire), ("resolve", {"note": "Exit cleared"}, fire))
    resolved = grid.outbox()[-1]["data"]
    assert resolved["department"] == "fire" and resolved["status"] == "resolved"


def test_the_resolver_cannot_verify(client, cell, report, staff, grid):
    case = report().get_json()
    walk(client, case["id"], ("accept", {}, staff), ("resolve", {"note": "fixed"}, staff))
    before = snapshot(grid, case["id"])
    response = client.post(f"/cases/{case['id']}/verify", json={}, headers=staff)
    assert_problem(response, 403, type_suffix="self-verification")
    assert snapshot(grid, case["id"]) == before


def test_the_reporter_reopens_within_seven_days(client, cell, report, worker, resident, grid):
    case = report().get_json()
    walk(client, case["id"], ("accept", {}, worker), ("resolve", {"note": "fixed"}, worker))
    reopened = walk(client, case["id"], ("reopen", {"note": "Still blocked"}, resident))
    assert reopened["status"] == "accepted" and reopened["reopen_count"] == 1
    assert reopened["resolved_at"] is None
    event = grid.outbox()[-1]
    assert event["type"] == "grid.case.reopened.v1" and event["data"]["reopen_count"] == 1


def test_only_the_reporter_may_reopen(client, cell, report, worker, staff, grid):
    case = report().get_json()
    walk(client, case["id"], ("accept", {}, worker), ("resolve", {"note": "fixed"}, worker))
    assert_problem(
        client.post(f"/cases/{case['id']}/reopen", json={}, headers=staff),
        403,
        detail_contains="Only the person who reported",
    )


def test_reopening_after_seven_days_is_409(client, cell, report, worker, resident, grid):
    case = report().get_json()
    walk(client, case["id"], ("accept", {}, worker), ("resolve", {"note": "fixed"}, worker))
    with grid.runtime.database.engine.begin() as connection:
        connection.execute(
            text("UPDATE cases SET resolved_at = :at WHERE id = :id"),
            {"at": (clock.now() - timedelta(days=8)).replace(tzinfo=None), "id": case["id"]},
        )
    before = snapshot(grid, case["id"])
    problem = assert_problem(client.post(f"/cases/{case['id']}/reopen", json={}, headers=resident), 409)
    assert "7 days" in problem["detail"]
    assert snapshot(grid, case["id"]) == before


def test_mark_duplicate_points_to_the_original(client, cell, report, staff, grid):
    original, copy = report().get_json(), report().get_json()
    closed = walk(client, copy["id"], ("mark_duplicate", {"duplicate_of": original["number"]}, staff))
    assert closed["closed_kind"] == "duplicate" and closed["duplicate_of"] == original["id"]
    assert closed["status_label"] == "Closed: already reported"
    assert grid.outbox()[-1]["data"]["duplicate_of"] == original["id"]


def test_a_stale_if_match_is_412(client, cell, report, staff, grid):
    case = client.get(f"/cases/{report().get_json()['id']}", headers=staff)
    etag = case.headers["ETag"]
    walk(client, case.get_json()["id"], ("accept", {}, staff))
    response = client.post(
        f"/cases/{case.get_json()['id']}/start", json={}, headers={**staff, "If-Match": etag}
    )
    assert_problem(response, 412)


def test_accepting_can_set_severity_and_cell(client, make_cell, resident, staff, grid):
    make_cell("HGS-01")
    case = client.post(
        "/cases",
        json={
            "community": "huaguoshan",
            "category": "environment",
            "description": "Rubbish by the gate",
            "address": "南海大道 1 号",
        },
        headers=resident,
    ).get_json()
    accepted = walk(client, case["id"], ("accept", {"severity": "critical", "cell_code": "HGS-01"}, staff))
    assert accepted["severity"] == "critical" and accepted["cell_code"] == "HGS-01"
    assert accepted["due_at"] < case["due_at"]


def test_history_is_append_only_in_the_database(client, cell, report, grid):
    report()
    with pytest.raises(Exception, match="append-only"):
        with grid.runtime.database.engine.begin() as connection:
            connection.execute(text("UPDATE case_history SET note = 'rewritten'"))
    with pytest.raises(Exception, match="append-only"):
        with grid.runtime.database.engine.begin() as connection:
            connection.execute(text("DELETE FROM case_history"))
    assert grid.count("case_history") == 1


def test_notes_are_added_to_the_history(client, cell, report, staff):
    case = report().get_json()
    response = client.post(f"/cases/{case['id']}/notes", json={"note": "Called the owner"}, headers=staff)
    assert response.status_code == 201 and response.get_json()["action"] == "note"
    history = client.get(f"/cases/{case['id']}/history", headers=staff).get_json()
    assert history[-1]["note"] == "Called the owner"


def test_unknown_case_and_action(client, staff):
    assert_problem(client.get("/cases/GC-2026-000999", headers=staff), 404)
    assert_problem(client.post("/cases/GC-2026-000999/teleport", json={}, headers=staff), 404)
