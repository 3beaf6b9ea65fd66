"""Cases: referral events, grid's resolution applied once, overdue published once."""

from __future__ import annotations

import uuid

from services.chassis import events as ce
from services.chassis.consumer import EventProcessor
from services.chassis.events import DATETIME, UUID, EventType, nullable, payload, string
from services.intake import usecases
from services.intake.worker import build_worker

GRID_CASE_RESOLVED = EventType(
    "grid.case.resolved",
    "Grid resolved a case (as grid declares it).",
    payload(
        {
            "case_id": UUID,
            "case_number": string(30),
            "category": string(40),
            "severity": string(20),
            "source": string(20),
            "source_ref": nullable(UUID),
            "cell_code": nullable(string(40)),
            "reported_at": DATETIME,
            "resolved_at": DATETIME,
            "due_at": DATETIME,
            "on_time": {"type": "boolean"},
        }
    ),
)


def grid_resolved(case_id: str, grid_case_id: str, resolved_at: str) -> dict:
    return ce.build(
        GRID_CASE_RESOLVED,
        source="/services/grid",
        subject=grid_case_id,
        community="huaguoshan",
        sequence=3,
        data={
            "case_id": grid_case_id,
            "case_number": "GC-2026-000042",
            "category": "road_damage",
            "severity": "high",
            "source": "intake",
            "source_ref": case_id,
            "cell_code": "HGS-03",
            "reported_at": "2026-03-03T01:10:00+00:00",
            "resolved_at": resolved_at,
            "due_at": "2026-03-05T16:00:00+00:00",
            "on_time": True,
        },
    )


def _refer_to_grid(desk):
    case = desk.post(
        "/cases",
        {
            "community": "huaguoshan",
            "business_type": "general",
            "summary": "Resident Wang: broken railing, tel 13800138000.",
            "contact_phone": "13800138000",
        },
    ).get_json()
    referred = desk.post(
        f"/cases/{case['id']}/refer",
        {
            "target": "grid",
            "category": "public_facility",
            "severity": "high",
            "lon": 113.9145,
            "lat": 22.4823,
        },
    )
    assert referred.status_code == 200, referred.get_json()
    return case


def test_referral_to_grid_publishes_the_contract_payload_without_personal_data(desk):
    case = _refer_to_grid(desk)
    event = [e for e in desk.harness.outbox() if e["type"] == "intake.case.referred.v1"][-1]
    assert event["subject"] == case["id"] and event["community"] == "huaguoshan"
    assert event["data"] == {
        "case_id": case["id"],
        "case_number": case["number"],
        "business_type": "general",
        "target": "grid",
        "category": "public_facility",
        "severity": "high",
        "lon": 113.9145,
        "lat": 22.4823,
        "referred_at": "2026-03-03T01:00:00+00:00",
        "due_at": case["due_at"],
        "opened_at": case["opened_at"],
    }
    body = str(desk.harness.outbox())
    assert "13800138000" not in body and "Wang" not in body


def test_referral_to_a_department_names_its_code(desk):
    case = desk.post(
        "/cases", {"community": "huaguoshan", "business_type": "general", "summary": "Wage arrears."}
    ).get_json()
    desk.post(f"/cases/{case['id']}/refer", {"target": "labour"})
    event = desk.harness.outbox()[-1]
    assert event["type"] == "intake.case.referred.v1"
    assert event["data"]["target"] == "labour" and event["data"]["category"] is None


def test_grid_resolution_is_recorded_once_even_when_delivered_twice(desk):
    case = _refer_to_grid(desk)
    processor = EventProcessor(
        desk.harness.runtime.settings, desk.harness.runtime.database, usecases.CONSUMED.handlers
    )
    grid_case = str(uuid.uuid4())
    first = grid_resolved(case["id"], grid_case, "2026-03-04T08:00:00+00:00")
    assert processor.process(first) == 1
    assert processor.process(first) == 0  # same event id: the inbox skips it
    twin = grid_resolved(case["id"], grid_case, "2026-03-04T08:00:00+00:00")
    assert processor.process(twin) == 1  # an equivalent event with a new id changes nothing
    shown = desk.client.get(f"/cases/{case['id']}", headers=desk.staff).get_json()
    assert shown["status"] == "resolved"
    assert shown["grid_case_number"] == "GC-2026-000042"
    assert shown["resolved_at"] == "2026-03-04T08:00:00+00:00" and shown["on_time"] is True
    resolved = [e for e in desk.harness.outbox() if e["type"] == "intake.case.resolved.v1"]
    assert len(resolved) == 1
    assert resolved[0]["data"]["resolved_by"] == "grid"


def test_grid_resolution_of_other_sources_is_ignored(desk):
    case = _refer_to_grid(desk)
    processor = EventProcessor(
        desk.harness.runtime.settings, desk.harness.runtime.database, usecases.CONSUMED.handlers
    )
    event = grid_resolved(case["id"], str(uuid.uuid4()), "2026-03-04T08:00:00+00:00")
    event["data"]["source"] = "inspection"
    processor.process(event)
    unknown = grid_resolved(str(uuid.uuid4()), str(uuid.uuid4()), "2026-03-04T08:00:00+00:00")
    processor.process(unknown)
    assert desk.client.get(f"/cases/{case['id']}", headers=desk.staff).get_json()["status"] == "referred"


