"""Use cases of feedback: one satisfaction score per completed ticket or closed case."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select

from services.chassis import scoping
from services.chassis.auth import Principal
from services.chassis.errors import Forbidden, NotFound
from services.chassis.unit_of_work import UnitOfWork

from .. import events
from ..domain import CaseStatus, DomainConflict, TicketStatus
from ..models import Case, Feedback, Ticket
from . import policy


def record(uow: UnitOfWork, principal: Principal, data: dict[str, Any], now: datetime) -> Feedback:
    """Rate a completed ticket or a closed case: its resident (portal) or at the window's pad."""
    kind, target_id = data["target_kind"], str(data["target_id"])
    target: Ticket | Case | None = uow.session.get(
        Ticket if kind == "ticket" else Case, target_id, with_for_update=True
    )
    if target is None:
        raise NotFound(f"No such {kind}.")
    policy.require_visible(principal, target.community, target.owner_sub, kind)
    if target.owner_sub is not None and target.owner_sub == principal.sub:
        channel = "portal"
    elif policy.is_staff(principal, target.community):
        channel = "pad"
    else:
        raise Forbidden(f"Only the resident of this {kind} or the window's pad may rate it.")
    finished = TicketStatus.COMPLETED if kind == "ticket" else CaseStatus.CLOSED
    if target.status != finished:
        raise DomainConflict(
            f"Only a {finished} {kind} can be rated; this one is {target.status}.", "not-ratable"
        )
    existing = uow.session.scalars(
        select(Feedback.id).where(Feedback.target_kind == kind, Feedback.target_id == target_id)
    ).first()
    if existing:
        raise DomainConflict(f"This {kind} has already been rated.", "feedback-exists")
    window_id = target.window_id if isinstance(target, Ticket) else None
    row = Feedback(
        id=str(uuid.uuid4()),
        community=target.community,
        target_kind=kind,
        target_id=target_id,
        business_type=target.business_type,
        window_id=window_id,
        score=data["score"],
        comment=data.get("comment"),
        channel=channel,
        owner_sub=target.owner_sub,
        recorded_at=now,
    )
    uow.session.add(row)
    uow.flush()
    uow.emit(
        events.FEEDBACK_RECORDED,
        subject=row.id,
        community=row.community,
        time=now,
        data={
            "feedback_id": row.id,
            "target_kind": kind,
            "target_id": target_id,
            "business_type": row.business_type,
            "score": row.score,
            "recorded_at": now.isoformat(),
            "channel": channel,
            "window_id": window_id,
        },
    )
    return row


def list_query(principal: Principal, filters: dict[str, Any]) -> Any:
    """Feedback the caller may see, newest first."""
    communities, reads_all = policy.readable_communities(principal, filters.get("community"))
    query = select(Feedback).where(Feedback.community.in_(communities))
    query = scoping.scoped(query, principal, Feedback.community)
    if not reads_all:
        query = query.where(Feedback.owner_sub == principal.sub)
    for name in ("target_kind", "business_type", "score"):
        if filters.get(name) is not None:
            query = query.where(getattr(Feedback, name) == filters[name])
    return query.order_by(Feedback.recorded_at.desc(), Feedback.id)
