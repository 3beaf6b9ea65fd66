"""Tables of the intake service (its own database)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from services.chassis.db import BigId, JsonDocument, UtcDateTime, service_metadata
from services.chassis.reveals import PersonalDataAccessRecord

ANALYTICS_COLUMNS = [
    "business_type",
    "local_hour",
    "window_id",
    "local_date",
    "status",
    "wait_seconds",
    "service_seconds",
    "called_at",
    "finished_at",
]


class Base(DeclarativeBase):
    metadata = service_metadata()


class BusinessType(Base):
    """A matter the desk handles (事项), with its Open311-style form."""

    __tablename__ = "business_types"
    __table_args__ = (UniqueConstraint("community", "code"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    community: Mapped[str] = mapped_column(String(40))
    code: Mapped[str] = mapped_column(String(40))
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(150))
    department: Mapped[str] = mapped_column(String(40))
    typical_minutes: Mapped[int] = mapped_column(Integer)
    needs_follow_up: Mapped[bool] = mapped_column(Boolean)
    sla_days: Mapped[int] = mapped_column(Integer)
    ticket_prefix: Mapped[str] = mapped_column(String(1))
    attributes: Mapped[list[dict[str, Any]]] = mapped_column(JsonDocument)
    # the materials residents bring (办事指南), in the order the guide lists them
    required_documents: Mapped[list[str]] = mapped_column(JsonDocument, server_default="[]")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Window(Base):
    """A service window (窗口): generalist (the reform) or dedicated to some types."""

    __tablename__ = "windows"
    __table_args__ = (UniqueConstraint("community", "number"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    community: Mapped[str] = mapped_column(String(40))
    number: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20))
    mode: Mapped[str] = mapped_column(String(20))
    skills: Mapped[list[str]] = mapped_column(JsonDocument)
    staff_on_duty: Mapped[str | None] = mapped_column(String(200))
    current_ticket_id: Mapped[str | None] = mapped_column(String(36))
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Ticket(Base):
    """A queue ticket (排号) and the stamps of its way through the hall."""

    __tablename__ = "tickets"
    __table_args__ = (
        UniqueConstraint("community", "local_date", "number"),
        Index("ix_tickets_queue", "community", "status", "queue_key"),
        # covering: the analytics pass reads only the index (index-only scan on PostgreSQL)
        Index("ix_tickets_community_issued", "community", "issued_at", postgresql_include=ANALYTICS_COLUMNS),
        Index("ix_tickets_owner", "owner_sub", "issued_at"),
        Index("ix_tickets_window", "window_id", "status"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    community: Mapped[str] = mapped_column(String(40))
    local_date: Mapped[date] = mapped_column(Date)
    number: Mapped[str] = mapped_column(String(10))
    business_type: Mapped[str] = mapped_column(String(40))
    original_business_type: Mapped[str] = mapped_column(String(40))
    channel: Mapped[str] = mapped_column(String(20))
    priority: Mapped[bool] = mapped_column(Boolean)
    priority_reason: Mapped[str | None] = mapped_column(String(20))
    owner_sub: Mapped[str | None] = mapped_column(String(200))
    # personal data: sealed with the chassis cipher, the mask beside it (usecases/personal_data.py)
    contact_phone_sealed: Mapped[str | None] = mapped_column(Text)
    contact_phone_masked: Mapped[str | None] = mapped_column(String(30))
    contact_phone_clear: Mapped[str | None] = mapped_column("contact_phone", String(30))  # legacy, resealed
    # every value in order; a personal one replaced by `***` once sealed
    attributes: Mapped[dict[str, Any]] = mapped_column(JsonDocument)
    # codes of the attributes collected as personal (fixed at collection, not by the catalogue)
    personal_attributes: Mapped[list[str] | None] = mapped_column(JsonDocument)
    personal_attributes_sealed: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20))
    queue_key: Mapped[datetime] = mapped_column(UtcDateTime)
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime)
    called_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    serving_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    window_id: Mapped[str | None] = mapped_column(String(36))
    served_by: Mapped[str | None] = mapped_column(String(200))
    local_hour: Mapped[int] = mapped_column(SmallInteger)
    wait_seconds: Mapped[int | None] = mapped_column(Integer)
    service_seconds: Mapped[int | None] = mapped_column(Integer)
    transfers: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=1)


class TicketStep(Base):
    """One transition of a ticket: what, when, by whom, at which window."""

    __tablename__ = "ticket_steps"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    ticket_id: Mapped[str] = mapped_column(ForeignKey("tickets.id"), index=True)
    action: Mapped[str] = mapped_column(String(20))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    staff_sub: Mapped[str | None] = mapped_column(String(200))
    window_id: Mapped[str | None] = mapped_column(String(36))
    note: Mapped[str | None] = mapped_column(String(200))


class Case(Base):
    """A matter needing follow-up (办件), with its SLA clock and referral."""

    __tablename__ = "cases"
    __table_args__ = (
        Index("ix_cases_community_status", "community", "status", "opened_at"),
        Index("ix_cases_owner", "owner_sub", "opened_at"),
        Index("ix_cases_due", "status", "due_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    community: Mapped[str] = mapped_column(String(40))
    business_type: Mapped[str] = mapped_column(String(40))
    ticket_id: Mapped[str | None] = mapped_column(String(36), unique=True)
    owner_sub: Mapped[str | None] = mapped_column(String(200))
    contact_phone_sealed: Mapped[str | None] = mapped_column(Text)
    contact_phone_masked: Mapped[str | None] = mapped_column(String(30))
    contact_phone_clear: Mapped[str | None] = mapped_column("contact_phone", String(30))  # legacy, resealed
    summary: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(30))
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime)
    due_at: Mapped[datetime] = mapped_column(UtcDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    on_time: Mapped[bool | None] = mapped_column(Boolean)
    resolution: Mapped[str | None] = mapped_column(Text)
    referral_target: Mapped[str | None] = mapped_column(String(40))
    referral_category: Mapped[str | None] = mapped_column(String(40))
    referral_severity: Mapped[str | None] = mapped_column(String(20))
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    referred_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    grid_case_id: Mapped[str | None] = mapped_column(String(36))
    grid_case_number: Mapped[str | None] = mapped_column(String(30))
    overdue_notified_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)


class CaseStep(Base):
    """One transition of a case."""

    __tablename__ = "case_steps"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    action: Mapped[str] = mapped_column(String(30))
    from_status: Mapped[str | None] = mapped_column(String(30))
    to_status: Mapped[str] = mapped_column(String(30))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    actor: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(String(200))


class Feedback(Base):
    """A satisfaction score (1-5) for a completed ticket or a closed case, once each."""

    __tablename__ = "feedback"
    __table_args__ = (
        UniqueConstraint("target_kind", "target_id"),
        Index("ix_feedback_community_recorded", "community", "recorded_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    community: Mapped[str] = mapped_column(String(40))
    target_kind: Mapped[str] = mapped_column(String(10))
    target_id: Mapped[str] = mapped_column(String(36))
    business_type: Mapped[str] = mapped_column(String(40))
    window_id: Mapped[str | None] = mapped_column(String(36))
    score: Mapped[int] = mapped_column(SmallInteger)
    comment: Mapped[str | None] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(String(10))
    owner_sub: Mapped[str | None] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)


class PersonalDataAccess(PersonalDataAccessRecord, Base):
    """Audit log: every unmasked read of a ticket's or a case's personal data."""


class CalendarDay(Base):
    """An operator's override of the working-day calendar (holiday or make-up workday)."""

    __tablename__ = "calendar_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(100))
