"""Sending recorded deliveries: consent, mutes, quiet hours and rate limits first, then the
person's first channel with a verified contact point; failures retried with backoff and
dead-lettered with the error after the last attempt (an operator replays them)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, time, timedelta

from sqlalchemy import func, select

from services.chassis import clock
from services.chassis.backoff import Backoff
from services.chassis.protection import PersonalDataCipher
from services.chassis.unit_of_work import UnitOfWork

from .. import domain, events
from ..models import ContactPoint, Delivery, Preference
from ..settings import NotificationsSettings
from .channels import Channel, ChannelError, Message
from .contacts import FIELD, active_consent, preference

BATCH = 50
BATCHES_PER_RUN = 20  # a burst drains in one run, yet one run holds its transaction briefly
RATE_WINDOW = timedelta(hours=1)


class Dispatcher:
    """The periodic task's body: due deliveries, each sent or rescheduled in this transaction."""

    def __init__(
        self, settings: NotificationsSettings, channels: Mapping[str, Channel], cipher: PersonalDataCipher
    ) -> None:
        self.settings, self.channels, self.cipher = settings, channels, cipher

    def __call__(self, uow: UnitOfWork) -> None:
        now = clock.now()
        query = (
            select(Delivery)
            .where(Delivery.status == "pending", Delivery.not_before <= now)
            .order_by(Delivery.not_before)
            .limit(BATCH)
        )
        if uow.database.is_postgres:
            query = query.with_for_update(skip_locked=True)
        for _ in range(BATCHES_PER_RUN):
            due = uow.session.scalars(query).all()
            for delivery in due:
                self.dispatch(uow, delivery, now)
            uow.flush()
            if len(due) < BATCH:
                return

    def dispatch(self, uow: UnitOfWork, delivery: Delivery, now: datetime) -> None:
        trigger = domain.TRIGGERS[delivery.trigger]
        pref = preference(uow, delivery.person_sub)
        if active_consent(uow, delivery.person_sub, trigger.purpose) is None:
            return _finish(delivery, "suppressed", "no consent for this purpose")
        if trigger.name in pref.muted:
            return _finish(delivery, "suppressed", "muted by the person")
        if not trigger.urgent:
            later = self._held_until(uow, pref, delivery.person_sub, now)
            if later is not None:
                delivery.not_before = later
                return None
        contact = self._contact(uow, pref)
        if contact is None:
            delivery.channel = "inbox"
            return _finish(delivery, "sent", None, now)
        channel = domain.CONTACT_KINDS[contact.kind]
        text = domain.render(
            trigger.name, pref.language, domain.localise_params(delivery.params, pref.language)
        )
        message = Message(
            trigger.name, pref.language, text, domain.subject(pref.language), dict(delivery.params)
        )
        delivery.channel, delivery.contact_id = channel, contact.id
        delivery.attempts += 1
        try:
            address = self.cipher.decrypt(contact.value_sealed, record=contact.id, field=FIELD)
            self.channels[channel].send(address, message)
        except ChannelError as exc:
            return self._failed(uow, delivery, str(exc), now)
        _finish(delivery, "sent", None, now)
        uow.emit(
            events.DELIVERY_SENT,
            subject=delivery.id,
            community=delivery.community,
            data={
                "delivery_id": delivery.id,
                "trigger": delivery.trigger,
                "channel": channel,
                "attempts": delivery.attempts,
                "sent_at": now.isoformat(),
            },
        )
        return None

    def _held_until(
        self, uow: UnitOfWork, pref: Preference, person_sub: str, now: datetime
    ) -> datetime | None:
        start, end = self.settings.quiet_hours()
        if pref.quiet_start and pref.quiet_end:
            start, end = time.fromisoformat(pref.quiet_start), time.fromisoformat(pref.quiet_end)
        local = now.astimezone(clock.local_zone())
        if domain.in_quiet_hours(local, start, end):
            return domain.quiet_hours_end(local, start, end)
        sent = uow.session.scalar(
            select(func.count())
            .select_from(Delivery)
            .where(
                Delivery.person_sub == person_sub,
                Delivery.status == "sent",
                Delivery.sent_at >= now - RATE_WINDOW,
            )
        )
        if int(sent or 0) >= self.settings.rate_per_hour:
            return now + timedelta(minutes=5)
        return None

    def _contact(self, uow: UnitOfWork, pref: Preference) -> ContactPoint | None:
        verified = uow.session.scalars(
            select(ContactPoint).where(
                ContactPoint.person_sub == pref.person_sub,
                ContactPoint.verified_at.is_not(None),
                ContactPoint.removed_at.is_(None),
            )
        ).all()
        by_channel = {domain.CONTACT_KINDS[c.kind]: c for c in verified}
        return next((by_channel[ch] for ch in pref.channels if ch in by_channel), None)

    def _failed(self, uow: UnitOfWork, delivery: Delivery, error: str, now: datetime) -> None:
        delivery.last_error = error
        if delivery.attempts >= self.settings.max_attempts:
            delivery.status = "dead"
            uow.emit(
                events.DELIVERY_DEAD_LETTERED,
                subject=delivery.id,
                community=delivery.community,
                data={
                    "delivery_id": delivery.id,
                    "trigger": delivery.trigger,
                    "channel": delivery.channel,
                    "attempts": delivery.attempts,
                    "failed_at": now.isoformat(),
                },
            )
            return
        backoff = Backoff(first=self.settings.retry_first_seconds, cap=self.settings.retry_cap_seconds)
        delay = 0.0
        for _ in range(delivery.attempts):
            delay = backoff.next_delay()
        delivery.not_before = now + timedelta(seconds=delay)


def _finish(delivery: Delivery, status: str, reason: str | None, now: datetime | None = None) -> None:
    delivery.status = status
    delivery.last_error = reason
    delivery.sent_at = now
