"""Grants: which event types an administrator allows each department to read."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import Select, select

from services.chassis import clock
from services.chassis.auth import Principal
from services.chassis.errors import Conflict, NotFound, Unprocessable
from services.chassis.unit_of_work import UnitOfWork

from .. import domain
from ..models import Grant, Subscription
from . import policy


def grant(uow: UnitOfWork, principal: Principal, department: str, pattern: str) -> Grant:
    """Allow a department an event-type pattern (e.g. `grid.case.*`)."""
    policy.require_admin(principal)
    if not domain.is_pattern(pattern):
        raise Unprocessable(
            "事件类型格式无效。 (Not an event-type pattern.)", errors={"pattern": ["Invalid."]}
        )
    if patterns_of(uow, department).count(pattern):
        raise Conflict(f"已授权：{pattern}。 (The department already holds this grant.)")
    row = Grant(
        id=str(uuid.uuid4()),
        department=department,
        pattern=pattern,
        granted_by=principal.sub,
        granted_at=clock.now(),
    )
    uow.session.add(row)
    uow.flush()
    return row


def revoke(uow: UnitOfWork, principal: Principal, grant_id: str, broker: Callable[[], Any]) -> None:
    """Take a grant back: webhooks check it before every delivery; the department's AMQP
    queues lose the bindings no remaining grant covers."""
    policy.require_admin(principal)
    row = uow.find(Grant, grant_id, lock=True)
    if row is None:
        raise NotFound("没有这个授权。 (No such grant.)")
    uow.session.delete(row)
    uow.flush()
    remaining = patterns_of(uow, row.department)
    queues = uow.session.scalars(
        select(Subscription).where(Subscription.department == row.department, Subscription.mode == "amqp")
    )
    for subscription in queues:
        lost = domain.not_granted(remaining, subscription.event_types)
        if lost and subscription.queue:
            broker().unbind(subscription.queue, lost)
            subscription.event_types = [p for p in subscription.event_types if p not in lost]
            subscription.version += 1


def listing(principal: Principal, department: str | None) -> Select[tuple[Grant]]:
    """Grants of one department (a department sees its own only), or of all for an administrator."""
    query = select(Grant).order_by(Grant.department, Grant.pattern)
    if not principal.is_admin or department:
        query = query.where(Grant.department == policy.acting_department(principal, department))
    return query


def patterns_of(uow: UnitOfWork, department: str) -> list[str]:
    return list(uow.session.scalars(select(Grant.pattern).where(Grant.department == department)))
