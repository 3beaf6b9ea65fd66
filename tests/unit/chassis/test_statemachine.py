"""The chassis' state machine: one refusal, 409 `illegal-transition`, for every service."""

from __future__ import annotations

import pytest

from services.chassis.statemachine import IllegalTransition, StateMachine

DOOR = StateMachine(
    "door",
    {
        "open": (("closed",), "open"),
        "close": (("open",), "closed"),
        "lock": (("closed",), "locked"),
        "unlock": (("locked",), "closed"),
    },
)


def test_an_allowed_action_leads_to_its_target():
    assert DOOR.target("closed", "lock") == "locked"
    assert DOOR.allowed_actions("closed") == ["open", "lock"]
    assert DOOR.sources("unlock") == frozenset({"locked"})


def test_a_refused_action_names_the_transition_and_where_it_may_start():
    with pytest.raises(IllegalTransition) as refused:
        DOOR.target("locked", "open")
    error = refused.value
    assert (error.problem_status, error.problem_type) == (409, "illegal-transition")
    assert error.detail == "Cannot open a door that is locked (allowed from: closed)."
    assert error.extra == {
        "transition": "door.open",
        "current_status": "locked",
        "allowed_from": ["closed"],
        "target_status": "open",
    }


def test_a_guard_refuses_with_its_reason():
    error = DOOR.refusal("closed", "open", reason="the alarm is on")
    assert error.detail == "Cannot open a door that is closed (allowed from: closed): the alarm is on."


def test_an_unknown_action_is_a_programming_error_not_a_409():
    with pytest.raises(KeyError):
        DOOR.target("closed", "paint")


def test_the_refusal_is_answered_as_one_problem_type():
    import json

    from flask import Flask

    from services.chassis.errors import to_problem

    with Flask(__name__).test_request_context("/doors/1/open", method="POST"):
        response = to_problem(DOOR.refusal("locked", "open"))
    body = json.loads(response.get_data())
    assert response.status_code == 409
    assert response.mimetype == "application/problem+json"
    assert body["type"] == "urn:community:problem:illegal-transition"
    assert body["transition"] == "door.open"
