"""Events as intake, grid and contracts publish them (docs/events.md), built for tests.

The payload declarations below are local copies of the cross-service contracts, so the
tests build events exactly as the producers would (`services.chassis.events.build`)
without importing another service's package.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from services.chassis.events import (
    BOOLEAN,
    DATE,
    DATETIME,
    FEN,
    UUID,
    EventType,
    array,
    build,
    enum,
    integer,
    nullable,
    payload,
    string,
)

TICKET_COMPLETED = EventType(
    "intake.ticket.completed",
    "A ticket was served.",
    payload(
        {
            "ticket_id": UUID,
            "number": string(10),
            "business_type": string(60),
            "window_id": string(60),
            "channel": string(20),
            "priority": string(20),
            "issued_at": DATETIME,
            "called_at": DATETIME,
            "completed_at": DATETIME,
            "wait_seconds": integer(0),
            "service_seconds": integer(0),
        }
    ),
)
FEEDBACK_RECORDED = EventType(
    "intake.feedback.recorded",
    "A resident rated.",
    payload(
        {
            "feedback_id": UUID,
            "target_kind": enum("ticket", "case"),
            "target_id": UUID,
            "business_type": nullable(string(60)),
            "score": integer(1, 5),
            "recorded_at": DATETIME,
        }
    ),
)
_INTAKE_CASE = {
    "case_id": UUID,
    "case_number": string(20),
    "business_type": string(60),
    "opened_at": DATETIME,
    "due_at": DATETIME,
}
INTAKE_CASE = {
    "opened": EventType("intake.case.opened", "Opened.", payload(_INTAKE_CASE)),
    "overdue": EventType("intake.case.overdue", "Overdue.", payload(_INTAKE_CASE)),
    "resolved": EventType(
        "intake.case.resolved",
        "Resolved.",
        payload({**_INTAKE_CASE, "resolved_at": DATETIME, "on_time": BOOLEAN}),
    ),
    "closed": EventType("intake.case.closed", "Closed.", payload({**_INTAKE_CASE, "closed_at": DATETIME})),
}
_GRID_CASE = {
    "case_id": UUID,
    "case_number": string(20),
    "category": string(40),
    "severity": string(20),
    "source": enum("inspection", "resident", "intake", "department"),
    "cell_code": nullable(string(40)),
    "reported_at": DATETIME,
    "due_at": DATETIME,
}
GRID_CASE = {
    "reported": EventType("grid.case.reported", "Reported.", payload(_GRID_CASE)),
    "accepted": EventType("grid.case.accepted", "Accepted.", payload(_GRID_CASE)),
    "resolved": EventType(
        "grid.case.resolved",
        "Resolved.",
        payload({**_GRID_CASE, "source_ref": nullable(UUID), "resolved_at": DATETIME, "on_time": BOOLEAN}),
    ),
    "reopened": EventType("grid.case.reopened", "Reopened.", payload(_GRID_CASE)),
    "closed": EventType("grid.case.closed", "Closed.", payload({**_GRID_CASE, "closed_kind": string(40)})),
    "overdue": EventType("grid.case.overdue", "Overdue.", payload(_GRID_CASE)),
}
INSPECTION_COMPLETED = EventType(
    "grid.inspection.completed",
    "Inspected.",
    payload(
        {
            "inspection_id": UUID,
            "cell_code": string(40),
            "period": string(7, r"^\d{4}-\d{2}$"),
            "items": integer(0),
            "findings": integer(0),
            "completed_at": DATETIME,
        }
    ),
)
CONTRACT_ACTIVATED = EventType(
    "contracts.contract.activated",
    "Active.",
    payload(
        {
            "contract_id": UUID,
            "provider_id": UUID,
            "value_fen": FEN,
            "period_start": DATE,
            "period_end": DATE,
            "package_codes": array(string(40)),
            "activated_at": DATETIME,
        }
    ),
)
MILESTONE_DUE = EventType(
    "contracts.milestone.due",
    "Due.",
    payload({"contract_id": UUID, "milestone_id": UUID, "due_date": DATE, "amount_fen": FEN}),
)
PAYMENT_MADE = EventType(
    "contracts.payment.made",
    "Paid.",
    payload(
        {
            "payment_id": UUID,
            "contract_id": UUID,
            "milestone_id": UUID,
            "amount_fen": FEN,
            "paid_at": DATETIME,
        }
    ),
)


def event(
    event_type: EventType,
    data: dict[str, Any],
    *,
    subject: str,
    community: str,
    sequence: int = 1,
    event_id: str | None = None,
    time: datetime | None = None,
) -> dict[str, Any]:
    """A CloudEvent as its producer's outbox would publish it."""
    return build(
        event_type,
        source=f"/services/{event_type.service}",
        subject=subject,
        community=community,
        data=data,
        sequence=sequence,
        event_id=event_id,
        correlation_id=uuid.uuid4().hex,
        time=time,
    )


