"""The periodic overdue check: `grid.case.overdue` once per deadline, one escalation when
a case is overdue by a whole SLA again (through the lifecycle's `escalate_overdue`)."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import and_, or_, select

from services.chassis import clock
from services.chassis.unit_of_work import UnitOfWork

from .. import domain
from .. import events as ev
from ..models import Case
from . import case_steps, cases

log = logging.getLogger(__name__)


def sweep_overdue(uow: UnitOfWork, now: datetime | None = None, batch: int = 500) -> tuple[int, int]:
    """Publish `grid.case.overdue` once per deadline; escalate once when overdue by a whole SLA
    again. Rows are claimed with FOR UPDATE SKIP LOCKED, so concurrent sweeps never repeat."""
    now = now or clock.now()
    overdue = list(
        uow.session.scalars(
            select(Case)
            .where(Case.is_open.is_(True), Case.due_at < now, Case.overdue_notified_at.is_(None))
            .order_by(Case.due_at)
            .limit(batch)
            .with_for_update(skip_locked=True)
        )
    )
    for case in overdue:
        case.overdue_notified_at = now
        _history(uow, case, "overdue", case.status, now)
        uow.emit(
            ev.CASE_OVERDUE,
            subject=case.id,
            community=case.community,
            data={**cases.case_data(case), "overdue_at": case.due_at.isoformat()},
            time=now,
        )
    late = or_(
        *(and_(Case.severity == severity, Case.due_at < now - sla) for severity, sla in domain.SLA.items())
    )
    escalate = list(
        uow.session.scalars(
            select(Case)
            .where(Case.is_open.is_(True), Case.overdue_escalated_at.is_(None), late)
            .order_by(Case.due_at)
            .limit(batch)
            .with_for_update(skip_locked=True)
        )
    )
    escalated = 0
    for case in escalate:
        case.overdue_escalated_at = now
        target = domain.CASE_LIFECYCLE.target(case.status, "escalate_overdue")
        level_before = case.escalation_level
        event_type, fields = case_steps.escalation(case, "overdue", now)
        if case.escalation_level == level_before:
            continue  # already at the district: nothing higher to escalate to
        before = case_steps.move(case, target, now)
        _history(uow, case, "escalate", before, now)
        case_steps.publish(uow, case, (event_type, fields), now)
        escalated += 1
    if overdue or escalated:
        log.info("overdue sweep", extra={"overdue": len(overdue), "escalated": escalated})
    return len(overdue), escalated


def _history(uow: UnitOfWork, case: Case, action: str, before: str, now: datetime) -> None:
    cases.record_history(
        uow, case, actor=cases.SYSTEM, role="system", action=action, from_status=before, note=None, at=now
    )