def test_overdue_cases_are_published_once_not_on_every_sweep(desk):
    on_time = desk.post(
        "/cases", {"community": "huaguoshan", "business_type": "passport", "summary": "a"}
    ).get_json()
    late = desk.post(
        "/cases", {"community": "huaguoshan", "business_type": "general", "summary": "b"}
    ).get_json()
    desk.post(f"/cases/{on_time['id']}/resolve", {"resolution": "done"})
    desk.clock.advance(days=30)
    worker = build_worker(desk.harness.runtime)
    task = worker.periodic[0]
    for _ in range(3):
        assert worker.run_task(task)
    overdue = [e for e in desk.harness.outbox() if e["type"] == "intake.case.overdue.v1"]
    assert [e["subject"] for e in overdue] == [late["id"]]
    assert overdue[0]["data"]["status"] == "open"
    listed = desk.client.get("/cases?community=huaguoshan&overdue=true", headers=desk.staff).get_json()
    assert [c["id"] for c in listed] == [late["id"]] and listed[0]["overdue"] is True


def test_case_from_a_ticket_takes_its_type_and_resident(desk):
    window = desk.window(1)
    ticket = desk.ticket(
        "passport",
        headers=desk.resident,
        channel="portal",
        attributes={"applicant_id": "440305199001011234", "household_size": 2, "kind": "new"},
    )
    desk.call_next(window["id"])
    desk.post(f"/tickets/{ticket['id']}/start")
    case = desk.post(
        "/cases",
        {
            "community": "huaguoshan",
            "ticket_id": ticket["id"],
            "summary": "Needs the police station's check.",
        },
    )
    assert case.status_code == 201, case.get_json()
    body = case.get_json()
    assert body["business_type"] == "passport" and body["number"] == "IC-2026-000001"
    mine = desk.client.get("/cases", headers=desk.resident).get_json()
    assert [c["id"] for c in mine] == [body["id"]]
    again = desk.post("/cases", {"community": "huaguoshan", "ticket_id": ticket["id"], "summary": "twice"})
    assert again.status_code == 409


def test_closed_case_lifecycle_events_carry_the_contract_fields(desk):
    case = desk.post(
        "/cases", {"community": "huaguoshan", "business_type": "passport", "summary": "x"}
    ).get_json()
    desk.post(f"/cases/{case['id']}/start")
    desk.post(f"/cases/{case['id']}/await-department", {"department": "public_security"})
    desk.clock.advance(days=1)
    desk.post(f"/cases/{case['id']}/department-replied")
    desk.post(f"/cases/{case['id']}/resolve", {"resolution": "Stamped.", "resolved_by": "department"})
    desk.post(f"/cases/{case['id']}/close")
    kinds = [e["type"] for e in desk.harness.outbox() if e["subject"] == case["id"]]
    assert kinds == ["intake.case.opened.v1", "intake.case.resolved.v1", "intake.case.closed.v1"]
    closed = desk.harness.outbox()[-1]["data"]
    assert set(closed) == {
        "case_id",
        "case_number",
        "business_type",
        "opened_at",
        "due_at",
        "closed_at",
        "resolved_at",
        "on_time",
    }
    sequences = [int(e["sequence"]) for e in desk.harness.outbox() if e["subject"] == case["id"]]
    assert sequences == [1, 2, 3]


def test_ticket_completed_event_matches_the_contract(desk):
    window = desk.window(1)
    desk.ticket()
    desk.clock.advance(minutes=2)
    desk.serve(window["id"], minutes=3)
    completed = desk.harness.outbox()[-1]
    assert completed["type"] == "intake.ticket.completed.v1"
    assert set(completed["data"]) == {
        "ticket_id",
        "number",
        "business_type",
        "window_id",
        "channel",
        "priority",
        "issued_at",
        "called_at",
        "completed_at",
        "wait_seconds",
        "service_seconds",
    }
    assert completed["data"]["wait_seconds"] == 120
    assert completed["data"]["service_seconds"] == 180


def test_a_staff_note_on_a_case_step_is_recorded(desk):
    case = desk.post(
        "/cases", {"community": "huaguoshan", "business_type": "general", "summary": "x"}
    ).get_json()
    started = desk.post(f"/cases/{case['id']}/start", {"note": "called the resident back"})
    assert started.status_code == 200, started.get_json()
    waiting = desk.post(f"/cases/{case['id']}/await-department", {"department": "civil_affairs"})
    assert waiting.status_code == 200, waiting.get_json()
    steps = desk.client.get(f"/cases/{case['id']}", headers=desk.staff).get_json()["steps"]
    assert [(s["action"], s["note"]) for s in steps[-2:]] == [
        ("start", "called the resident back"),
        ("await_department", "civil_affairs"),
    ]
