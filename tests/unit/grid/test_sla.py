"""Deadlines by severity, overdue and the escalation threshold (overdue by a whole SLA again)."""

from datetime import UTC, datetime, timedelta

import pytest

from services.grid import domain
from services.grid.domain import CaseState

REPORTED = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("severity", "deadline"),
    [
        ("critical", datetime(2026, 11, 27, 9, 30, tzinfo=UTC)),
        ("high", datetime(2026, 11, 29, 9, 30, tzinfo=UTC)),
        ("medium", datetime(2026, 12, 3, 9, 30, tzinfo=UTC)),
        ("low", datetime(2026, 12, 11, 9, 30, tzinfo=UTC)),
    ],
)
def test_deadline_by_severity(severity, deadline):
    assert domain.due_at(REPORTED, severity) == deadline


def case(severity: str, status: str = "accepted") -> CaseState:
    return CaseState(
        status=status, severity=severity, reported_at=REPORTED, due_at=domain.due_at(REPORTED, severity)
    )


@pytest.mark.parametrize("severity", domain.SEVERITIES)
def test_overdue_only_after_the_deadline(severity):
    due = domain.due_at(REPORTED, severity)
    assert not domain.is_overdue(case(severity), due)
    assert domain.is_overdue(case(severity), due + timedelta(seconds=1))


@pytest.mark.parametrize("severity", domain.SEVERITIES)
def test_escalation_due_once_overdue_by_its_sla_again(severity):
    due = domain.due_at(REPORTED, severity)
    threshold = due + domain.SLA[severity]
    assert not domain.escalation_due(case(severity), threshold)
    assert domain.escalation_due(case(severity), threshold + timedelta(seconds=1))


def test_a_resolved_case_is_never_overdue():
    far = REPORTED + timedelta(days=365)
    assert not domain.is_overdue(case("critical", "resolved"), far)
    assert not domain.escalation_due(case("critical", "resolved"), far)


def test_resolution_on_time_is_at_or_before_the_deadline():
    due = domain.due_at(REPORTED, "high")
    assert domain.on_time(due, due)
    assert not domain.on_time(due + timedelta(seconds=1), due)


def test_every_category_has_a_default_severity():
    assert set(domain.DEFAULT_SEVERITY) == set(domain.CATEGORIES)
    assert set(domain.DEFAULT_SEVERITY.values()) <= set(domain.SEVERITIES)


@pytest.mark.parametrize(
    ("urgency", "expected"),
    [(None, "high"), ("normal", "high"), ("urgent", "critical"), ("immediate_danger", "critical")],
)
def test_open311_urgency_moves_the_severity(urgency, expected):
    assert domain.severity_from_urgency("hazard_fire", urgency) == expected
    assert domain.severity_from_urgency("environment", "urgent") == "medium"
