"""The case lifecycle: every legal step, every illegal one refused with 409 naming it."""

from datetime import UTC, datetime, timedelta

import pytest

from services.grid import domain
from services.grid.domain import CaseState, IllegalTransition, SelfVerification, check_step

NOW = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)


def state(status: str, **fields) -> CaseState:
    values = {
        "severity": "high",
        "reported_at": NOW - timedelta(days=1),
        "due_at": NOW + timedelta(days=2),
        "closed_kind": None,
        "resolved_at": None,
        "resolved_by": None,
    }
    if status in ("resolved", "verified", "closed"):
        values.update(
            resolved_at=NOW - timedelta(hours=2),
            resolved_by="worker-1",
            closed_kind="resolved" if status == "closed" else None,
        )
    values.update(fields)
    return CaseState(status=status, **values)


MACHINE = domain.CASE_LIFECYCLE
LEGAL = [(action, source) for action in domain.ACTIONS for source in sorted(MACHINE.sources(action))]
ILLEGAL = [
    (action, status)
    for action in domain.ACTIONS
    for status in domain.STATUSES
    if status not in MACHINE.sources(action)
]


def target_of(action: str) -> str:
    return MACHINE.transitions[action][1]


@pytest.mark.parametrize(("action", "status"), LEGAL)
def test_each_legal_step_reaches_its_target(action, status):
    assert check_step(state(status), action, actor="staff-2", now=NOW) == target_of(action)


@pytest.mark.parametrize(("action", "status"), ILLEGAL)
def test_each_illegal_step_is_refused_with_409_naming_the_transition(action, status):
    with pytest.raises(IllegalTransition) as refused:
        check_step(state(status), action, actor="staff-2", now=NOW)
    error = refused.value
    assert error.problem_status == 409
    assert error.problem_type == "illegal-transition"
    assert error.detail.startswith(
        f"Cannot {action.replace('_', ' ')} a case that is {status.replace('_', ' ')}"
    )
    assert f"(allowed from: {', '.join(sorted(MACHINE.sources(action)))})" in error.detail
    assert error.extra == {
        "transition": f"case.{action}",
        "current_status": status,
        "allowed_from": sorted(MACHINE.sources(action)),
        "target_status": target_of(action),
    }


def test_the_happy_path_fixmystreet_style():
    path = ["accept", "start", "resolve", "verify", "close"]
    status = "reported"
    for action in path:
        case = state(status)
        status = check_step(case, action, actor="staff-2", now=NOW)
    assert status == "closed"


def test_the_open_statuses_are_those_before_resolution():
    assert domain.OPEN_STATUSES == {"reported", "accepted", "in_progress", "referred", "escalated"}
    assert not any(domain.is_open(s) for s in ("resolved", "verified", "closed"))


def test_the_resolver_may_not_verify_their_own_resolution():
    with pytest.raises(SelfVerification) as refused:
        check_step(state("resolved"), "verify", actor="worker-1", now=NOW)
    assert refused.value.problem_status == 403


def test_reopen_within_seven_days_of_resolution():
    resolved = state("resolved", resolved_at=NOW - timedelta(days=6, hours=23))
    assert check_step(resolved, "reopen", actor="resident-1", now=NOW) == "accepted"


def test_reopen_after_seven_days_is_refused():
    late = state("verified", resolved_at=NOW - timedelta(days=7, seconds=1))
    with pytest.raises(IllegalTransition) as refused:
        check_step(late, "reopen", actor="resident-1", now=NOW)
    assert "7 days" in refused.value.detail


@pytest.mark.parametrize("kind", ["duplicate", "rejected"])
def test_a_case_closed_as_duplicate_or_rejected_cannot_be_reopened(kind):
    closed = state("closed", closed_kind=kind, resolved_at=None)
    with pytest.raises(IllegalTransition) as refused:
        check_step(closed, "reopen", actor="resident-1", now=NOW)
    assert f"closed as {kind}" in refused.value.detail


def test_a_closed_resolved_case_can_still_be_reopened_in_the_window():
    closed = state("closed", resolved_at=NOW - timedelta(days=1))
    assert check_step(closed, "reopen", actor="resident-1", now=NOW) == "accepted"


def test_escalation_goes_up_one_level_and_stops_at_the_district():
    assert domain.next_escalation_level(0) == 1
    assert domain.escalation_level_name(1) == "subdistrict"
    assert domain.next_escalation_level(1) == 2
    assert domain.escalation_level_name(2) == "district"
    assert domain.next_escalation_level(2) == 2


def test_the_overdue_escalation_is_a_step_of_the_machine_from_every_open_status():
    for status in domain.STATUSES:
        if domain.is_open(status):
            assert MACHINE.target(status, "escalate_overdue") == "escalated"
        else:
            with pytest.raises(IllegalTransition):
                MACHINE.target(status, "escalate_overdue")
    assert "escalate_overdue" not in domain.ACTIONS  # the worker's step, not an API action
