"""Metric formulas, percentiles, the case read-model rule and the round's state machine."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest

from services.chassis.statemachine import IllegalTransition
from services.evaluation.domain import formulas
from services.evaluation.domain.model import next_status
from services.evaluation.usecases import case_fold
from services.evaluation.usecases.policy import scorer_roles


@pytest.mark.parametrize(
    "formula, value, kwargs, expected",
    [
        ("linear", "50", {"target": "100"}, 50),
        ("linear", "150", {"target": "100"}, 100),
        ("linear", "2.75", {"target": "4.5", "floor": "1"}, 50),
        ("linear", "0.5", {"target": "4.5", "floor": "1"}, 0),
        ("inverse_linear", "600", {"target": "900", "worst": "3600"}, 100),
        ("inverse_linear", "2250", {"target": "900", "worst": "3600"}, 50),
        ("inverse_linear", "4000", {"target": "900", "worst": "3600"}, 0),
        ("ratio", "0.76", {"target": "0.95"}, 80),
        ("ratio", "1", {"target": "0.95"}, 100),
    ],
)
def test_formulas_map_measurements_to_zero_to_hundred(formula, value, kwargs, expected):
    parameters = {k: Decimal(v) for k, v in kwargs.items()}
    assert formulas.score(formula, Decimal(value), **parameters) == Fraction(expected)


def test_no_measurement_gives_no_score():
    assert formulas.score("ratio", None, Decimal(1)) is None


def test_percentile_interpolates_like_percentile_cont():
    values = [10.0, 20.0, 30.0, 40.0]
    assert formulas.percentile(values, 0.5) == 25.0
    assert formulas.percentile(values, 0.9) == pytest.approx(37.0)
    assert formulas.percentile([7.0], 0.9) == 7.0
    assert formulas.percentile([], 0.5) is None


T0 = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)


def iso(offset_hours):
    return (T0 + timedelta(hours=offset_hours)).isoformat()


def fold(*steps):
    row = case_fold.CaseRow()
    for verb, data, sequence in steps:
        row = case_fold.apply(row, verb, data, sequence, T0 + timedelta(hours=sequence))
    return row


OPENED = ("opened", {"opened_at": iso(0), "due_at": iso(48)}, 1)
RESOLVED = ("resolved", {"opened_at": iso(0), "due_at": iso(48), "resolved_at": iso(10), "on_time": True}, 2)
REOPENED = ("reopened", {"reported_at": iso(0), "due_at": iso(48)}, 3)
RESOLVED_LATE = (
    "resolved",
    {"opened_at": iso(0), "due_at": iso(48), "resolved_at": iso(60), "on_time": False},
    4,
)


def test_case_resolution_reopen_and_second_resolution():
    row = fold(OPENED, RESOLVED, REOPENED, RESOLVED_LATE)
    assert row.first_resolved_at == T0 + timedelta(hours=10)
    assert row.resolved_at == T0 + timedelta(hours=60)
    assert (row.on_time, row.reopened, row.resolution_sequence) == (False, True, 4)
    assert row.is_resolved


CLOSED = ("closed", {"due_at": iso(48), "closed_at": iso(70)}, 5)


def test_case_fold_ignores_order_of_delivery_and_repeats():
    in_order = fold(OPENED, RESOLVED, REOPENED, RESOLVED_LATE, CLOSED)
    for shuffled in (
        [CLOSED, RESOLVED_LATE, OPENED, REOPENED, RESOLVED, RESOLVED_LATE, REOPENED],
        [CLOSED, REOPENED, RESOLVED_LATE, RESOLVED, OPENED],
        [RESOLVED, CLOSED, OPENED, RESOLVED_LATE, REOPENED, CLOSED],
    ):
        assert fold(*shuffled) == in_order
    assert in_order.is_resolved and in_order.is_closed


def test_close_delivered_before_the_resolution_keeps_the_resolution():
    row = fold(("closed", {"closed_at": iso(20)}, 3), RESOLVED, OPENED)
    assert (row.is_resolved, row.is_closed, row.on_time) == (True, True, True)
    assert row.resolved_at == T0 + timedelta(hours=10)


def test_reopened_case_is_unresolved_until_resolved_again():
    row = fold(OPENED, RESOLVED, REOPENED)
    assert (row.is_resolved, row.reopened) == (False, True)
    assert row.first_resolved_at == T0 + timedelta(hours=10)


def test_closed_without_timestamp_uses_the_event_time():
    row = fold(OPENED, ("closed", {"closed_kind": "duplicate", "due_at": iso(48)}, 5))
    assert row.closed_at == T0 + timedelta(hours=5)
    assert row.is_closed and not row.is_resolved


def test_on_time_is_derived_from_due_when_the_payload_lacks_it():
    row = fold(OPENED, ("resolved", {"due_at": iso(48), "resolved_at": iso(50)}, 2))
    assert row.on_time is False


@pytest.mark.parametrize(
    "status, action, expected",
    [
        ("open", "score", "scoring"),
        ("scoring", "score", "scoring"),
        ("open", "close", "closed"),
        ("scoring", "close", "closed"),
        ("scoring", "cancel", "cancelled"),
    ],
)
def test_round_transitions(status, action, expected):
    assert next_status(status, action) == expected


@pytest.mark.parametrize(
    "status, action",
    [
        ("closed", "score"),
        ("closed", "close"),
        ("closed", "cancel"),
        ("cancelled", "score"),
        ("cancelled", "close"),
    ],
)
def test_refused_round_transitions_name_the_transition(status, action):
    with pytest.raises(IllegalTransition) as caught:
        next_status(status, action)
    assert caught.value.problem_status == 409
    assert caught.value.problem_type == "illegal-transition"
    assert caught.value.extra["transition"] == f"round.{action}"
    assert caught.value.extra["current_status"] == status
    assert caught.value.detail.startswith(f"Cannot {action} a round that is {status}")


def test_each_party_is_scored_by_its_own_role_only():
    assert scorer_roles("committee", "ratings") == ("committee_member",)
    assert scorer_roles("subdistrict", "ratings") == ("subdistrict_officer",)
    assert scorer_roles("third_party", "ratings") == ("evaluator",)
    assert scorer_roles("resident_survey", "ratings") == ()
    assert scorer_roles("resident_survey", "entered") == ("evaluator",)
