"""Ticket and case state machines: every illegal transition is a 409 problem naming it."""

from __future__ import annotations

import pytest

from services.chassis.statemachine import IllegalTransition
from services.intake import domain
from services.intake.domain import CaseStatus, TicketStatus
from tests.support.helpers import assert_problem

TICKET_PATHS = {
    "recall": "recall",
    "start": "start",
    "complete": "complete",
    "no_show": "no-show",
    "hold": "hold",
    "resume": "resume",
}


def _refusal(transitions, next_status, state, action):
    """None where `action` is declared from `state` (and goes to its declared target); else the refusal."""
    allowed, target = transitions[action]
    if state in allowed:
        assert next_status(state, action) == target
        return None
    with pytest.raises(IllegalTransition) as refused:
        next_status(state, action)
    return refused.value


@pytest.mark.parametrize("state", list(TicketStatus))
@pytest.mark.parametrize("action", list(domain.TICKET_TRANSITIONS))
def test_ticket_machine_allows_only_declared_moves(state, action):
    refused = _refusal(domain.TICKET_TRANSITIONS, domain.ticket_next_status, state, action)
    if refused is not None:
        assert refused.extra["transition"] == f"ticket.{action}"
        assert refused.problem_status == 409


@pytest.mark.parametrize("state", list(CaseStatus))
@pytest.mark.parametrize("action", list(domain.CASE_TRANSITIONS))
def test_case_machine_allows_only_declared_moves(state, action):
    refused = _refusal(domain.CASE_TRANSITIONS, domain.case_next_status, state, action)
    if refused is not None:
        assert f"Cannot {action.replace('_', ' ')}" in str(refused)


def _ticket_in(desk, state):
    """A ticket driven through the API into `state` (window 1 open, generalist)."""
    window = desk.window(1)
    ticket = desk.ticket()
    if state == TicketStatus.WAITING:
        return ticket, window
    desk.call_next(window["id"])
    path = {
        TicketStatus.CALLED: None,
        TicketStatus.SERVING: "start",
        TicketStatus.HELD: "hold",
        TicketStatus.NO_SHOW: "no-show",
    }.get(state)
    if state == TicketStatus.COMPLETED:
        desk.post(f"/tickets/{ticket['id']}/start")
        path = "complete"
    if path:
        assert desk.post(f"/tickets/{ticket['id']}/{path}").status_code == 200
    return ticket, window


@pytest.mark.parametrize("state", list(TicketStatus))
def test_every_illegal_ticket_transition_is_409_and_changes_nothing(desk, state):
    ticket, _ = _ticket_in(desk, state)
    before = desk.client.get(f"/tickets/{ticket['id']}", headers=desk.staff).get_json()
    assert before["status"] == state
    outbox = len(desk.harness.outbox())
    illegal = [
        a
        for a, (allowed, _) in domain.TICKET_TRANSITIONS.items()
        if state not in allowed and a in TICKET_PATHS
    ]
    if state not in domain.TICKET_TRANSITIONS["transfer"][0]:
        illegal.append("transfer")
    assert illegal
    for action in illegal:
        path = TICKET_PATHS.get(action, action)
        body = {
            "business_type": "passport",
            "attributes": {"applicant_id": "x", "household_size": 1, "kind": "new"},
        }
        if action != "transfer":
            body = {}
        problem = assert_problem(
            desk.post(f"/tickets/{ticket['id']}/{path}", body), 409, type_suffix="illegal-transition"
        )
        assert problem["transition"] == f"ticket.{action}"
        assert problem["current_status"] == state
        assert problem["detail"].startswith(f"Cannot {action.replace('_', ' ')} a ticket")
    after = desk.client.get(f"/tickets/{ticket['id']}", headers=desk.staff).get_json()
    assert after == before
    assert len(desk.harness.outbox()) == outbox


def test_calling_a_ticket_that_is_not_waiting_is_409(desk):
    ticket, window = _ticket_in(desk, TicketStatus.COMPLETED)
    problem = assert_problem(desk.post(f"/windows/{window['id']}/call", {"ticket_id": ticket["id"]}), 409)
    assert problem["transition"] == "ticket.call"


def test_transferring_to_the_business_type_it_already_has_is_refused_by_the_machine(desk):
    window = desk.window(1)
    ticket = desk.ticket("general")
    assert desk.call_next(window["id"])["id"] == ticket["id"]
    response = desk.post(f"/tickets/{ticket['id']}/transfer", {"business_type": "general"})
    problem = assert_problem(response, 409, type_suffix="illegal-transition")
    assert problem["transition"] == "ticket.transfer" and problem["current_status"] == "called"
    assert problem["detail"].endswith(": it already has that business type.")


CASE_PATHS = {
    "start": ("start", {}),
    "await_department": ("await-department", {"department": "labour"}),
    "department_replied": ("department-replied", {}),
    "refer": ("refer", {"target": "labour"}),
    "resolve": ("resolve", {"resolution": "Done."}),
    "reopen": ("reopen", {}),
    "close": ("close", {}),
}
CASE_ROUTE = {
    CaseStatus.OPEN: [],
    CaseStatus.IN_PROGRESS: ["start"],
    CaseStatus.WAITING_ON_DEPARTMENT: ["start", "await_department"],
    CaseStatus.REFERRED: ["refer"],
    CaseStatus.RESOLVED: ["resolve"],
    CaseStatus.CLOSED: ["resolve", "close"],
}


@pytest.mark.parametrize("state", list(CaseStatus))
def test_every_illegal_case_transition_is_409_and_changes_nothing(desk, state):
    opened = desk.post(
        "/cases",
        {"community": "huaguoshan", "business_type": "passport", "summary": "Needs the district's stamp."},
    )
    assert opened.status_code == 201, opened.get_json()
    case_id = opened.get_json()["id"]
    for action in CASE_ROUTE[state]:
        path, body = CASE_PATHS[action]
        assert desk.post(f"/cases/{case_id}/{path}", body).status_code == 200
    before = desk.client.get(f"/cases/{case_id}", headers=desk.staff).get_json()
    assert before["status"] == state
    outbox = len(desk.harness.outbox())
    for action, (allowed, _) in domain.CASE_TRANSITIONS.items():
        if state in allowed:
            continue
        path, body = CASE_PATHS[action]
        problem = assert_problem(
            desk.post(f"/cases/{case_id}/{path}", body), 409, type_suffix="illegal-transition"
        )
        assert problem["transition"] == f"case.{action}"
    assert desk.client.get(f"/cases/{case_id}", headers=desk.staff).get_json() == before
    assert len(desk.harness.outbox()) == outbox
