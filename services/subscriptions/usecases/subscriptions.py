"""Subscriptions: made, read, paused, resumed and deleted by their department; secrets rotated."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, delete, select

from services.chassis import clock
from services.chassis.auth import Principal
from services.chassis.errors import NotFound, Unprocessable
from services.chassis.protection import PersonalDataCipher
from services.chassis.unit_of_work import UnitOfWork

from .. import domain
from ..models import Delivery, Subscription, WebhookSecret
from ..settings import SubscriptionSettings
from . import grants, policy, targets
from .broker import BrokerAdmin, user_of

Broker = Callable[[], BrokerAdmin]


def create(
    uow: UnitOfWork,
    principal: Principal,
    data: dict[str, Any],
    settings: SubscriptionSettings,
    cipher: PersonalDataCipher,
    broker: Broker,
) -> tuple[Subscription, dict[str, str | None]]:
    """Subscribe a department to granted event types; return it and its credentials (shown once).

    A webhook's are its signing secret; an AMQP subscription's the department's broker user
    and, when this made the user, its password.
    """
    department = policy.acting_department(principal, data.get("department"))
    wanted = sorted(set(data["event_types"]))
    refused = domain.not_granted(grants.patterns_of(uow, department), wanted)
    if refused:
        raise domain.NotGranted(refused)
    if data["mode"] == "webhook":
        if not data.get("url"):
            raise Unprocessable(
                "回调订阅需要地址。 (A webhook subscription needs its url.)",
                errors={"url": ["Missing data for required field."]},
            )
        targets.check(data["url"], settings)
    subscription = Subscription(
        id=str(uuid.uuid4()),
        department=department,
        owner_sub=principal.sub,
        name=data["name"],
        event_types=wanted,
        communities=sorted(set(data.get("communities") or [])),
        mode=data["mode"],
        url=data.get("url") if data["mode"] == "webhook" else None,
        status="active",
        version=1,
        created_at=clock.now(),
    )
    uow.session.add(subscription)
    uow.flush()
    if data["mode"] == "webhook":
        return subscription, {"secret": _new_secret(uow, subscription, cipher)}
    admin = broker()
    password = None if admin.user_exists(department) else admin.set_password(department)
    subscription.queue = admin.provision(department, subscription.id, wanted)
    return subscription, {"amqp_user": user_of(department), "amqp_password": password}


def _new_secret(uow: UnitOfWork, subscription: Subscription, cipher: PersonalDataCipher) -> str:
    secret = domain.new_secret()
    row_id = str(uuid.uuid4())
    sealed = cipher.encrypt(secret, record=row_id, field="webhook_secret")
    uow.session.add(
        WebhookSecret(id=row_id, subscription_id=subscription.id, sealed=sealed, created_at=clock.now())
    )
    return secret


def get(uow: UnitOfWork, principal: Principal, subscription_id: str, *, lock: bool = False) -> Subscription:
    subscription = uow.find(Subscription, subscription_id, lock=lock)
    if subscription is None:
        raise NotFound("没有这个订阅。 (No such subscription.)")
    policy.require_owner(principal, subscription.department)
    return subscription


def listing(principal: Principal, department: str | None) -> Select[tuple[Subscription]]:
    """A department's subscriptions (an administrator may list every department's)."""
    query = select(Subscription).order_by(Subscription.created_at, Subscription.id)
    if not principal.is_admin or department:
        query = query.where(Subscription.department == policy.acting_department(principal, department))
    return query


def act(uow: UnitOfWork, principal: Principal, subscription_id: str, action: str) -> Subscription:
    """Pause or resume (a disabled subscription is resumed by its owner once the receiver works)."""
    subscription = get(uow, principal, subscription_id, lock=True)
    subscription.status = domain.SUBSCRIPTION.target(subscription.status, action)
    subscription.version += 1
    if action == "resume":
        subscription.failing_since = None
        subscription.disabled_at = None
    return subscription


def remove(uow: UnitOfWork, principal: Principal, subscription_id: str, broker: Broker) -> None:
    """Delete a subscription with its secrets and its deliveries (nothing more is sent);
    an AMQP one's queue, and the department's broker user with its last queue."""
    subscription = get(uow, principal, subscription_id, lock=True)
    if subscription.queue:
        others = uow.session.scalars(
            select(Subscription.id).where(
                Subscription.department == subscription.department,
                Subscription.mode == "amqp",
                Subscription.id != subscription.id,
            )
        ).first()
        broker().remove(subscription.queue, subscription.department, last=others is None)
    uow.session.execute(delete(Delivery).where(Delivery.subscription_id == subscription.id))
    uow.session.execute(delete(WebhookSecret).where(WebhookSecret.subscription_id == subscription.id))
    uow.session.delete(subscription)


def rotate_secret(
    uow: UnitOfWork,
    principal: Principal,
    subscription_id: str,
    settings: SubscriptionSettings,
    cipher: PersonalDataCipher,
) -> str:
    """A new secret (shown once); the ones before stay in force for the overlap, then lapse."""
    subscription = get(uow, principal, subscription_id, lock=True)
    until = clock.now() + timedelta(hours=settings.secret_overlap_hours)
    for row in _secrets(uow, subscription.id, clock.now()):
        row.expires_at = min(row.expires_at or until, until)
    subscription.version += 1
    return _new_secret(uow, subscription, cipher)


def rotate_password(
    uow: UnitOfWork, principal: Principal, subscription_id: str, broker: Broker
) -> tuple[str, str]:
    """A new password for the department's broker user (shown once; the old stops working)."""
    subscription = get(uow, principal, subscription_id)
    if subscription.mode != "amqp":
        raise Unprocessable(
            "只有 AMQP 订阅有代理密码。 (Only an AMQP subscription has a broker password.)",
            errors={"mode": ["Not amqp."]},
        )
    return user_of(subscription.department), broker().set_password(subscription.department)


def _secrets(uow: UnitOfWork, subscription_id: str, now: datetime) -> list[WebhookSecret]:
    rows = uow.session.scalars(
        select(WebhookSecret)
        .where(WebhookSecret.subscription_id == subscription_id)
        .order_by(WebhookSecret.created_at.desc())
    )
    return [row for row in rows if row.expires_at is None or row.expires_at > now]


def secrets_in_force(
    uow: UnitOfWork, subscription_id: str, cipher: PersonalDataCipher, now: datetime
) -> list[str]:
    """The plain secrets a delivery is signed with now (newest first)."""
    return [
        cipher.decrypt(row.sealed, record=row.id, field="webhook_secret")
        for row in _secrets(uow, subscription_id, now)
    ]
