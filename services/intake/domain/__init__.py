"""What a ticket and a case are: their state machines, priority with aging, numbering.

Standard library and the chassis' state machine only. Errors carry `problem_status` so
the chassis answers them as RFC 9457 problems (a refused transition is the machine's
409 `illegal-transition`, naming it). The desk's other pure rules are the submodules:
`attributes` (forms), `workdays` and `holidays_cn` (the SLA calendar), `queueing` and
`simulation` (the pooling report's maths), `reference_data` (the default catalogue).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from services.chassis.statemachine import StateMachine


class DomainConflict(Exception):
    """A request that contradicts the state of the desk (409 with its own type)."""

    problem_status = 409

    def __init__(self, detail: str, problem_type: str) -> None:
        super().__init__(detail)
        self.detail = detail
        self.problem_type = problem_type


class TicketStatus(StrEnum):
    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    HELD = "held"
    COMPLETED = "completed"
    NO_SHOW = "no_show"


class CaseStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    WAITING_ON_DEPARTMENT = "waiting_on_department"
    REFERRED = "referred"
    RESOLVED = "resolved"
    CLOSED = "closed"


T = TicketStatus
C = CaseStatus

# action -> (states it may start from, state it leads to)
TICKET_TRANSITIONS: dict[str, tuple[tuple[TicketStatus, ...], TicketStatus]] = {
    "call": ((T.WAITING,), T.CALLED),
    "recall": ((T.CALLED,), T.CALLED),
    "start": ((T.CALLED,), T.SERVING),
    "complete": ((T.SERVING,), T.COMPLETED),
    "no_show": ((T.CALLED,), T.NO_SHOW),
    "transfer": ((T.CALLED, T.SERVING), T.WAITING),
    "hold": ((T.CALLED, T.SERVING), T.HELD),
    "resume": ((T.HELD,), T.WAITING),
}

CASE_TRANSITIONS: dict[str, tuple[tuple[CaseStatus, ...], CaseStatus]] = {
    "start": ((C.OPEN,), C.IN_PROGRESS),
    "await_department": ((C.IN_PROGRESS,), C.WAITING_ON_DEPARTMENT),
    "department_replied": ((C.WAITING_ON_DEPARTMENT,), C.IN_PROGRESS),
    "refer": ((C.OPEN, C.IN_PROGRESS, C.WAITING_ON_DEPARTMENT), C.REFERRED),
    "resolve": ((C.OPEN, C.IN_PROGRESS, C.WAITING_ON_DEPARTMENT, C.REFERRED), C.RESOLVED),
    "reopen": ((C.RESOLVED,), C.IN_PROGRESS),
    "close": ((C.RESOLVED,), C.CLOSED),
}

OPEN_CASE_STATES = (C.OPEN, C.IN_PROGRESS, C.WAITING_ON_DEPARTMENT, C.REFERRED)


TICKET = StateMachine("ticket", TICKET_TRANSITIONS)
CASE = StateMachine("case", CASE_TRANSITIONS)


def ticket_next_status(current: str, action: str) -> TicketStatus:
    """The state a ticket reaches by `action`, or `IllegalTransition`."""
    return TicketStatus(TICKET.target(current, action))


def case_next_status(current: str, action: str) -> CaseStatus:
    """The state a case reaches by `action`, or `IllegalTransition`."""
    return CaseStatus(CASE.target(current, action))


# -- queue order ---------------------------------------------------------------------

DEFAULT_PRIORITY_BOOST = timedelta(minutes=15)


def queue_key(issued_at: datetime, priority: bool, boost: timedelta = DEFAULT_PRIORITY_BOOST) -> datetime:
    """The instant a ticket counts as issued for call order.

    A priority ticket (elderly, disabled, pregnant) counts as if issued `boost` earlier:
    it goes before ordinary tickets that have waited less than `boost` longer than it,
    but an ordinary ticket that has waited `boost` longer still goes first (aging), so
    nobody starves however many priority tickets arrive.
    """
    return issued_at - boost if priority else issued_at


@dataclass(frozen=True)
class QueuedTicket:
    """What call order needs to know of a waiting ticket."""

    id: str
    business_type: str
    queue_key: datetime


def may_serve(mode: str, skills: frozenset[str] | set[str], business_type: str) -> bool:
    """A generalist window serves every type; a dedicated one only its skills."""
    return mode == "generalist" or business_type in skills


def pick_next(
    waiting: list[QueuedTicket], mode: str, skills: frozenset[str] | set[str]
) -> QueuedTicket | None:
    """The ticket a window calls next: the earliest queue key among those it may serve."""
    servable = [t for t in waiting if may_serve(mode, skills, t.business_type)]
    return min(servable, key=lambda t: (t.queue_key, t.id)) if servable else None


# -- numbers -------------------------------------------------------------------------

PRIORITY_PREFIX = "V"


def ticket_prefix(type_prefix: str, priority: bool) -> str:
    """Letter of a ticket number: `V` for priority tickets, else the business type's letter."""
    return PRIORITY_PREFIX if priority else type_prefix


def ticket_number(prefix: str, sequence: int) -> str:
    """`A023`: the letter and the day's sequence for that letter (three digits at least)."""
    return f"{prefix}{sequence:03d}"


def case_number(year: int, sequence: int) -> str:
    """`IC-2026-000123`: intake case, year of opening, sequence within the year."""
    return f"IC-{year}-{sequence:06d}"


def mask_phone(phone: str | None) -> str | None:
    """`138****5678`: keep the first three and last four digits only."""
    if not phone:
        return phone
    if len(phone) <= 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def seconds_between(start: datetime | None, end: datetime | None) -> int | None:
    if start is None or end is None:
        return None
    return max(0, int(round((end - start).total_seconds())))
