"""Tables of the notifications service (its own database).

Contact values are stored sealed (`value_sealed`, the chassis cipher) with a mask and a
keyed lookup hash beside them; verification codes only as salted hashes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from services.chassis.db import JsonDocument, UtcDateTime, service_metadata


class Base(DeclarativeBase):
    metadata = service_metadata()


class ContactPoint(Base):
    """A person's mobile number, e-mail address or WeChat openid, usable once verified."""

    __tablename__ = "contact_points"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    person_sub: Mapped[str] = mapped_column(String(200), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    value_sealed: Mapped[str] = mapped_column(Text)
    value_masked: Mapped[str] = mapped_column(String(80))
    lookup_hash: Mapped[str] = mapped_column(String(80), index=True)
    code_hash: Mapped[str | None] = mapped_column(String(80), nullable=True)
    code_expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    code_attempts: Mapped[int] = mapped_column(Integer, default=0)
    verified_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    removed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class Consent(Base):
    """Consent to one purpose: when, in which language, the exact wording shown; withdrawable."""

    __tablename__ = "consents"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    person_sub: Mapped[str] = mapped_column(String(200), index=True)
    purpose: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(10))
    wording: Mapped[str] = mapped_column(Text)
    given_at: Mapped[datetime] = mapped_column(UtcDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class Preference(Base):
    """A person's language, channel order, quiet hours and muted triggers."""

    __tablename__ = "preferences"

    person_sub: Mapped[str] = mapped_column(String(200), primary_key=True)
    language: Mapped[str] = mapped_column(String(10), default="zh-Hans")
    channels: Mapped[list[str]] = mapped_column(JsonDocument)
    muted: Mapped[list[str]] = mapped_column(JsonDocument)
    quiet_start: Mapped[str | None] = mapped_column(String(5), nullable=True)
    quiet_end: Mapped[str | None] = mapped_column(String(5), nullable=True)


class Watch(Base):
    """A person's opt-in on a ticket ("text me when I'm N ahead") or a case."""

    __tablename__ = "watches"
    __table_args__ = (UniqueConstraint("person_sub", "target_id", name="uq_watches_person_target"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    person_sub: Mapped[str] = mapped_column(String(200), index=True)
    target_kind: Mapped[str] = mapped_column(String(10))
    target_id: Mapped[str] = mapped_column(String(36), index=True)
    ahead: Mapped[int | None] = mapped_column(Integer, nullable=True)
    ahead_told: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Subscription(Base):
    """A staff member's subscription to a work trigger in one community."""

    __tablename__ = "subscriptions"
    __table_args__ = (UniqueConstraint("person_sub", "community", "trigger", name="uq_subscriptions_person"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    person_sub: Mapped[str] = mapped_column(String(200), index=True)
    community: Mapped[str] = mapped_column(String(40), index=True)
    trigger: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class QueuedTicket(Base):
    """The queue as the events show it: each ticket of a community, waiting or not."""

    __tablename__ = "queued_tickets"

    ticket_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    community: Mapped[str] = mapped_column(String(40), index=True)
    number: Mapped[str] = mapped_column(String(10))
    business_type: Mapped[str] = mapped_column(String(40))
    queue_key: Mapped[datetime] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(12))
    window_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    called_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    service_seconds: Mapped[int | None] = mapped_column(Integer, nullable=True)


class Delivery(Base):
    """One message for one person about one event: at most one per (event, person, trigger)."""

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("event_id", "person_sub", "trigger", name="uq_deliveries_event_person_trigger"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(64))
    person_sub: Mapped[str] = mapped_column(String(200), index=True)
    trigger: Mapped[str] = mapped_column(String(40))
    community: Mapped[str | None] = mapped_column(String(40), nullable=True)  # the triggering event's
    channel: Mapped[str] = mapped_column(String(10))
    contact_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    params: Mapped[dict[str, Any]] = mapped_column(JsonDocument)
    status: Mapped[str] = mapped_column(String(12), index=True)  # pending sent dead suppressed
    not_before: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    event_time: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class InboxMessage(Base):
    """A message in a person's in-app inbox (portal and console)."""

    __tablename__ = "inbox_messages"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    person_sub: Mapped[str] = mapped_column(String(200), index=True)
    trigger: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    read_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
