"""Tables of the grid service (its own database): cells, cases, inspections."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from services.chassis.db import BigId, JsonDocument, UtcDateTime, service_metadata


class Base(DeclarativeBase):
    metadata = service_metadata()


class Cell(Base):
    """A grid cell (網格): a polygon of a community, walked by its assigned grid workers."""

    __tablename__ = "cells"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    community: Mapped[str] = mapped_column(String(40), index=True)
    name: Mapped[str] = mapped_column(String(200))
    boundary: Mapped[dict[str, Any]] = mapped_column(JsonDocument)
    min_lon: Mapped[float] = mapped_column(Float)
    min_lat: Mapped[float] = mapped_column(Float)
    max_lon: Mapped[float] = mapped_column(Float)
    max_lat: Mapped[float] = mapped_column(Float)
    area_m2: Mapped[float] = mapped_column(Float)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class CellWorker(Base):
    """A grid worker assigned to a cell (by token subject)."""

    __tablename__ = "cell_workers"
    cell_id: Mapped[str] = mapped_column(ForeignKey("cells.id"), primary_key=True)
    worker_sub: Mapped[str] = mapped_column(String(200), primary_key=True, index=True)


class CellsVersion(Base):
    """One row counting cell changes: replicas compare it to rebuild their index."""

    __tablename__ = "cells_version"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)


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


class ChecklistItem(Base):
    """One item of the inspection checklist (platform-wide catalogue)."""

    __tablename__ = "checklist_items"
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    area: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    case_category: Mapped[str] = mapped_column(String(40))
    default_severity: Mapped[str] = mapped_column(String(10))
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class InspectionPlan(Base):
    """Planned inspection rounds of a cell in a month (YYYY-MM)."""

    __tablename__ = "inspection_plans"
    cell_id: Mapped[str] = mapped_column(ForeignKey("cells.id"), primary_key=True)
    period: Mapped[str] = mapped_column(String(7), primary_key=True)
    planned_rounds: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Inspection(Base):
    """A grid worker's completed round (排查) in a cell."""

    __tablename__ = "inspections"
    __table_args__ = (
        Index("ix_inspections_cell_period", "cell_id", "period"),
        Index("ix_inspections_community_period", "community", "period"),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    community: Mapped[str] = mapped_column(String(40))
    cell_id: Mapped[str] = mapped_column(ForeignKey("cells.id"))
    cell_code: Mapped[str] = mapped_column(String(40))
    worker_sub: Mapped[str] = mapped_column(String(200))
    period: Mapped[str] = mapped_column(String(7))
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    completed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    items_count: Mapped[int] = mapped_column(Integer)
    findings_count: Mapped[int] = mapped_column(Integer)


class InspectionItem(Base):
    """One checklist answer of an inspection: ok, or a finding that opened a case."""

    __tablename__ = "inspection_items"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    inspection_id: Mapped[str] = mapped_column(ForeignKey("inspections.id"), index=True)
    item_code: Mapped[str] = mapped_column(String(40))
    result: Mapped[str] = mapped_column(String(10))
    note: Mapped[str | None] = mapped_column(Text)
    case_id: Mapped[str | None] = mapped_column(String(36))


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


from .collection_models import (  # noqa: E402,F401  (register the collection tables)
    Building,
    Household,
    Person,
    PersonalDataAccess,
    Place,
)
