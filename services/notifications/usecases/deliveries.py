"""Recording what a person is to be told: one delivery per (event, person, trigger) and its inbox line."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from services.chassis import clock, events
from services.chassis.auth import Principal
from services.chassis.errors import NotFound
from services.chassis.unit_of_work import UnitOfWork

from .. import domain
from ..models import Delivery, InboxMessage
from . import policy
from .contacts import preference


def notify(
    uow: UnitOfWork, event: dict[str, Any], person_sub: str, trigger: str, params: dict[str, Any]
) -> bool:
    """Record the message (once; a twin event finds it) and put it in the person's inbox."""
    seen = uow.session.scalars(
        select(Delivery.id).where(
            Delivery.event_id == event["id"], Delivery.person_sub == person_sub, Delivery.trigger == trigger
        )
    ).first()
    if seen is not None:
        return False
    now = clock.now()
    uow.session.add(
        Delivery(
            id=str(uuid.uuid4()),
            event_id=event["id"],
            person_sub=person_sub,
            trigger=trigger,
            community=event.get("community"),
            channel="pending",
            params={k: str(v) for k, v in params.items()},
            status="pending",
            not_before=now,
            attempts=0,
            event_time=events.parse_time(event.get("time")),
            created_at=now,
        )
    )
    language = preference(uow, person_sub).language
    text = domain.render(trigger, language, domain.localise_params(params, language))
    uow.session.add(
        InboxMessage(id=str(uuid.uuid4()), person_sub=person_sub, trigger=trigger, text=text, created_at=now)
    )
    uow.flush()
    return True


def inbox(uow: UnitOfWork, principal: Principal) -> Any:
    return (
        select(InboxMessage)
        .where(InboxMessage.person_sub == principal.sub)
        .order_by(InboxMessage.created_at.desc())
    )


def unread(uow: UnitOfWork, principal: Principal) -> int:
    query = (
        select(func.count())
        .select_from(InboxMessage)
        .where(InboxMessage.person_sub == principal.sub, InboxMessage.read_at.is_(None))
    )
    return int(uow.session.scalar(query) or 0)


def mark_read(uow: UnitOfWork, principal: Principal, message_id: str, now: datetime) -> InboxMessage:
    message = uow.find(InboxMessage, message_id, lock=True)
    if message is None:
        raise NotFound("No such message.")
    policy.require_owner(principal, message.person_sub, "message")
    message.read_at = message.read_at or now
    return message


def dead_letters(uow: UnitOfWork, principal: Principal) -> Any:
    policy.require_operator(principal)
    return select(Delivery).where(Delivery.status == "dead").order_by(Delivery.created_at)


def replay(uow: UnitOfWork, principal: Principal, delivery_id: str, now: datetime) -> Delivery:
    """An operator sends a dead letter again (from its first attempt)."""
    policy.require_operator(principal)
    delivery = uow.find(Delivery, delivery_id, lock=True)
    if delivery is None or delivery.status != "dead":
        raise NotFound("No such dead letter.")
    delivery.status, delivery.attempts, delivery.not_before = "pending", 0, now
    return delivery
