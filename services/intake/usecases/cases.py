"""Use cases of follow-up cases: open, work, refer (to grid or a department), resolve, close."""

from __future__ import annotations

import logging
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select

from services.chassis import clock, numbering, scoping
from services.chassis.auth import Principal
from services.chassis.consumer import consumes
from services.chassis.errors import NotFound
from services.chassis.protection import PersonalDataCipher
from services.chassis.unit_of_work import UnitOfWork

from .. import domain, events
from ..domain import CaseStatus, DomainConflict, TicketStatus
from ..models import Case, CaseStep, Ticket
from . import catalogue, personal_data, policy

log = logging.getLogger(__name__)


def find(uow: UnitOfWork, case_id: str, *, lock: bool = False) -> Case:
    case = uow.session.get(Case, case_id, with_for_update=lock)
    if case is None:
        raise NotFound("No such case.")
    return case


def _base(case: Case) -> dict[str, Any]:
    return {
        "case_id": case.id,
        "case_number": case.number,
        "business_type": case.business_type,
        "opened_at": case.opened_at.isoformat(),
        "due_at": case.due_at.isoformat(),
    }


def _step(
    uow: UnitOfWork,
    case: Case,
    action: str,
    before: str | None,
    now: datetime,
    actor: str | None,
    note: str | None = None,
) -> None:
    uow.session.add(
        CaseStep(
            case_id=case.id,
            action=action,
            from_status=before,
            to_status=case.status,
            at=now,
            actor=actor,
            note=note,
        )
    )


def _move(
    uow: UnitOfWork, case: Case, action: str, now: datetime, actor: str | None, note: str | None = None
) -> None:
    before = case.status
    case.status = domain.case_next_status(before, action)
    case.version += 1
    _step(uow, case, action, before, now, actor, note)


def open_case(
    uow: UnitOfWork, principal: Principal, cipher: PersonalDataCipher, data: dict[str, Any], now: datetime
) -> Case:
    """Open a case from a ticket being served (or served) or directly at the desk."""
    community = data["community"]
    policy.require_staff(principal, community)
    ticket: Ticket | None = None
    if data.get("ticket_id"):
        ticket = uow.session.get(Ticket, str(data["ticket_id"]))
        if ticket is None or ticket.community != community:
            raise NotFound("No such ticket in this community.")
        if ticket.status not in (TicketStatus.SERVING, TicketStatus.COMPLETED):
            raise DomainConflict(
                f"Ticket {ticket.number} is {ticket.status}; a case is opened "
                "from a ticket being served or completed.",
                "ticket-not-served",
            )
        if uow.session.scalars(select(Case.id).where(Case.ticket_id == ticket.id)).first():
            raise DomainConflict(f"Ticket {ticket.number} already has a case.", "case-exists")
    business_type = catalogue.get_type(
        uow, community, data.get("business_type") or (ticket.business_type if ticket else "")
    )
    year = clock.local(now).year
    case = Case(
        id=str(uuid.uuid4()),
        community=community,
        number=domain.case_number(year, numbering.next_value(uow, f"case:{year}")),
        business_type=business_type.code,
        ticket_id=ticket.id if ticket else None,
        owner_sub=ticket.owner_sub if ticket else data.get("owner_sub"),
        summary=data["summary"],
        status=CaseStatus.OPEN,
        opened_at=now,
        due_at=catalogue.calendar(uow).due_at(now, business_type.sla_days),
        version=1,
    )
    phone = data.get("contact_phone") or (personal_data.phone_of(cipher, ticket) if ticket else None)
    personal_data.seal_phone(cipher, case, phone)
    uow.session.add(case)
    _step(uow, case, "open", None, now, principal.sub)
    uow.flush()
    uow.emit(
        events.CASE_OPENED,
        subject=case.id,
        community=community,
        time=now,
        data={**_base(case), "ticket_id": case.ticket_id},
    )
    return case


def act(
    uow: UnitOfWork,
    principal: Principal,
    case_id: str,
    action: str,
    now: datetime,
    data: dict[str, Any] | None = None,
) -> Case:
    """Apply a staff action to a case (start, await/replied, refer, resolve, reopen, close)."""
    data = data or {}
    case = find(uow, case_id, lock=True)
    policy.require_visible(principal, case.community, None, "case")
    policy.require_staff(principal, case.community)
    if action == "refer":
        return _refer(uow, principal, case, data, now)
    if action == "resolve":
        return _resolve(uow, case, now, principal.sub, data["resolution"], data.get("resolved_by", "desk"))
    # await-department records which department; the other moves their staff note
    _move(uow, case, action, now, principal.sub, note=data.get("department") or data.get("note"))
    if action == "reopen":
        case.resolved_at = None
        case.on_time = None
    if action == "close":
        case.closed_at = now
        uow.emit(
            events.CASE_CLOSED,
            subject=case.id,
            community=case.community,
            time=now,
            data={
                **_base(case),
                "closed_at": now.isoformat(),
                "resolved_at": case.resolved_at.isoformat(),
                "on_time": bool(case.on_time),
            },
        )
    uow.flush()
    return case


