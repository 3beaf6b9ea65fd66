"""Events the grid service publishes (what it consumes is declared at its handlers, `@consumes`).

Payloads carry ids, codes, counts, timestamps and statuses only: never names, phone
numbers, ID numbers, free-text descriptions or addresses.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from services.chassis.config import DEPARTMENTS
from services.chassis.events import (
    BOOLEAN,
    DATETIME,
    UUID,
    EventType,
    enum,
    integer,
    nullable,
    payload,
    string,
)

from . import domain

CASE_NUMBER = string(20, r"^GC-[0-9]{4}-[0-9]{6,}$")
CATEGORY = enum(*domain.CATEGORIES)
SEVERITY = enum(*domain.SEVERITIES)
SOURCE = enum(*domain.SOURCES)
CELL_CODE = string(40)

CASE_FIELDS: dict[str, Mapping[str, Any]] = {
    "case_id": UUID,
    "case_number": CASE_NUMBER,
    "category": CATEGORY,
    "severity": SEVERITY,
    "source": SOURCE,
    "cell_code": nullable(CELL_CODE),
    "reported_at": DATETIME,
    "due_at": DATETIME,
}
CASE_OPTIONAL: dict[str, Mapping[str, Any]] = {
    "source_ref": nullable(string(100)),
    "status": enum(*domain.STATUSES),
}


def _case_event(verb: str, description: str, **fields: Mapping[str, Any]) -> EventType:
    return EventType(f"grid.case.{verb}", description, payload({**CASE_FIELDS, **fields}, CASE_OPTIONAL))


CASE_REPORTED = _case_event(
    "reported",
    "A case was reported (by a resident, an inspection finding, an intake referral or a department).",
    inspection_id=nullable(UUID),
)
CASE_ACCEPTED = _case_event("accepted", "The community accepted a case.", accepted_at=DATETIME)
CASE_RESOLVED = EventType(
    "grid.case.resolved",
    "A case was resolved; `source_ref` is the intake case id when the case came from intake.",
    payload(
        {**CASE_FIELDS, "source_ref": nullable(string(100)), "resolved_at": DATETIME, "on_time": BOOLEAN},
        {"status": enum(*domain.STATUSES), "department": nullable(enum(*DEPARTMENTS))},
    ),
)
CASE_VERIFIED = _case_event(
    "verified", "Someone other than the resolver checked the resolution on site.", verified_at=DATETIME
)
CASE_CLOSED = _case_event(
    "closed",
    "A case was closed (resolved, duplicate or rejected).",
    closed_kind=enum(*domain.CLOSED_KINDS),
    closed_at=DATETIME,
    duplicate_of=nullable(UUID),
)
CASE_REFERRED = _case_event(
    "referred",
    "A case was referred to the department that can act on it.",
    department=enum(*DEPARTMENTS),
    referred_at=DATETIME,
)
CASE_ESCALATED = _case_event(
    "escalated",
    "A case was escalated (to the subdistrict, then the "
    "district); trigger `overdue` when the periodic check did it.",
    level=enum(*domain.ESCALATION_LEVELS[1:]),
    trigger=enum("manual", "overdue"),
    escalated_at=DATETIME,
)
CASE_OVERDUE = _case_event(
    "overdue", "An open case passed its deadline (published once per deadline).", overdue_at=DATETIME
)
CASE_REOPENED = _case_event(
    "reopened",
    "The reporter reopened a resolved case within 7 days.",
    reopened_at=DATETIME,
    reopen_count=integer(1),
)

INSPECTION_COMPLETED = EventType(
    "grid.inspection.completed",
    "A grid worker completed an inspection round of a cell.",
    payload(
        {
            "inspection_id": UUID,
            "cell_code": CELL_CODE,
            "period": string(7, r"^[0-9]{4}-(0[1-9]|1[0-2])$"),
            "items": integer(0),
            "findings": integer(0),
            "completed_at": DATETIME,
        },
        {"case_ids": {"type": "array", "items": UUID, "maxItems": 200}},
    ),
)

COUNT = integer(0)
COLLECTION_UPDATED = EventType(
    "grid.collection.updated",
    "Collected information of a cell changed: counts only, no personal data.",
    payload(
        {
            "cell_id": UUID,
            "cell_code": CELL_CODE,
            "buildings": COUNT,
            "households": COUNT,
            "persons": COUNT,
            "registered": COUNT,
            "floating": COUNT,
            "places": COUNT,
            "special_care": {
                "type": "object",
                "additionalProperties": COUNT,
                "propertyNames": {"maxLength": 40},
            },
            "updated_at": DATETIME,
        }
    ),
)

PUBLISHES: Sequence[EventType] = (
    CASE_REPORTED,
    CASE_ACCEPTED,
    CASE_RESOLVED,
    CASE_VERIFIED,
    CASE_CLOSED,
    CASE_REFERRED,
    CASE_ESCALATED,
    CASE_OVERDUE,
    CASE_REOPENED,
    INSPECTION_COMPLETED,
    COLLECTION_UPDATED,
)
