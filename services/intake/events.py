"""Events the intake service publishes (no personal data); what it consumes is declared at
its handlers (`usecases.CONSUMED`)."""

from __future__ import annotations

from collections.abc import Sequence

from services.chassis.config import DEPARTMENTS
from services.chassis.events import (
    BOOLEAN,
    DATETIME,
    NUMBER,
    UUID,
    EventType,
    enum,
    integer,
    nullable,
    payload,
    string,
)

CODE = string(40, r"^[a-z][a-z0-9_]*$")
TICKET_NUMBER = string(10, r"^[A-Z][0-9]{3,}$")
CASE_NUMBER = string(20, r"^IC-[0-9]{4}-[0-9]{6}$")
CHANNEL = enum("walk_in", "portal", "phone")
SEVERITY = enum("low", "medium", "high", "critical")

_TICKET = {
    "ticket_id": UUID,
    "number": TICKET_NUMBER,
    "business_type": CODE,
    "channel": CHANNEL,
    "priority": BOOLEAN,
    "issued_at": DATETIME,
}

TICKET_ISSUED = EventType(
    "intake.ticket.issued",
    "A resident took a queue ticket. `queue_key` is the instant it counts as issued for call "
    "order (earlier for a priority ticket), so a consumer can tell how many wait ahead of it.",
    payload(_TICKET, {"queue_key": DATETIME}),
)
TICKET_CALLED = EventType(
    "intake.ticket.called",
    "A window called a ticket.",
    payload(
        {
            **_TICKET,
            "window_id": UUID,
            "window_number": integer(1),
            "called_at": DATETIME,
            "wait_seconds": integer(0),
        }
    ),
)
TICKET_COMPLETED = EventType(
    "intake.ticket.completed",
    "A window finished serving a ticket.",
    payload(
        {
            **_TICKET,
            "window_id": UUID,
            "called_at": DATETIME,
            "completed_at": DATETIME,
            "wait_seconds": integer(0),
            "service_seconds": integer(0),
        }
    ),
)
TICKET_NO_SHOW = EventType(
    "intake.ticket.no_show",
    "A called resident did not come to the window.",
    payload({**_TICKET, "window_id": UUID, "called_at": DATETIME, "no_show_at": DATETIME}),
)

_CASE = {
    "case_id": UUID,
    "case_number": CASE_NUMBER,
    "business_type": CODE,
    "opened_at": DATETIME,
    "due_at": DATETIME,
}

CASE_OPENED = EventType(
    "intake.case.opened",
    "A matter needing follow-up was opened as a case.",
    payload(_CASE, {"ticket_id": nullable(UUID)}),
)
CASE_REFERRED = EventType(
    "intake.case.referred",
    "A case was handed to grid (a hazard reported at the window) or to a department.",
    payload(
        {
            "case_id": UUID,
            "case_number": CASE_NUMBER,
            "business_type": CODE,
            "target": enum("grid", *DEPARTMENTS),
            "category": nullable(string(40)),
            "severity": nullable(SEVERITY),
            "lon": nullable(NUMBER),
            "lat": nullable(NUMBER),
            "referred_at": DATETIME,
            "due_at": DATETIME,
        },
        {"opened_at": DATETIME},
    ),
)
CASE_RESOLVED = EventType(
    "intake.case.resolved",
    "A case was resolved (by the desk, a department or grid).",
    payload(
        {**_CASE, "resolved_at": DATETIME, "on_time": BOOLEAN},
        {"resolved_by": enum("desk", "department", "grid")},
    ),
)
CASE_CLOSED = EventType(
    "intake.case.closed",
    "A resolved case was closed.",
    payload({**_CASE, "closed_at": DATETIME}, {"resolved_at": DATETIME, "on_time": BOOLEAN}),
)
CASE_OVERDUE = EventType(
    "intake.case.overdue",
    "A case passed its due date unresolved (published once per case).",
    payload({**_CASE, "status": CODE}),
)

FEEDBACK_RECORDED = EventType(
    "intake.feedback.recorded",
    "A resident rated a completed ticket or a closed case.",
    payload(
        {
            "feedback_id": UUID,
            "target_kind": enum("ticket", "case"),
            "target_id": UUID,
            "business_type": CODE,
            "score": integer(1, 5),
            "recorded_at": DATETIME,
        },
        {"channel": enum("portal", "pad"), "window_id": nullable(UUID)},
    ),
)

PUBLISHES: Sequence[EventType] = (
    TICKET_ISSUED,
    TICKET_CALLED,
    TICKET_COMPLETED,
    TICKET_NO_SHOW,
    CASE_OPENED,
    CASE_REFERRED,
    CASE_RESOLVED,
    CASE_CLOSED,
    CASE_OVERDUE,
    FEEDBACK_RECORDED,
)
