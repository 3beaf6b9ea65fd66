"""Tables of the evaluation service (its own database): schemes, rounds, scores, read model."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from services.chassis.db import BigId, JsonDocument, UtcDateTime, service_metadata


class Base(DeclarativeBase):
    metadata = service_metadata()


class Scheme(Base):
    """One version of a community's evaluation scheme for a year (and contract)."""

    __tablename__ = "schemes"
    __table_args__ = (
        UniqueConstraint("series_key", "version", name="uq_schemes_series_version"),
        Index("ix_schemes_community_year", "community", "year", "version"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    community: Mapped[str] = mapped_column(String(40))
    year: Mapped[int] = mapped_column(Integer)
    contract_id: Mapped[str | None] = mapped_column(String(36), index=True)
    series_key: Mapped[str] = mapped_column(String(100))  # community:year:contract|center
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))  # draft | frozen
    title: Mapped[str] = mapped_column(String(200))
    definition: Mapped[dict[str, Any]] = mapped_column(JsonDocument)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    frozen_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class Round(Base):
    """An evaluation round: a frozen snapshot of a scheme, its scoring and its result."""

    __tablename__ = "rounds"
    __table_args__ = (
        # One live (or closed) round per community, year and contract; cancelled ones stay.
        Index(
            "uq_rounds_live_series",
            "series_key",
            unique=True,
            postgresql_where=text("status <> 'cancelled'"),
            sqlite_where=text("status <> 'cancelled'"),
        ),
        Index("ix_rounds_community_year", "community", "year"),
        Index("ix_rounds_status", "status"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    scheme_id: Mapped[str] = mapped_column(ForeignKey("schemes.id"), index=True)
    community: Mapped[str] = mapped_column(String(40))
    year: Mapped[int] = mapped_column(Integer)
    contract_id: Mapped[str | None] = mapped_column(String(36), index=True)
    series_key: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JsonDocument)
    opened_by: Mapped[str] = mapped_column(String(200))
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime)
    closed_by: Mapped[str | None] = mapped_column(String(200))
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # four eyes on a contract's round: one manager proposes the close, another closes it
    close_proposed_by: Mapped[str | None] = mapped_column(String(200))
    close_proposed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    closed_via: Mapped[str | None] = mapped_column(String(30))
    close_resolution: Mapped[str | None] = mapped_column(String(200))
    score_centi: Mapped[int | None] = mapped_column(Integer)  # total × 100, exact
    grade: Mapped[str | None] = mapped_column(String(20))
    result: Mapped[dict[str, Any] | None] = mapped_column(JsonDocument)


class RoundScore(Base):
    """One member's score of one indicator for their party (revisable until close)."""

    __tablename__ = "round_scores"

    round_id: Mapped[str] = mapped_column(ForeignKey("rounds.id"), primary_key=True)
    party: Mapped[str] = mapped_column(String(40), primary_key=True)
    indicator: Mapped[str] = mapped_column(String(40), primary_key=True)
    member: Mapped[str] = mapped_column(String(200), primary_key=True)  # token subject
    score_centi: Mapped[int] = mapped_column(Integer)
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime)
    revised_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


# -- metrics read model ------------------------------------------------------------------


class ConsumedEvent(Base):
    """Append-only log of every event the read model consumed (the source of a rebuild)."""

    __tablename__ = "metric_events"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    community: Mapped[str | None] = mapped_column(String(40))
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)
    body: Mapped[str] = mapped_column(Text)


class TicketFact(Base):
    """A completed ticket (keyed by ticket id: a republished completion overwrites)."""

    __tablename__ = "metric_tickets"
    __table_args__ = (Index("ix_metric_tickets_period", "community", "completed_at"),)

    ticket_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    community: Mapped[str] = mapped_column(String(40))
    business_type: Mapped[str | None] = mapped_column(String(100))
    channel: Mapped[str | None] = mapped_column(String(40))
    completed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    wait_seconds: Mapped[int] = mapped_column(Integer)
    service_seconds: Mapped[int | None] = mapped_column(Integer)


