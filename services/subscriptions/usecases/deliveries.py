"""Webhook deliveries: every platform event owed to each matching subscription, sent in order.

The worker consumes every event (`#`) and records one delivery per active or paused
webhook subscription whose filter matches and whose department holds a grant for the
type (the subscription's outbox, in the same transaction as the inbox row). The periodic
`deliver_due` sends, per subscription and aggregate (CloudEvent `subject`), only the
oldest pending delivery, so a retry holds back the later events of that aggregate; it
checks the grant again before sending (a revoked type is withheld), backs off with
jitter after a failure and disables a subscription that failed without success for the
configured time, telling its owner with `subscriptions.subscription.disabled`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from services.chassis import clock, events
from services.chassis.auth import Principal
from services.chassis.backoff import Backoff
from services.chassis.consumer import consumes
from services.chassis.errors import Unprocessable
from services.chassis.protection import PersonalDataCipher
from services.chassis.unit_of_work import UnitOfWork

from .. import domain
from ..events import SUBSCRIPTION_DISABLED
from ..models import Delivery, Subscription
from ..settings import SubscriptionSettings
from . import grants, sender, subscriptions, targets

Post = Callable[[str, bytes, dict[str, str], float], sender.Outcome]


def matches(subscription: Subscription, name: str, community: str | None) -> bool:
    """Whether the subscription's filter selects an event of this type and community."""
    if subscription.communities and community not in subscription.communities:
        return False
    return any(events.topic_matches(pattern, name) for pattern in subscription.event_types)


@consumes("#", "fan every platform event out to the departments' webhook subscriptions that match it")
def on_event(uow: UnitOfWork, event: dict[str, Any]) -> None:
    """Record a delivery for each webhook subscription the event is owed to."""
    name = events.event_name(event)
    community = event.get("community")
    webhooks = uow.session.scalars(select(Subscription).where(Subscription.mode == "webhook"))
    now = clock.now()
    granted: dict[str, list[str]] = {}
    for subscription in webhooks:
        if not matches(subscription, name, community):
            continue
        if subscription.department not in granted:
            granted[subscription.department] = grants.patterns_of(uow, subscription.department)
        if domain.not_granted(granted[subscription.department], [name]):
            continue
        uow.session.add(
            Delivery(
                subscription_id=subscription.id,
                event_id=str(event["id"]),
                event_type=name,
                subject=str(event.get("subject") or ""),
                community=community,
                event_time=events.parse_time(event.get("time")) or now,
                body=event,
                status="pending",
                attempts=0,
                received_at=now,
                next_attempt_at=now,
            )
        )


def retry_delay(attempts: int, settings: SubscriptionSettings) -> timedelta:
    """Capped exponential backoff with jitter after `attempts` failed attempts."""
    backoff = Backoff(first=settings.retry_first_seconds, cap=settings.retry_cap_seconds)
    delay = 0.0
    for _ in range(min(attempts, 40)):
        delay = backoff.next_delay()
    return timedelta(seconds=delay)


def _heads(uow: UnitOfWork, now: datetime, limit: int) -> list[Delivery]:
    """The oldest pending delivery of each (subscription, aggregate), when it is due."""
    oldest = (
        select(func.min(Delivery.id))
        .where(Delivery.status == "pending")
        .group_by(Delivery.subscription_id, Delivery.subject)
    )
    query = (
        select(Delivery)
        .join(Subscription, Subscription.id == Delivery.subscription_id)
        .where(Delivery.id.in_(oldest), Delivery.next_attempt_at <= now, Subscription.status == "active")
        .order_by(Delivery.id)
        .limit(limit)
    )
    return list(uow.session.scalars(query))


def deliver_due(
    uow: UnitOfWork, settings: SubscriptionSettings, cipher: PersonalDataCipher, post: Post = sender.post
) -> int:
    """Send what is due, oldest first, one per aggregate at a time; return how many arrived."""
    delivered = 0
    known = _PassCache(uow, cipher)
    for _round in range(settings.delivery_batch):
        failed: set[str] = set()
        progressed = False
        for delivery in _heads(uow, clock.now(), settings.delivery_batch):
            if delivery.subscription_id in failed:
                continue
            outcome = _deliver(uow, delivery, settings, known, post)
            if outcome is None or outcome.delivered:
                progressed = True
                delivered += outcome is not None
            else:
                failed.add(delivery.subscription_id)
        uow.flush()
        if not progressed:
            break
    return delivered


