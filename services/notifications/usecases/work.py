"""Staff's work reminders: subscriptions per community and the events that trigger them."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select

from services.chassis.auth import Principal
from services.chassis.consumer import consumes
from services.chassis.errors import NotFound
from services.chassis.unit_of_work import UnitOfWork

from .. import domain
from ..models import Subscription
from . import policy
from .deliveries import notify


def subscribe(uow: UnitOfWork, principal: Principal, data: dict[str, Any], now: datetime) -> Subscription:
    """Subscribe to a work trigger in a community where the caller is staff."""
    domain.staff_trigger(data["trigger"])
    policy.require_staff(principal, data["community"])
    found = uow.session.scalars(
        select(Subscription).where(
            Subscription.person_sub == principal.sub,
            Subscription.community == data["community"],
            Subscription.trigger == data["trigger"],
        )
    ).first()
    if found is None:
        found = Subscription(
            id=str(uuid.uuid4()),
            person_sub=principal.sub,
            community=data["community"],
            trigger=data["trigger"],
            created_at=now,
        )
        uow.session.add(found)
        uow.flush()
    return found


def unsubscribe(uow: UnitOfWork, principal: Principal, subscription_id: str) -> None:
    found = uow.find(Subscription, subscription_id, lock=True)
    if found is None:
        raise NotFound("No such subscription.")
    policy.require_owner(principal, found.person_sub, "subscription")
    uow.session.delete(found)


def subscriptions(uow: UnitOfWork, principal: Principal) -> list[Subscription]:
    query = (
        select(Subscription).where(Subscription.person_sub == principal.sub).order_by(Subscription.created_at)
    )
    return list(uow.session.scalars(query))


def _tell(uow: UnitOfWork, event: dict[str, Any], trigger: str, params: dict[str, Any]) -> None:
    query = select(Subscription).where(
        Subscription.community == event.get("community"), Subscription.trigger == trigger
    )
    for found in uow.session.scalars(query).all():
        notify(uow, event, found.person_sub, trigger, params)


@consumes(
    "contracts.contract.signed", "remind subscribed staff that a contract waits for the other signatures"
)
def on_contract_signed(uow: UnitOfWork, event: dict[str, Any]) -> None:
    data = event["data"]
    if data["parties_signed"] < 3:
        params = {"contract_number": data["contract_number"], "signed": data["parties_signed"]}
        _tell(uow, event, "contract.signature_waiting", params)


@consumes("evaluation.round.opened", "remind subscribed staff that scoring is open")
def on_round_opened(uow: UnitOfWork, event: dict[str, Any]) -> None:
    _tell(uow, event, "round.scoring_open", {"year": event["data"]["year"]})
