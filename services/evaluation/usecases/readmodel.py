"""The metrics read model: consumed events into the evaluation's own tables.

Every consumed event is first appended to `metric_events` (the raw log, deduplicated by
event id), then its facts (`facts.py`) are applied to one row per business object: a
ticket, a rating, a case, an inspection, a cell, a contract, a milestone. Rows are keyed
by the object's id and replaced or merged rather than added to, so an equivalent event
published twice (same facts, new event id) changes nothing. `rebuild` clears the rows and
replays the raw log, folding in memory and writing in bulk. `on_metric_event` is the one
consumed-event handler of the service: what it listens to, and why, is declared on it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import asdict
from typing import Any

from sqlalchemy import case, delete, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from services.chassis import clock
from services.chassis import events as cloudevents
from services.chassis.consumer import consumes
from services.chassis.db import Database
from services.chassis.unit_of_work import UnitOfWork

from ..models import (
    CaseFact,
    CellFact,
    ConsumedEvent,
    ContractFact,
    FeedbackFact,
    InspectionFact,
    MilestoneFact,
    TicketFact,
)
from . import case_fold
from .facts import CaseStep, Earliest, MilestoneChange, Replace, facts, merge_milestone

PROJECTIONS = (TicketFact, FeedbackFact, CaseFact, InspectionFact, CellFact, ContractFact, MilestoneFact)
BATCH = 2000
_CASE_FIELDS = tuple(case_fold.CaseRow.__dataclass_fields__)
_MILESTONE_FIELDS = (
    "milestone_id",
    "contract_id",
    "community",
    "due_date",
    "amount_fen",
    "met_at",
    "withheld",
)


def _insert(session: Session, model: type) -> Any:
    dialect = session.get_bind().dialect.name
    return (postgresql if dialect == "postgresql" else sqlite).insert(model)


def _replace(session: Session, model: type, key: str, rows: list[dict[str, Any]]) -> None:
    statement = _insert(session, model)
    columns = [c for c in rows[0] if c != key]
    session.execute(
        statement.on_conflict_do_update(
            index_elements=[key], set_={c: statement.excluded[c] for c in columns}
        ),
        rows,
    )


def _earliest(session: Session, rows: list[dict[str, Any]]) -> None:
    statement = _insert(session, CellFact)
    session.execute(
        statement.on_conflict_do_update(
            index_elements=["community", "cell_code"],
            set_={
                "first_seen_at": case(
                    (
                        statement.excluded.first_seen_at < CellFact.first_seen_at,
                        statement.excluded.first_seen_at,
                    ),
                    else_=CellFact.first_seen_at,
                )
            },
        ),
        rows,
    )


def _case_row(session: Session, step: CaseStep) -> None:
    session.execute(
        _insert(session, CaseFact)
        .values(origin=step.origin, case_id=step.case_id, community=step.community)
        .on_conflict_do_nothing()
    )
    fact = session.scalars(
        select(CaseFact)
        .where(CaseFact.origin == step.origin, CaseFact.case_id == step.case_id)
        .with_for_update()
    ).one()
    before = case_fold.CaseRow(**{f: getattr(fact, f) for f in _CASE_FIELDS})
    after = case_fold.apply(before, step.verb, step.data, step.sequence, step.occurred_at)
    for name in _CASE_FIELDS:
        setattr(fact, name, getattr(after, name))
    session.flush()


def _milestone_row(session: Session, change: MilestoneChange) -> None:
    if change.community is None:
        change = MilestoneChange(
            **{
                **asdict(change),
                "community": session.scalar(
                    select(ContractFact.community).where(ContractFact.contract_id == change.contract_id)
                ),
            }
        )
    session.execute(
        _insert(session, MilestoneFact)
        .values(milestone_id=change.milestone_id, contract_id=change.contract_id, withheld=False)
        .on_conflict_do_nothing()
    )
    fact = session.scalars(
        select(MilestoneFact).where(MilestoneFact.milestone_id == change.milestone_id).with_for_update()
    ).one()
    merged = merge_milestone({f: getattr(fact, f) for f in _MILESTONE_FIELDS}, change)
    for name, value in merged.items():
        setattr(fact, name, value)
    session.flush()


def project(session: Session, event: dict[str, Any]) -> None:
    """Apply one event's facts to the database rows."""
    for fact in facts(event):
        if isinstance(fact, Replace):
            _replace(session, fact.model, fact.key, [fact.values])
        elif isinstance(fact, Earliest):
            _earliest(session, [_cell_row(fact)])
        elif isinstance(fact, CaseStep):
            _case_row(session, fact)
        else:
            _milestone_row(session, fact)


def _cell_row(fact: Earliest) -> dict[str, Any]:
    return {"community": fact.community, "cell_code": fact.cell_code, "first_seen_at": fact.seen_at}


