"""The metrics read model: consumed events into the evaluation's own tables.

Every consumed event is first appended to `metric_events` (the raw log, deduplicated by
event id), then projected into one row per business object: a ticket, a rating, a case,
an inspection, a contract, a milestone. Projections are keyed by the object's id and
overwrite or fold rather than add, so an equivalent event published twice (same facts,
new event id) changes nothing. `rebuild` clears the projections and replays the raw log.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import case, delete, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from services.chassis import events as cloudevents
from services.chassis.db import Database, UnitOfWork, utcnow

from . import cases
from .models import (
    CaseFact,
    CellFact,
    ConsumedEvent,
    ContractFact,
    FeedbackFact,
    InspectionFact,
    MilestoneFact,
    TicketFact,
)

log = logging.getLogger(__name__)

PROJECTIONS = (TicketFact, FeedbackFact, CaseFact, InspectionFact, CellFact, ContractFact,
               MilestoneFact)


class Incomplete(cloudevents.MalformedEvent):
    """An event that lacks what its contract promises (dead-lettered at once)."""


def _insert(session: Session, model: type) -> Any:
    dialect = session.get_bind().dialect.name
    return (postgresql if dialect == "postgresql" else sqlite).insert(model)


def _time(data: Mapping[str, Any], key: str, *, required: bool = True) -> datetime | None:
    value = cases.timestamp(data.get(key))
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


# -- projections ---------------------------------------------------------------------------

def _ticket(session: Session, event: dict[str, Any], data: dict[str, Any]) -> None:
    values = dict(ticket_id=_required(data, "ticket_id"), community=_community(event),
                  business_type=data.get("business_type"), channel=data.get("channel"),
                  completed_at=_time(data, "completed_at"),
                  wait_seconds=int(_required(data, "wait_seconds")),
                  service_seconds=data.get("service_seconds"))
    statement = _insert(session, TicketFact).values(**values)
    session.execute(statement.on_conflict_do_update(
        index_elements=["ticket_id"], set_={k: v for k, v in values.items() if k != "ticket_id"}))


def _feedback(session: Session, event: dict[str, Any], data: dict[str, Any]) -> None:
    score = int(_required(data, "score"))
    if not 1 <= score <= 5:
        raise Incomplete(f"score {score} is outside 1-5")
    values = dict(feedback_id=_required(data, "feedback_id"), community=_community(event),
                  target_kind=data.get("target_kind"), score=score,
                  recorded_at=_time(data, "recorded_at"))
    statement = _insert(session, FeedbackFact).values(**values)
    session.execute(statement.on_conflict_do_update(
        index_elements=["feedback_id"],
        set_={k: v for k, v in values.items() if k != "feedback_id"}))


def _seen_cell(session: Session, community: str, cell_code: Any, seen_at: datetime | None) -> None:
    if not isinstance(cell_code, str) or not cell_code or seen_at is None:
        return
    statement = _insert(session, CellFact).values(community=community, cell_code=cell_code,
                                                  first_seen_at=seen_at)
    session.execute(statement.on_conflict_do_update(
        index_elements=["community", "cell_code"],
        set_={"first_seen_at": case((statement.excluded.first_seen_at < CellFact.first_seen_at,
                                     statement.excluded.first_seen_at),
                                    else_=CellFact.first_seen_at)}))


def _case(origin: str) -> Callable[[Session, dict[str, Any], dict[str, Any]], None]:
    def project(session: Session, event: dict[str, Any], data: dict[str, Any]) -> None:
        community = _community(event)
        case_id = str(data.get("case_id") or event["subject"])
        session.execute(_insert(session, CaseFact).values(
            origin=origin, case_id=case_id, community=community).on_conflict_do_nothing())
        fact = session.scalars(select(CaseFact).where(
            CaseFact.origin == origin, CaseFact.case_id == case_id).with_for_update()).one()
        before = cases.CaseRow(**{f: getattr(fact, f) for f in cases.CaseRow.__dataclass_fields__})
        verb = cloudevents.event_name(event).rsplit(".", 1)[1]
        occurred = cases.timestamp(event.get("time"))
        after = cases.apply(before, verb, data, _sequence(event), occurred)
        for name in cases.CaseRow.__dataclass_fields__:
            setattr(fact, name, getattr(after, name))
        if origin == "grid":
            _seen_cell(session, community, data.get("cell_code"),
                       _time(data, "reported_at", required=False) or occurred)
        session.flush()
    return project


def _sequence(event: Mapping[str, Any]) -> int:
    try:
        return int(event.get("sequence", 0))
    except (TypeError, ValueError):
        return 0


def _inspection(session: Session, event: dict[str, Any], data: dict[str, Any]) -> None:
    community = _community(event)
    completed = _time(data, "completed_at")
    values = dict(inspection_id=_required(data, "inspection_id"), community=community,
                  cell_code=str(_required(data, "cell_code")),
                  period=str(_required(data, "period")),
                  completed_at=completed, items=int(data.get("items") or 0),
                  findings=int(data.get("findings") or 0))
    statement = _insert(session, InspectionFact).values(**values)
    session.execute(statement.on_conflict_do_update(
        index_elements=["inspection_id"],
        set_={k: v for k, v in values.items() if k != "inspection_id"}))
    month_start = _date(f"{values['period']}-01")
    seen = completed
    if month_start is not None:
        seen = min(completed, datetime(month_start.year, month_start.month, 1, tzinfo=UTC))  # type: ignore[type-var]
    _seen_cell(session, community, values["cell_code"], seen)


def _contract(session: Session, event: dict[str, Any], data: dict[str, Any]) -> None:
    values = dict(contract_id=_required(data, "contract_id"), community=event.get("community"),
                  provider_id=data.get("provider_id"), value_fen=data.get("value_fen"),
                  period_start=_date(data.get("period_start")),
                  period_end=_date(data.get("period_end")),
                  activated_at=_time(data, "activated_at", required=False))
    statement = _insert(session, ContractFact).values(**values)
    session.execute(statement.on_conflict_do_update(
        index_elements=["contract_id"],
        set_={k: v for k, v in values.items() if k != "contract_id"}))


def _milestone_community(session: Session, event: dict[str, Any], contract_id: str) -> str | None:
    return event.get("community") or session.scalar(
        select(ContractFact.community).where(ContractFact.contract_id == contract_id))


def _milestone_due(session: Session, event: dict[str, Any], data: dict[str, Any]) -> None:
    contract_id = _required(data, "contract_id")
    values = dict(milestone_id=_required(data, "milestone_id"), contract_id=contract_id,
                  community=_milestone_community(session, event, contract_id),
                  due_date=_date(data.get("due_date")), amount_fen=data.get("amount_fen"))
    statement = _insert(session, MilestoneFact).values(**values, withheld=False)
    session.execute(statement.on_conflict_do_update(
        index_elements=["milestone_id"],
        set_={k: v for k, v in values.items() if k != "milestone_id"}))


def _payment(session: Session, event: dict[str, Any], data: dict[str, Any]) -> None:
    contract_id = _required(data, "contract_id")
    milestone_id = data.get("milestone_id")
    if not milestone_id:
        return  # a payment outside any milestone does not meet one
    verb = cloudevents.event_name(event).rsplit(".", 1)[1]
    statement = _insert(session, MilestoneFact).values(
        milestone_id=milestone_id, contract_id=contract_id,
        community=_milestone_community(session, event, contract_id), withheld=False)
    session.execute(statement.on_conflict_do_nothing())
    if verb == "withheld":
        session.execute(update(MilestoneFact).where(MilestoneFact.milestone_id == milestone_id)
                        .values(withheld=True))
        return
    met = _time(data, "paid_at", required=False) or cases.timestamp(event.get("time")) or utcnow()
    session.execute(update(MilestoneFact).where(MilestoneFact.milestone_id == milestone_id).values(
        met_at=case((MilestoneFact.met_at.is_(None), met), (MilestoneFact.met_at > met, met),
                    else_=MilestoneFact.met_at)))


_BY_NAME: dict[str, Callable[[Session, dict[str, Any], dict[str, Any]], None]] = {
    "intake.ticket.completed": _ticket,
    "intake.feedback.recorded": _feedback,
    "grid.inspection.completed": _inspection,
    "contracts.contract.activated": _contract,
    "contracts.milestone.due": _milestone_due,
}


def projection_for(name: str) -> Callable[[Session, dict[str, Any], dict[str, Any]], None] | None:
    """The projection of an event name (None for names the read model ignores)."""
    if name in _BY_NAME:
        return _BY_NAME[name]
    service, aggregate, _ = name.split(".")
    if aggregate == "case" and service in ("intake", "grid"):
        return _case(service)
    if service == "contracts" and aggregate == "payment":
        return _payment
    return None


def project(session: Session, event: dict[str, Any]) -> None:
    """Apply one event to the projections."""
    projection = projection_for(cloudevents.event_name(event))
    if projection is not None:
        projection(session, event, event.get("data") or {})


def record(uow: UnitOfWork, event: dict[str, Any]) -> bool:
    """Append the event to the raw log and project it; False if its id was already logged."""
    session = uow.session
    inserted = session.execute(_insert(session, ConsumedEvent).values(
        event_id=event["id"], name=cloudevents.event_name(event), community=event.get("community"),
        received_at=utcnow(), body=cloudevents.encode(event).decode(),
    ).on_conflict_do_nothing(index_elements=["event_id"])).rowcount
    if not inserted:
        return False
    project(session, event)
    return True


def rebuild(database: Database, *, progress: Callable[[int], None] | None = None) -> int:
    """Clear the projections and replay the raw log in order, in one transaction."""
    replayed = 0
    with database.sessionmaker() as session, session.begin():
        if database.is_postgres:  # consumers wait on their raw-log insert until we commit
            session.execute(text("LOCK TABLE metric_events IN SHARE ROW EXCLUSIVE MODE"))
        for model in PROJECTIONS:
            session.execute(delete(model))
        rows = session.execute(select(ConsumedEvent.body).order_by(ConsumedEvent.id)
                               .execution_options(yield_per=2000))
        for (body,) in rows:
            project(session, json.loads(body))
            replayed += 1
            if progress and replayed % 10_000 == 0:
                progress(replayed)
    return replayed


def import_events(uow: UnitOfWork, lines: Iterable[str], wanted: Callable[[str], bool],
                  first_line: int = 1) -> int:
    """Record CloudEvents given as JSON lines (an archive); returns how many were new."""
    added = 0
    for number, line in enumerate(lines, start=first_line):
        if not line.strip():
            continue
        try:
            event = cloudevents.parse(line)
        except cloudevents.MalformedEvent as exc:
            raise cloudevents.MalformedEvent(f"line {number}: {exc}") from None
        if wanted(cloudevents.event_name(event)) and record(uow, event):
            added += 1
    return added
