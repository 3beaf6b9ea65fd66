"""Tables of inspections (排查): the checklist, planned rounds, completed rounds."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from services.chassis.db import BigId, UtcDateTime

from .base import Base


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