def record(uow: UnitOfWork, event: dict[str, Any]) -> bool:
    """Append the event to the raw log and project it; False if its id was already logged."""
    session = uow.session
    inserted = session.execute(
        _insert(session, ConsumedEvent)
        .values(
            event_id=event["id"],
            name=cloudevents.event_name(event),
            community=event.get("community"),
            received_at=clock.now(),
            body=cloudevents.encode(event).decode(),
        )
        .on_conflict_do_nothing(index_elements=["event_id"])
    ).rowcount
    if not inserted:
        return False
    project(session, event)
    return True


@consumes("intake.ticket.completed", "tickets served and waiting times (p50, p90)")
@consumes("intake.feedback.recorded", "residents' satisfaction (mean, count) and the resident survey")
@consumes("intake.case.*", "case on-time rate and reopen rate (intake cases)")
@consumes("grid.case.*", "case on-time rate and reopen rate (grid cases), known grid cells")
@consumes("grid.inspection.completed", "inspections done against planned (cell-months)")
@consumes("contracts.contract.activated", "the contract a scheme evaluates, its community and period")
@consumes("contracts.milestone.due", "milestones due in the period")
@consumes("contracts.payment.*", "milestones met (paid or released) or withheld")
def on_metric_event(uow: UnitOfWork, event: dict[str, Any]) -> None:
    """Log the event in the raw log and fold it into the metrics read model."""
    record(uow, event)


on_metric_event.inbox_name = "evaluation.metrics"  # type: ignore[attr-defined]


class _Replay:
    """Folds replayed facts in memory and writes them in bulk (same merge rules)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.replaced: dict[type, dict[Any, dict[str, Any]]] = {}
        self.keys: dict[type, str] = {}
        self.cells: dict[tuple[str, str], Any] = {}
        self.milestones: dict[str, dict[str, Any]] = {}
        self.contracts: dict[str, str | None] = {}
        self.cases: dict[tuple[str, str], tuple[str, case_fold.CaseRow]] = {}

    def add(self, event: dict[str, Any]) -> None:
        for fact in facts(event):
            if isinstance(fact, Replace):
                pending = self.replaced.setdefault(fact.model, {})
                self.keys[fact.model] = fact.key
                pending[fact.values[fact.key]] = fact.values
                if fact.model is ContractFact:
                    self.contracts[fact.values["contract_id"]] = fact.values["community"]
                if len(pending) >= BATCH:
                    self._flush(fact.model)
            elif isinstance(fact, Earliest):
                key = (fact.community, fact.cell_code)
                seen = self.cells.get(key)
                self.cells[key] = fact.seen_at if seen is None else min(seen, fact.seen_at)
            elif isinstance(fact, CaseStep):
                key = (fact.origin, fact.case_id)
                community, row = self.cases.get(key, (fact.community, case_fold.CaseRow()))
                self.cases[key] = (
                    community,
                    case_fold.apply(row, fact.verb, fact.data, fact.sequence, fact.occurred_at),
                )
            else:
                if fact.community is None:
                    fact = MilestoneChange(
                        **{**asdict(fact), "community": self.contracts.get(fact.contract_id)}
                    )
                self.milestones[fact.milestone_id] = merge_milestone(
                    self.milestones.get(fact.milestone_id), fact
                )

    def _flush(self, model: type) -> None:
        rows = list(self.replaced.pop(model, {}).values())
        if rows:
            _replace(self.session, model, self.keys[model], rows)

    def finish(self) -> None:
        for model in list(self.replaced):
            self._flush(model)
        self._bulk(CellFact, [_cell_row(Earliest(c, cell, at)) for (c, cell), at in self.cells.items()])
        self._bulk(MilestoneFact, list(self.milestones.values()))
        self._bulk(
            CaseFact,
            [
                {"origin": origin, "case_id": case_id, "community": community, **asdict(row)}
                for (origin, case_id), (community, row) in self.cases.items()
            ],
        )

    def _bulk(self, model: type, rows: list[dict[str, Any]]) -> None:
        for start in range(0, len(rows), BATCH):
            self.session.execute(_insert(self.session, model), rows[start : start + BATCH])


def rebuild(database: Database, *, progress: Callable[[int], None] | None = None) -> int:
    """Clear the projections and replay the raw log in order, in one transaction."""
    replayed = 0
    with database.sessionmaker() as session, session.begin():
        if database.is_postgres:  # consumers wait on their raw-log insert until we commit
            session.execute(text("LOCK TABLE metric_events IN SHARE ROW EXCLUSIVE MODE"))
        for model in PROJECTIONS:
            session.execute(delete(model))
        replay = _Replay(session)
        last_id = 0
        while True:  # keyset pages: no server-side cursor held open while we write
            page = session.execute(
                select(ConsumedEvent.id, ConsumedEvent.body)
                .where(ConsumedEvent.id > last_id)
                .order_by(ConsumedEvent.id)
                .limit(BATCH * 5)
            ).all()
            if not page:
                break
            for row_id, body in page:
                replay.add(json.loads(body))
                last_id = row_id
            replayed += len(page)
            if progress:
                progress(replayed)
        replay.finish()
    return replayed


def import_events(
    uow: UnitOfWork, lines: Iterable[str], wanted: Callable[[str], bool], first_line: int = 1
) -> int:
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
