"""Metrics for a community and period, computed from the read model's tables.

A period is a range of local dates (`clock.local_zone()`), first and last day included. Events
count in the period of their business time: a ticket when it was completed, a rating when
it was recorded, a case when it was resolved (or, while unresolved, when it fell due), an
inspection when it was completed, a milestone by its due date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from services.chassis import clock
from services.chassis.auth import Principal
from services.chassis.unit_of_work import UnitOfWork

from ..domain import formulas
from ..models import CaseFact, CellFact, FeedbackFact, InspectionFact, MilestoneFact, TicketFact
from . import policy


@dataclass(frozen=True)
class Period:
    """Local dates `start`..`end` inclusive, and their UTC bounds [since, until)."""

    start: date
    end: date

    @property
    def since(self) -> datetime:
        return clock.local_midnight(self.start)

    @property
    def until(self) -> datetime:
        return clock.local_midnight(self.end + timedelta(days=1))

    def months(self) -> list[str]:
        """The calendar months (YYYY-MM) the period touches."""
        found, year, month = [], self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            found.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return found

    @classmethod
    def of_year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31))


def _ratio(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def _one_decimal(value: float | None) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _in(column: Any, period: Period) -> Any:
    return and_(column >= period.since, column < period.until)


def _tickets(session: Session, community: str, period: Period) -> dict[str, Decimal | None]:
    where = (TicketFact.community == community, _in(TicketFact.completed_at, period))
    if session.get_bind().dialect.name == "postgresql":
        count, p50, p90 = session.execute(
            select(
                func.count(),
                func.percentile_cont(0.5).within_group(TicketFact.wait_seconds),
                func.percentile_cont(0.9).within_group(TicketFact.wait_seconds),
            ).where(*where)
        ).one()
    else:
        waits = [
            float(w)
            for w in session.scalars(
                select(TicketFact.wait_seconds).where(*where).order_by(TicketFact.wait_seconds)
            )
        ]
        count = len(waits)
        p50, p90 = formulas.percentile(waits, 0.5), formulas.percentile(waits, 0.9)
    return {
        "tickets_served": Decimal(count),
        "wait_p50_seconds": _one_decimal(p50),
        "wait_p90_seconds": _one_decimal(p90),
    }


def _feedback(session: Session, community: str, period: Period) -> dict[str, Decimal | None]:
    count, total = session.execute(
        select(func.count(), func.sum(FeedbackFact.score)).where(
            FeedbackFact.community == community, _in(FeedbackFact.recorded_at, period)
        )
    ).one()
    mean = None
    if count:
        mean = (Decimal(int(total)) / Decimal(count)).quantize(Decimal("0.0001"), ROUND_HALF_UP)
    return {"satisfaction_mean": mean, "satisfaction_count": Decimal(count)}


def _count(session: Session, *where: Any) -> int:
    return int(session.scalar(select(func.count()).select_from(CaseFact).where(*where)) or 0)


def _cases(session: Session, community: str, period: Period, now: datetime) -> dict[str, Decimal | None]:
    # A grid case handling an intake referral is the same matter as the intake case,
    # which already measures it from the resident's side: count it once.
    counted = (
        CaseFact.community == community,
        or_(CaseFact.origin == "intake", CaseFact.source.is_(None), CaseFact.source != "intake"),
    )
    resolved_now = CaseFact.resolution_sequence > CaseFact.reopen_sequence
    closed_now = CaseFact.closed_sequence > CaseFact.reopen_sequence
    resolved = _count(session, *counted, resolved_now, _in(CaseFact.resolved_at, period))
    on_time = _count(
        session, *counted, resolved_now, _in(CaseFact.resolved_at, period), CaseFact.on_time.is_(True)
    )
    late_open = _count(
        session, *counted, _in(CaseFact.due_at, period), CaseFact.due_at < now, ~resolved_now, ~closed_now
    )
    first = _count(session, *counted, _in(CaseFact.first_resolved_at, period))
    reopened = _count(session, *counted, _in(CaseFact.first_resolved_at, period), CaseFact.reopened.is_(True))
    return {
        "cases_resolved": Decimal(resolved),
        "case_on_time_rate": _ratio(on_time, resolved + late_open),
        "reopen_rate": _ratio(reopened, first),
    }


def _inspections(session: Session, community: str, period: Period) -> dict[str, Decimal | None]:
    months = period.months()
    done = int(
        session.scalar(
            select(func.count())
            .select_from(InspectionFact)
            .where(InspectionFact.community == community, _in(InspectionFact.completed_at, period))
        )
        or 0
    )
    covered = int(
        session.scalar(
            select(func.count()).select_from(
                select(InspectionFact.cell_code, InspectionFact.period)
                .where(
                    InspectionFact.community == community,
                    InspectionFact.period.in_(months),
                    InspectionFact.completed_at < period.until,
                )
                .distinct()
                .subquery()
            )
        )
        or 0
    )
    planned = 0
    for (first_seen,) in session.execute(
        select(CellFact.first_seen_at).where(
            CellFact.community == community, CellFact.first_seen_at < period.until
        )
    ):
        seen_month = clock.local(first_seen).strftime("%Y-%m")
        planned += sum(1 for month in months if month >= seen_month)
    return {
        "inspections_done": Decimal(done),
        "inspections_planned": Decimal(planned),
        "inspection_coverage": _ratio(min(covered, planned), planned),
    }


def _milestones(
    session: Session, community: str, period: Period, contract_id: str | None
) -> dict[str, Decimal | None]:
    where = [
        MilestoneFact.community == community,
        MilestoneFact.due_date >= period.start,
        MilestoneFact.due_date <= period.end,
    ]
    if contract_id:
        where.append(MilestoneFact.contract_id == contract_id)
    due, met = session.execute(select(func.count(), func.count(MilestoneFact.met_at)).where(*where)).one()
    return {
        "milestones_due": Decimal(due),
        "milestones_met": Decimal(met),
        "milestone_met_rate": _ratio(int(met), int(due)),
    }


def compute(
    session: Session,
    community: str,
    period: Period,
    *,
    contract_id: str | None = None,
    now: datetime | None = None,
) -> dict[str, Decimal | None]:
    """Every metric in `formulas.METRICS` for the community and period (None: no data)."""
    values: dict[str, Decimal | None] = {}
    values.update(_tickets(session, community, period))
    values.update(_feedback(session, community, period))
    values.update(_cases(session, community, period, now or clock.now()))
    values.update(_inspections(session, community, period))
    values.update(_milestones(session, community, period, contract_id))
    return {name: values[name] for name in formulas.METRICS}


def measurements(
    uow: UnitOfWork, principal: Principal, community: str, period: Period, contract_id: str | None = None
) -> dict[str, Any]:
    """What the platform measured for a community and period, as of now (readers of measurements)."""
    policy.require_measurement_reader(principal, community)
    now = clock.now()
    values = compute(uow.session, community, period, contract_id=contract_id, now=now)
    return {
        "community": community,
        "period_start": period.start,
        "period_end": period.end,
        "contract_id": contract_id,
        "computed_at": now,
        "metrics": {k: None if v is None else float(v) for k, v in values.items()},
    }