def ticket(
    community: str, completed_at: datetime, wait_seconds: int, ticket_id: str | None = None, **kwargs: Any
) -> dict[str, Any]:
    """intake.ticket.completed for one served ticket."""
    ticket_id = ticket_id or str(uuid.uuid4())
    at = completed_at.isoformat()
    return event(
        TICKET_COMPLETED,
        {
            "ticket_id": ticket_id,
            "number": "A023",
            "business_type": "social_security",
            "window_id": "w1",
            "channel": "onsite",
            "priority": "normal",
            "issued_at": at,
            "called_at": at,
            "completed_at": at,
            "wait_seconds": wait_seconds,
            "service_seconds": 300,
        },
        subject=ticket_id,
        community=community,
        **kwargs,
    )


def rating(
    community: str, recorded_at: datetime, score: int, feedback_id: str | None = None, **kwargs: Any
) -> dict[str, Any]:
    """intake.feedback.recorded for one resident's rating."""
    feedback_id = feedback_id or str(uuid.uuid4())
    return event(
        FEEDBACK_RECORDED,
        {
            "feedback_id": feedback_id,
            "target_kind": "ticket",
            "target_id": str(uuid.uuid4()),
            "business_type": None,
            "score": score,
            "recorded_at": recorded_at.isoformat(),
        },
        subject=feedback_id,
        community=community,
        **kwargs,
    )


def grid_case(
    step: str,
    community: str,
    case_id: str,
    *,
    reported_at: datetime,
    due_at: datetime,
    sequence: int,
    source: str = "resident",
    cell_code: str | None = "HGS-01",
    **extra: Any,
) -> dict[str, Any]:
    """grid.case.<step> for one case."""
    data = {
        "case_id": case_id,
        "case_number": "GC-2026-000123",
        "category": "sanitation",
        "severity": "normal",
        "source": source,
        "cell_code": cell_code,
        "reported_at": reported_at.isoformat(),
        "due_at": due_at.isoformat(),
        **extra,
    }
    if step == "resolved":
        data.setdefault("source_ref", None)
    return event(GRID_CASE[step], data, subject=case_id, community=community, sequence=sequence)


def intake_case(
    step: str,
    community: str,
    case_id: str,
    *,
    opened_at: datetime,
    due_at: datetime,
    sequence: int,
    **extra: Any,
) -> dict[str, Any]:
    """intake.case.<step> for one case."""
    data = {
        "case_id": case_id,
        "case_number": "IC-2026-000042",
        "business_type": "civil_affairs",
        "opened_at": opened_at.isoformat(),
        "due_at": due_at.isoformat(),
        **extra,
    }
    return event(INTAKE_CASE[step], data, subject=case_id, community=community, sequence=sequence)


def inspection(
    community: str, cell_code: str, completed_at: datetime, inspection_id: str | None = None
) -> dict[str, Any]:
    """grid.inspection.completed for one cell."""
    inspection_id = inspection_id or str(uuid.uuid4())
    return event(
        INSPECTION_COMPLETED,
        {
            "inspection_id": inspection_id,
            "cell_code": cell_code,
            "period": completed_at.strftime("%Y-%m"),
            "items": 12,
            "findings": 1,
            "completed_at": completed_at.isoformat(),
        },
        subject=inspection_id,
        community=community,
    )
