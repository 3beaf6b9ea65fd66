"""What one consumed event says about the read model's rows.

`facts(event)` turns an event into changes of rows, each with its merge rule:
`Replace` (the event is the whole truth about that row: a ticket, a rating, an
inspection, a contract), `Earliest` (a grid cell's first sighting), `MilestoneChange`
(due date, met or withheld) and `CaseStep` (folded by `case_fold.apply`). The consumer applies
them to the database one event at a time; the rebuild applies them in memory and writes
in bulk. Both use these same facts and merge rules, so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from services.chassis import clock
from services.chassis import events as cloudevents

from ..models import ContractFact, FeedbackFact, InspectionFact, TicketFact


class Incomplete(cloudevents.MalformedEvent):
    """An event that lacks what its contract promises (dead-lettered at once)."""


@dataclass(frozen=True)
class Replace:
    """The row keyed by `key` becomes `values`."""

    model: type
    key: str
    values: dict[str, Any]


@dataclass(frozen=True)
class Earliest:
    """A grid cell seen at `seen_at`: its first sighting is the earliest one."""

    community: str
    cell_code: str
    seen_at: datetime


@dataclass(frozen=True)
class MilestoneChange:
    """A milestone fell due, was met (paid or released) or was withheld."""

    milestone_id: str
    contract_id: str
    community: str | None
    due_date: date | None = None
    amount_fen: int | None = None
    met_at: datetime | None = None
    withheld: bool = False


@dataclass(frozen=True)
class CaseStep:
    """One step of an intake or grid case, folded into the case's row."""

    origin: str
    case_id: str
    community: str
    verb: str
    data: Mapping[str, Any]
    sequence: int
    occurred_at: datetime | None


def merge_milestone(row: dict[str, Any] | None, change: MilestoneChange) -> dict[str, Any]:
    """The milestone row after a change (due fields replace, met is the earliest, withheld
    sticks)."""
    row = dict(
        row
        or {
            "milestone_id": change.milestone_id,
            "contract_id": change.contract_id,
            "community": None,
            "due_date": None,
            "amount_fen": None,
            "met_at": None,
            "withheld": False,
        }
    )
    row["contract_id"] = change.contract_id
    row["community"] = change.community or row["community"]
    if change.due_date is not None:
        row["due_date"], row["amount_fen"] = change.due_date, change.amount_fen
    if change.met_at is not None:
        row["met_at"] = min(filter(None, (row["met_at"], change.met_at)))
    row["withheld"] = row["withheld"] or change.withheld
    return row


def _time(data: Mapping[str, Any], key: str, *, required: bool = True) -> datetime | None:
    value = cloudevents.parse_time(data.get(key))
    if value is None and required:
        raise Incomplete(f"{key} is missing or not an RFC 3339 time with offset")
    return value.astimezone(UTC) if value else None


def _required(data: Mapping[str, Any], key: str) -> Any:
    if data.get(key) is None:
        raise Incomplete(f"{key} is missing")
    return data[key]


def _community(event: Mapping[str, Any]) -> str:
    community = event.get("community")
    if not isinstance(community, str) or not community:
        raise Incomplete(f"{event.get('type')} has no community")
    return community


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _seen(community: str, cell_code: Any, at: datetime | None) -> list[Earliest]:
    if not isinstance(cell_code, str) or not cell_code or at is None:
        return []
    return [Earliest(community, cell_code, at)]


def _ticket(event: dict[str, Any], data: dict[str, Any]) -> list[Any]:
    return [
        Replace(
            TicketFact,
            "ticket_id",
            dict(
                ticket_id=_required(data, "ticket_id"),
                community=_community(event),
                business_type=data.get("business_type"),
                channel=data.get("channel"),
                completed_at=_time(data, "completed_at"),
                wait_seconds=int(_required(data, "wait_seconds")),
                service_seconds=data.get("service_seconds"),
            ),
        )
    ]