def _refer(uow: UnitOfWork, principal: Principal, case: Case, data: dict[str, Any], now: datetime) -> Case:
    _move(uow, case, "refer", now, principal.sub, note=data["target"])
    case.referral_target = data["target"]
    case.referral_category = data.get("category")
    case.referral_severity = data.get("severity")
    case.lon, case.lat = data.get("lon"), data.get("lat")
    case.referred_at = now
    uow.flush()
    uow.emit(
        events.CASE_REFERRED,
        subject=case.id,
        community=case.community,
        time=now,
        data={
            "case_id": case.id,
            "case_number": case.number,
            "business_type": case.business_type,
            "target": case.referral_target,
            "category": case.referral_category,
            "severity": case.referral_severity,
            "lon": case.lon,
            "lat": case.lat,
            "referred_at": now.isoformat(),
            "due_at": case.due_at.isoformat(),
            "opened_at": case.opened_at.isoformat(),
        },
    )
    return case


def _resolve(
    uow: UnitOfWork, case: Case, at: datetime, actor: str | None, resolution: str, resolved_by: str
) -> Case:
    _move(uow, case, "resolve", at, actor, note=f"by {resolved_by}")
    case.resolved_at = at
    case.on_time = at <= case.due_at
    case.resolution = resolution
    uow.flush()
    uow.emit(
        events.CASE_RESOLVED,
        subject=case.id,
        community=case.community,
        time=at,
        data={
            **_base(case),
            "resolved_at": at.isoformat(),
            "on_time": case.on_time,
            "resolved_by": resolved_by,
        },
    )
    return case


@consumes(
    "grid.case.resolved",
    "Record grid's resolution on the intake case it was referred from "
    "(source `intake`, source_ref = the intake case id).",
)
def on_grid_case_resolved(uow: UnitOfWork, event: dict[str, Any]) -> None:
    """Grid resolved the case we referred: record it and resolve ours (once, however often told)."""
    data = event.get("data") or {}
    if data.get("source") != "intake" or not data.get("source_ref"):
        return
    case = uow.session.get(Case, str(data["source_ref"]), with_for_update=True)
    if case is None:
        log.warning(
            "grid resolved a case referred from an unknown intake case",
            extra={"grid_case_id": data.get("case_id")},
        )
        return
    if case.grid_case_id == data.get("case_id") and case.status in (CaseStatus.RESOLVED, CaseStatus.CLOSED):
        return
    case.grid_case_id = data.get("case_id")
    case.grid_case_number = data.get("case_number")
    if case.status not in domain.OPEN_CASE_STATES:
        uow.flush()
        return
    resolved_at = datetime.fromisoformat(data["resolved_at"])
    _resolve(uow, case, resolved_at, None, f"Resolved by grid case {case.grid_case_number}.", "grid")


def check_overdue(uow: UnitOfWork, now: datetime, batch: int = 500) -> int:
    """Publish `intake.case.overdue` once for each unresolved case past its due time."""
    query = (
        select(Case)
        .where(
            Case.status.in_(list(domain.OPEN_CASE_STATES)),
            Case.due_at < now,
            Case.overdue_notified_at.is_(None),
        )
        .order_by(Case.due_at)
        .limit(batch)
    )
    if uow.database.is_postgres:
        query = query.with_for_update(skip_locked=True)
    found = list(uow.session.scalars(query))
    for case in found:
        case.overdue_notified_at = now
        uow.emit(
            events.CASE_OVERDUE,
            subject=case.id,
            community=case.community,
            time=now,
            data={**_base(case), "status": case.status},
        )
    uow.flush()
    return len(found)


def steps(uow: UnitOfWork, case_id: str) -> list[CaseStep]:
    return list(
        uow.session.scalars(select(CaseStep).where(CaseStep.case_id == case_id).order_by(CaseStep.id))
    )


def list_query(principal: Principal, filters: dict[str, Any], now: datetime) -> Any:
    """Cases the caller may see, newest first; `overdue` lists unresolved ones past due."""
    communities, reads_all = policy.readable_communities(principal, filters.get("community"))
    query = scoping.scoped(select(Case).where(Case.community.in_(communities)), principal, Case.community)
    if not reads_all or filters.get("mine"):
        query = query.where(Case.owner_sub == principal.sub)
    for name in ("status", "business_type", "referral_target"):
        if filters.get(name) is not None:
            query = query.where(getattr(Case, name) == filters[name])
    if filters.get("overdue"):
        query = query.where(Case.status.in_(list(domain.OPEN_CASE_STATES)), Case.due_at < now)
        return query.order_by(Case.due_at, Case.id)
    return query.order_by(Case.opened_at.desc(), Case.id)