def _deliver(
    uow: UnitOfWork, delivery: Delivery, settings: SubscriptionSettings, known: _PassCache, post: Post
) -> sender.Outcome | None:
    subscription = uow.session.get(Subscription, delivery.subscription_id)
    assert subscription is not None and subscription.url is not None
    now = clock.now()
    if domain.not_granted(known.grants(subscription.department), [delivery.event_type]):
        delivery.status, delivery.last_error = "withheld", "grant revoked before delivery"
        return None
    body = events.encode(delivery.body)
    timestamp = int(time.time())  # the receiver checks it against its own (real) clock
    headers = {
        "Content-Type": "application/json",
        "webhook-id": delivery.event_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": domain.signatures(
            known.secrets(subscription.id, now), delivery.event_id, timestamp, body
        ),
    }
    try:
        targets.check(subscription.url, settings)
        outcome = post(subscription.url, body, headers, settings.delivery_timeout_seconds)
    except Unprocessable as refused:
        outcome = sender.Outcome(None, str(refused.detail), 0)
    delivery.attempts += 1
    delivery.last_status, delivery.last_error, delivery.latency_ms = (
        outcome.status,
        outcome.error,
        outcome.latency_ms,
    )
    if outcome.delivered:
        delivery.status, delivery.delivered_at = "delivered", now
        subscription.failing_since = None
        return outcome
    delivery.next_attempt_at = now + retry_delay(delivery.attempts, settings)
    subscription.failing_since = subscription.failing_since or now
    after = timedelta(hours=settings.disable_after_hours)
    if domain.should_disable(subscription.failing_since, now, after):
        _disable(uow, subscription, now)
    return outcome


class _PassCache:
    """Grants and plain secrets read once per delivery pass (a pass is one transaction)."""

    def __init__(self, uow: UnitOfWork, cipher: PersonalDataCipher) -> None:
        self.uow, self.cipher = uow, cipher
        self._grants: dict[str, list[str]] = {}
        self._secrets: dict[str, list[str]] = {}

    def grants(self, department: str) -> list[str]:
        if department not in self._grants:
            self._grants[department] = grants.patterns_of(self.uow, department)
        return self._grants[department]

    def secrets(self, subscription_id: str, now: datetime) -> list[str]:
        if subscription_id not in self._secrets:
            self._secrets[subscription_id] = subscriptions.secrets_in_force(
                self.uow, subscription_id, self.cipher, now
            )
        return self._secrets[subscription_id]


def _disable(uow: UnitOfWork, subscription: Subscription, now: datetime) -> None:
    subscription.status = domain.SUBSCRIPTION.target(subscription.status, "disable")
    subscription.disabled_at = now
    subscription.version += 1
    pending = uow.session.scalar(
        select(func.count(Delivery.id)).where(
            Delivery.subscription_id == subscription.id, Delivery.status == "pending"
        )
    )
    uow.emit(
        SUBSCRIPTION_DISABLED,
        subject=subscription.id,
        community=None,
        data={
            "subscription_id": subscription.id,
            "department": subscription.department,
            "failing_since": (subscription.failing_since or now).isoformat(),
            "pending_deliveries": int(pending or 0),
        },
    )


def log(uow: UnitOfWork, principal: Principal, subscription_id: str, status: str | None) -> Any:
    """The delivery log of a subscription, newest first (a query for `paginate`)."""
    subscriptions.get(uow, principal, subscription_id)
    query = select(Delivery).where(Delivery.subscription_id == subscription_id)
    if status:
        query = query.where(Delivery.status == status)
    return query.order_by(Delivery.id.desc())


def redeliver(
    uow: UnitOfWork,
    principal: Principal,
    subscription_id: str,
    event_id: str | None,
    since: datetime | None,
    until: datetime | None,
) -> int:
    """Queue one event, or every event of a time range, again; return how many."""
    subscriptions.get(uow, principal, subscription_id)
    query = select(Delivery).where(Delivery.subscription_id == subscription_id)
    if event_id is not None:
        query = query.where(Delivery.event_id == event_id)
    if since is not None:
        query = query.where(Delivery.event_time >= since)
    if until is not None:
        query = query.where(Delivery.event_time < until)
    now = clock.now()
    count = 0
    for delivery in uow.session.scalars(query.with_for_update()):
        delivery.status, delivery.next_attempt_at, delivery.delivered_at = "pending", now, None
        count += 1
    return count