def _feedback(event: dict[str, Any], data: dict[str, Any]) -> list[Any]:
    score = int(_required(data, "score"))
    if not 1 <= score <= 5:
        raise Incomplete(f"score {score} is outside 1-5")
    return [
        Replace(
            FeedbackFact,
            "feedback_id",
            dict(
                feedback_id=_required(data, "feedback_id"),
                community=_community(event),
                target_kind=data.get("target_kind"),
                score=score,
                recorded_at=_time(data, "recorded_at"),
            ),
        )
    ]


def _inspection(event: dict[str, Any], data: dict[str, Any]) -> list[Any]:
    community, completed = _community(event), _time(data, "completed_at")
    values = dict(
        inspection_id=_required(data, "inspection_id"),
        community=community,
        cell_code=str(_required(data, "cell_code")),
        period=str(_required(data, "period")),
        completed_at=completed,
        items=int(data.get("items") or 0),
        findings=int(data.get("findings") or 0),
    )
    month = _date(f"{values['period']}-01")
    seen = (
        completed
        if month is None
        else min(  # type: ignore[type-var]
            completed, datetime(month.year, month.month, 1, tzinfo=UTC)
        )
    )
    return [Replace(InspectionFact, "inspection_id", values), *_seen(community, values["cell_code"], seen)]


def _contract(event: dict[str, Any], data: dict[str, Any]) -> list[Any]:
    return [
        Replace(
            ContractFact,
            "contract_id",
            dict(
                contract_id=_required(data, "contract_id"),
                community=event.get("community"),
                provider_id=data.get("provider_id"),
                value_fen=data.get("value_fen"),
                period_start=_date(data.get("period_start")),
                period_end=_date(data.get("period_end")),
                activated_at=_time(data, "activated_at", required=False),
            ),
        )
    ]


def _milestone(event: dict[str, Any], data: dict[str, Any]) -> list[Any]:
    verb = cloudevents.event_name(event).rsplit(".", 1)[1]
    contract_id, milestone_id = _required(data, "contract_id"), data.get("milestone_id")
    if not milestone_id:
        return []  # a payment outside any milestone does not meet one
    change = MilestoneChange(milestone_id, contract_id, event.get("community"))
    if verb == "due":
        return [
            MilestoneChange(
                milestone_id,
                contract_id,
                change.community,
                due_date=_date(data.get("due_date")),
                amount_fen=data.get("amount_fen"),
            )
        ]
    if verb == "withheld":
        return [MilestoneChange(milestone_id, contract_id, change.community, withheld=True)]
    met = _time(data, "paid_at", required=False) or cloudevents.parse_time(event.get("time")) or clock.now()
    return [MilestoneChange(milestone_id, contract_id, change.community, met_at=met)]


def _case(event: dict[str, Any], data: dict[str, Any]) -> list[Any]:
    origin, _, verb = cloudevents.event_name(event).split(".")
    community = _community(event)
    occurred = cloudevents.parse_time(event.get("time"))
    try:
        sequence = int(event.get("sequence", 0))
    except (TypeError, ValueError):
        sequence = 0
    step = CaseStep(
        origin, str(data.get("case_id") or event["subject"]), community, verb, data, sequence, occurred
    )
    if origin != "grid":
        return [step]
    return [
        step,
        *_seen(community, data.get("cell_code"), _time(data, "reported_at", required=False) or occurred),
    ]


_BY_NAME = {
    "intake.ticket.completed": _ticket,
    "intake.feedback.recorded": _feedback,
    "grid.inspection.completed": _inspection,
    "contracts.contract.activated": _contract,
    "contracts.milestone.due": _milestone,
}


def facts(event: dict[str, Any]) -> list[Any]:
    """The row changes an event makes (empty for names the read model ignores)."""
    name = cloudevents.event_name(event)
    service, aggregate, _ = name.split(".")
    data = event.get("data") or {}
    if name in _BY_NAME:
        return _BY_NAME[name](event, data)
    if aggregate == "case" and service in ("intake", "grid"):
        return _case(event, data)
    if (service, aggregate) == ("contracts", "payment"):
        return _milestone(event, data)
    return []
