"""Tenders, their steps (who, when, why), bids and the OCDS release log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.chassis.db import BigId, JsonDocument, UtcDateTime

from .base import Base, new_id


class Tender(Base):
    __tablename__ = "tenders"
    __table_args__ = (
        Index("ix_tenders_community_status", "community", "status"),
        Index("ix_tenders_community_created", "community", "created_at"),
        CheckConstraint("estimated_value_fen > 0", name="positive_value"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    number: Mapped[str] = mapped_column(String(30), unique=True)
    community: Mapped[str] = mapped_column(String(40))
    budget_line_id: Mapped[str] = mapped_column(ForeignKey("budget_lines.id"))
    funding_line: Mapped[str] = mapped_column(String(20))
    buyer: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    method: Mapped[str] = mapped_column(String(30))
    single_source_reason: Mapped[str | None] = mapped_column(Text)
    invited_provider_ids: Mapped[list[str]] = mapped_column(JsonDocument)
    package_codes: Mapped[list[str]] = mapped_column(JsonDocument)
    estimated_value_fen: Mapped[int] = mapped_column(BigInteger)
    bid_deadline: Mapped[datetime | None] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    approved_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    awarded_bid_id: Mapped[str | None] = mapped_column(String(36))
    award_reason: Mapped[str | None] = mapped_column(Text)
    award_proposed_by: Mapped[str | None] = mapped_column(String(200))
    awarded_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class TenderStep(Base):
    """One step of a purchase: what was done, by whom (role), when and why."""

    __tablename__ = "tender_steps"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    tender_id: Mapped[str] = mapped_column(ForeignKey("tenders.id"), index=True)
    action: Mapped[str] = mapped_column(String(40))
    from_state: Mapped[str] = mapped_column(String(20))
    to_state: Mapped[str] = mapped_column(String(20))
    actor_sub: Mapped[str] = mapped_column(String(200))
    actor_name: Mapped[str] = mapped_column(String(200))
    actor_role: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UtcDateTime)


class Bid(Base):
    __tablename__ = "bids"
    __table_args__ = (
        UniqueConstraint("tender_id", "provider_id"),
        CheckConstraint("amount_fen > 0", name="positive_amount"),
        CheckConstraint("score IS NULL OR (score >= 0 AND score <= 100)", name="score_range"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    tender_id: Mapped[str] = mapped_column(ForeignKey("tenders.id"), index=True)
    provider_id: Mapped[str] = mapped_column(ForeignKey("providers.id"))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    proposal: Mapped[str] = mapped_column(Text, default="")
    score: Mapped[int | None] = mapped_column(Integer)
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime)
    submitted_by: Mapped[str] = mapped_column(String(200))


class OcdsRelease(Base):
    """A snapshot of a contracting process at one step, exported as an OCDS release."""

    __tablename__ = "ocds_releases"
    __table_args__ = (
        UniqueConstraint("tender_id", "seq"),
        Index("ix_ocds_releases_community_date", "community", "date"),
        Index("ix_ocds_releases_date", "date"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    tender_id: Mapped[str] = mapped_column(ForeignKey("tenders.id"))
    community: Mapped[str] = mapped_column(String(40))
    seq: Mapped[int] = mapped_column(Integer)
    tags: Mapped[list[str]] = mapped_column(JsonDocument)
    date: Mapped[datetime] = mapped_column(UtcDateTime)
    body: Mapped[dict[str, Any]] = mapped_column(JsonDocument)


class CommitteeResolution(Base):
    """A resolution the committee passed on a tender or its award, as governance published it.

    The committee approves a tender or an award only on one of these (`effective_at` set:
    at once for a tender, after its public notice concluded for an award).
    """

    __tablename__ = "committee_resolutions"
    __table_args__ = (Index("ix_committee_resolutions_tender_step", "tender_id", "step"),)

    resolution_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    tender_id: Mapped[str] = mapped_column(String(36))
    step: Mapped[str] = mapped_column(String(10))  # tender | award
    meeting_id: Mapped[str] = mapped_column(String(36))
    votes_for: Mapped[int] = mapped_column(Integer)
    eligible_present: Mapped[int] = mapped_column(Integer)
    passed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    notice_id: Mapped[str | None] = mapped_column(String(36))
    effective_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
