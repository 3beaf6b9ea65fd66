"""Handlers of consumed events and periodic checks (the HTTP use cases live beside them:
`cells`, `cases`, `inspections`, `collection`, `open311_requests`)."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.exc import IntegrityError

from services.chassis import clock
from services.chassis.config import COMMUNITIES
from services.chassis.consumer import HandlerTable
from services.chassis.events import MalformedEvent, parse_time
from services.chassis.unit_of_work import UnitOfWork

from . import case_steps, cases, cells, domain
from . import events as ev
from .models import Case, CaseHistory

log = logging.getLogger(__name__)
SYSTEM = "system:grid"


def on_intake_case_referred(uow: UnitOfWork, event: dict[str, Any]) -> None:
    """A case the service center refers to the grid becomes a grid case, exactly once."""
    data = event["data"]
    if data.get("target") != "grid":
        return
    community = event.get("community")
    if community not in COMMUNITIES:
        raise MalformedEvent("intake.case.referred without a known community")
    intake_id = str(data["case_id"])
    if _intake_case_exists(uow, intake_id):
        log.info("intake referral already holds a grid case", extra={"source_ref": intake_id})
        return
    category = data.get("category") if data.get("category") in domain.CATEGORIES else "other"
    severity = data.get("severity")
    if severity not in domain.SEVERITIES:
        severity = domain.DEFAULT_SEVERITY[category]
    now = clock.now()
    referred_at = parse_time(data.get("referred_at")) or now
    due = domain.due_at(referred_at, severity)
    intake_due = parse_time(data.get("due_at"))
    if intake_due is not None and intake_due < due:
        due = intake_due  # the deadline the service center promised the resident
    lon, lat = data.get("lon"), data.get("lat")
    cell = cells.locate(uow, lon, lat, community) if lon is not None and lat is not None else None
    description = (
        f"Referred by the community service center: intake case "
        f"{data.get('case_number')} ({data.get('business_type')})."
    )
    try:
        with uow.session.begin_nested():
            case = cases.open_case(
                uow,
                actor=SYSTEM,
                role="intake",
                community=community,
                category=category,
                severity=severity,
                source="intake",
                source_ref=intake_id,
                description=description,
                now=referred_at,
                cell=cell,
                lon=lon,
                lat=lat,
                due=due,
                external_number=str(data.get("case_number") or "")[:40] or None,
            )
    except IntegrityError:  # the same referral, delivered twice at once
        if _intake_case_exists(uow, intake_id):
            return
        raise
    log.info(
        "grid case opened from intake referral",
        extra={"case_id": case.id, "case_number": case.number, "source_ref": intake_id},
    )


def _intake_case_exists(uow: UnitOfWork, intake_id: str) -> bool:
    return (
        uow.session.scalar(select(Case.id).where(Case.source == "intake", Case.source_ref == intake_id))
        is not None
    )


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
        before = case.status
        level_before = case.escalation_level
        event_type, fields = case_steps.escalation(case, "overdue", now)
        if case.escalation_level == level_before:
            continue  # already at the district: nothing higher to escalate to
        case.status = "escalated"
        case.version += 1
        case.updated_at = now
        _history(uow, case, "escalate", before, now)
        uow.emit(
            event_type,
            subject=case.id,
            community=case.community,
            data={**cases.case_data(case), **fields},
            time=now,
        )
        escalated += 1
    if overdue or escalated:
        log.info("overdue sweep", extra={"overdue": len(overdue), "escalated": escalated})
    return len(overdue), escalated


def _history(uow: UnitOfWork, case: Case, action: str, before: str, now: datetime) -> None:
    uow.session.add(
        CaseHistory(
            case_id=case.id,
            at=now,
            actor_sub=SYSTEM,
            actor_role="system",
            action=action,
            from_status=before,
            to_status=case.status,
            note=None,
        )
    )


EVENT_HANDLERS: HandlerTable = {
    "intake.case.referred": [on_intake_case_referred],
}
