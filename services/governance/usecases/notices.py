"""Public notices (公示): a passed award or grant is posted for its working days; residents
object (one each), the committee answers every objection, then the notice concludes."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Select, func, select

from services.chassis import clock
from services.chassis.auth import Principal
from services.chassis.errors import Conflict
from services.chassis.unit_of_work import UnitOfWork

from .. import domain, events
from ..models import AgendaItem, Notice, Objection
from ..settings import GovernanceSettings
from . import policy
from .common import get, new_id, seat_of


def post(uow: UnitOfWork, item: AgendaItem, settings: GovernanceSettings) -> Notice:
    """Post a passed resolution; the period ends after the N-th working day from tomorrow."""
    at = clock.now()
    last = domain.notice_last_day(
        clock.local(at).date(), settings.notice_working_days, settings.holiday_dates()
    )
    notice = Notice(
        id=new_id(),
        community=item.community,
        item_id=item.id,
        title=item.title,
        posted_at=at,
        ends_at=clock.local_midnight(last + timedelta(days=1)),
    )
    uow.session.add(notice)
    uow.emit(
        events.NOTICE_POSTED,
        subject=notice.id,
        community=notice.community,
        data={
            "notice_id": notice.id,
            "resolution_id": item.id,
            "subject_kind": item.subject_kind,
            "subject_id": item.subject_id,
            "posted_at": at.isoformat(),
            "ends_at": notice.ends_at.isoformat(),
        },
    )
    return notice


def object_to(uow: UnitOfWork, principal: Principal, notice_id: str, text: str) -> Objection:
    """A resident of the community objects while the notice runs (once per notice)."""
    notice = get(uow, Notice, notice_id, lock=True, what="公示")
    policy.require_resident(principal, notice.community)
    domain.check_objection_open(notice.ends_at, clock.now())
    if uow.session.scalars(
        select(Objection).where(Objection.notice_id == notice.id, Objection.resident_sub == principal.sub)
    ).first():
        raise Conflict(
            "您已就此公示提出过异议。 (You have objected to this notice.)", type="already-objected"
        )
    objection = Objection(
        id=new_id(), notice_id=notice.id, resident_sub=principal.sub, text=text, lodged_at=clock.now()
    )
    uow.session.add(objection)
    return objection


def answer(uow: UnitOfWork, principal: Principal, objection_id: str, text: str) -> Objection:
    """A sitting member answers an objection for the committee (once)."""
    objection = get(uow, Objection, objection_id, lock=True, what="异议")
    notice = get(uow, Notice, objection.notice_id, what="公示")
    policy.require_committee(principal, notice.community)
    seat = seat_of(uow, principal, notice.community, clock.local_today())
    if objection.answered_at is not None:
        raise Conflict("此异议已答复。 (The objection has been answered.)", type="already-answered")
    objection.answer, objection.answered_by, objection.answered_at = text, seat.id, clock.now()
    return objection


def conclude(uow: UnitOfWork, principal: Principal | None, notice_id: str) -> Notice:
    """After the period, with every objection answered, the resolution takes effect."""
    notice = get(uow, Notice, notice_id, lock=True, what="公示")
    if principal is not None:
        policy.require_committee(principal, notice.community)
        seat_of(uow, principal, notice.community, clock.local_today())
    if notice.concluded_at is not None:
        raise Conflict("公示已结束并生效。 (The notice has concluded.)", type="notice-concluded")
    counted = objections_of(uow, notice.id)
    at = clock.now()
    domain.check_concludable(notice.ends_at, at, sum(1 for o in counted if o.answered_at is None))
    notice.concluded_at = at
    item = get(uow, AgendaItem, notice.item_id, what="议题")
    uow.emit(
        events.NOTICE_CONCLUDED,
        subject=notice.id,
        community=notice.community,
        data={
            "notice_id": notice.id,
            "resolution_id": item.id,
            "subject_kind": item.subject_kind,
            "subject_id": item.subject_id,
            "objections": len(counted),
            "concluded_at": at.isoformat(),
        },
    )
    return notice


def conclude_due(uow: UnitOfWork, limit: int = 100) -> int:
    """Periodic: conclude the notices whose period is over and whose objections are all answered."""
    unanswered = (
        select(func.count(Objection.id))
        .where(Objection.notice_id == Notice.id, Objection.answered_at.is_(None))
        .scalar_subquery()
    )
    due = uow.session.scalars(
        select(Notice.id)
        .where(Notice.concluded_at.is_(None), Notice.ends_at <= clock.now(), unanswered == 0)
        .limit(limit)
    ).all()
    for notice_id in due:
        conclude(uow, None, notice_id)
    return len(due)


def list_notices(community: str | None) -> Select[tuple[Notice]]:
    """Notices, newest first (of one community if asked)."""
    statement = select(Notice).order_by(Notice.posted_at.desc(), Notice.id)
    return statement.where(Notice.community == community) if community else statement


def objections_of(uow: UnitOfWork, notice_id: str) -> list[Objection]:
    return list(
        uow.session.scalars(
            select(Objection).where(Objection.notice_id == notice_id).order_by(Objection.lodged_at)
        )
    )
