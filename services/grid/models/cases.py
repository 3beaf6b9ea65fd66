"""Tables of cases (事件): the case, its append-only history, Open311 client applications."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.chassis.db import BigId, JsonDocument, UtcDateTime

from .base import Base


class Case(Base):
    """A case (事件) and where it stands in its lifecycle."""

    __tablename__ = "cases"
    __table_args__ = (
        UniqueConstraint("source", "source_ref", name="uq_cases_source_ref"),
        Index("ix_cases_cell_open", "cell_id", "is_open", "reported_at"),
        Index("ix_cases_community_open", "community", "is_open", "reported_at"),
        Index("ix_cases_community_reported", "community", "reported_at"),
        Index("ix_cases_open_due", "is_open", "due_at"),
        Index("ix_cases_nearby", "community", "category", "is_open", "lat"),
        Index("ix_cases_department", "department", "reported_at"),
        Index("ix_cases_reporter", "reporter_sub", "reported_at"),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    community: Mapped[str] = mapped_column(String(40))
    cell_id: Mapped[str | None] = mapped_column(ForeignKey("cells.id"))
    cell_code: Mapped[str | None] = mapped_column(String(40))
    category: Mapped[str] = mapped_column(String(40))
    severity: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(20))
    is_open: Mapped[bool] = mapped_column(Boolean)
    closed_kind: Mapped[str | None] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(20))
    source_ref: Mapped[str | None] = mapped_column(String(100))
    external_number: Mapped[str | None] = mapped_column(String(40))
    inspection_id: Mapped[str | None] = mapped_column(String(36), index=True)
    reporter_sub: Mapped[str | None] = mapped_column(String(200))
    reporter_contact: Mapped[str | None] = mapped_column(Text)  # encrypted JSON
    reporter_contact_masked: Mapped[dict[str, Any] | None] = mapped_column(JsonDocument)
    open311_client_id: Mapped[str | None] = mapped_column(String(36))
    open311_token: Mapped[str | None] = mapped_column(String(36), unique=True)
    open311_account_id: Mapped[str | None] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text)
    address: Mapped[str | None] = mapped_column(String(300))
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    photos: Mapped[list[str]] = mapped_column(JsonDocument, default=list)
    department: Mapped[str | None] = mapped_column(String(40))
    referral_reason: Mapped[str | None] = mapped_column(Text)
    escalation_level: Mapped[int] = mapped_column(Integer, default=0)
    duplicate_of: Mapped[str | None] = mapped_column(String(36))
    resolved_by: Mapped[str | None] = mapped_column(String(200))
    reopen_count: Mapped[int] = mapped_column(Integer, default=0)
    reported_at: Mapped[datetime] = mapped_column(UtcDateTime)
    due_at: Mapped[datetime] = mapped_column(UtcDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    verified_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    overdue_notified_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    overdue_escalated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)


class CaseHistory(Base):
    """One step of a case (append-only: database triggers refuse updates and deletes)."""

    __tablename__ = "case_history"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    actor_sub: Mapped[str] = mapped_column(String(200))
    actor_role: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(40))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)


class Open311Client(Base):
    """An application allowed to POST Open311 requests (its api_key stored hashed)."""

    __tablename__ = "open311_clients"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    communities: Mapped[list[str]] = mapped_column(JsonDocument)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