class FeedbackFact(Base):
    """A resident's rating (1–5) of a ticket or case."""

    __tablename__ = "metric_feedback"
    __table_args__ = (Index("ix_metric_feedback_period", "community", "recorded_at"),)

    feedback_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    community: Mapped[str] = mapped_column(String(40))
    target_kind: Mapped[str | None] = mapped_column(String(20))
    score: Mapped[int] = mapped_column(Integer)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)


class CaseFact(Base):
    """One intake or grid case, folded from its events (see `cases.py`)."""

    __tablename__ = "metric_cases"
    __table_args__ = (
        Index("ix_metric_cases_resolved", "community", "resolved_at"),
        Index("ix_metric_cases_first_resolved", "community", "first_resolved_at"),
        Index("ix_metric_cases_due", "community", "due_at"),
    )

    origin: Mapped[str] = mapped_column(String(10), primary_key=True)  # intake | grid
    case_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    community: Mapped[str] = mapped_column(String(40))
    source: Mapped[str | None] = mapped_column(String(40))
    opened_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    due_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_sequence: Mapped[int] = mapped_column(BigInteger, default=-1)
    first_resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # latest resolution
    on_time: Mapped[bool | None] = mapped_column(Boolean)
    resolution_sequence: Mapped[int] = mapped_column(BigInteger, default=-1)
    reopened: Mapped[bool] = mapped_column(Boolean, default=False)
    reopen_sequence: Mapped[int] = mapped_column(BigInteger, default=-1)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # latest close
    closed_sequence: Mapped[int] = mapped_column(BigInteger, default=-1)


class InspectionFact(Base):
    """A completed grid inspection of one cell."""

    __tablename__ = "metric_inspections"
    __table_args__ = (Index("ix_metric_inspections_period", "community", "completed_at"),)

    inspection_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    community: Mapped[str] = mapped_column(String(40))
    cell_code: Mapped[str] = mapped_column(String(40))
    period: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    completed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    items: Mapped[int] = mapped_column(Integer)
    findings: Mapped[int] = mapped_column(Integer)


class CellFact(Base):
    """A grid cell the platform has seen, from its first event on."""

    __tablename__ = "metric_cells"

    community: Mapped[str] = mapped_column(String(40), primary_key=True)
    cell_code: Mapped[str] = mapped_column(String(40), primary_key=True)
    first_seen_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ContractFact(Base):
    """An activated purchase contract (as contracts published it)."""

    __tablename__ = "metric_contracts"

    contract_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    community: Mapped[str | None] = mapped_column(String(40), index=True)
    provider_id: Mapped[str | None] = mapped_column(String(36))
    value_fen: Mapped[int | None] = mapped_column(BigInteger)
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    activated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class MilestoneFact(Base):
    """A contract milestone: when it is due and whether it was paid, released or withheld."""

    __tablename__ = "metric_milestones"
    __table_args__ = (Index("ix_metric_milestones_due", "community", "due_date"),)

    milestone_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    contract_id: Mapped[str] = mapped_column(String(36), index=True)
    community: Mapped[str | None] = mapped_column(String(40))
    due_date: Mapped[date | None] = mapped_column(Date)
    amount_fen: Mapped[int | None] = mapped_column(BigInteger)
    met_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    withheld: Mapped[bool] = mapped_column(Boolean, default=False)


# -- monthly reports ---------------------------------------------------------------------


class MonthlyReport(Base):
    """A community's report of one closed month (XLSX), written once by the worker."""

    __tablename__ = "monthly_reports"
    __table_args__ = (UniqueConstraint("community", "month", name="uq_monthly_reports_community_month"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    community: Mapped[str] = mapped_column(String(40))
    month: Mapped[str] = mapped_column(String(7))  # YYYY-MM, local time
    generated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    figures: Mapped[dict[str, Any]] = mapped_column(JsonDocument)
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)
