"""Three-party contracts, their milestones, signatures, amendments and history."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from services.chassis.db import BigId, JsonDocument, UtcDateTime

from .base import Base, new_id


class Contract(Base):
    __tablename__ = "contracts"
    __table_args__ = (
        Index("ix_contracts_community_status", "community", "status"),
        Index("ix_contracts_provider", "provider_id"),
        CheckConstraint("withheld_fen >= 0 AND withheld_fen <= value_fen", name="withheld"),
        CheckConstraint("paid_fen >= 0 AND paid_fen <= value_fen - withheld_fen", name="paid"),
        CheckConstraint("allocated_fen >= 0 AND allocated_fen <= value_fen - withheld_fen", name="allocated"),
        CheckConstraint("NOT earmarked OR paid_fen <= allocated_fen", name="earmark"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    number: Mapped[str] = mapped_column(String(30), unique=True)
    community: Mapped[str] = mapped_column(String(40))
    tender_id: Mapped[str] = mapped_column(ForeignKey("tenders.id"), unique=True)
    bid_id: Mapped[str] = mapped_column(ForeignKey("bids.id"))
    provider_id: Mapped[str] = mapped_column(ForeignKey("providers.id"))
    budget_line_id: Mapped[str] = mapped_column(ForeignKey("budget_lines.id"))
    funding_line: Mapped[str] = mapped_column(String(20))
    buyer: Mapped[str] = mapped_column(String(20))
    earmarked: Mapped[bool] = mapped_column(Boolean)
    title: Mapped[str] = mapped_column(String(200))
    value_fen: Mapped[int] = mapped_column(BigInteger)
    allocated_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    paid_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    withheld_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    package_codes: Mapped[list[str]] = mapped_column(JsonDocument)
    deliverables: Mapped[list[dict[str, Any]]] = mapped_column(JsonDocument)
    fail_withhold_bp: Mapped[int] = mapped_column(Integer, default=10_000)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    revision: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str] = mapped_column(String(200))
    activated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    terminated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    termination_reason: Mapped[str | None] = mapped_column(Text)
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class Milestone(Base):
    __tablename__ = "milestones"
    __table_args__ = (
        UniqueConstraint("contract_id", "seq"),
        CheckConstraint("paid_fen >= 0 AND paid_fen <= payable_fen", name="paid"),
        CheckConstraint(
            "payable_fen >= 0 AND withheld_fen >= 0 AND payable_fen + withheld_fen <= amount_fen",
            name="settled",
        ),
        Index("ix_milestones_due", "due_notified_at", "due_date"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    contract_id: Mapped[str] = mapped_column(ForeignKey("contracts.id"))
    seq: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    due_date: Mapped[date | None] = mapped_column(Date)
    share_bp: Mapped[int] = mapped_column(Integer)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    payable_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    paid_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    withheld_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    status: Mapped[str] = mapped_column(String(30), default="pending")
    evaluation_year: Mapped[int | None] = mapped_column(Integer)
    decided_round_id: Mapped[str | None] = mapped_column(String(36), unique=True)
    grade: Mapped[str | None] = mapped_column(String(20))
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    due_notified_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    settled_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class Signature(Base):
    __tablename__ = "signatures"
    __table_args__ = (UniqueConstraint("contract_id", "revision", "party"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    contract_id: Mapped[str] = mapped_column(ForeignKey("contracts.id"))
    revision: Mapped[int] = mapped_column(Integer)
    party: Mapped[str] = mapped_column(String(20))
    signer_sub: Mapped[str] = mapped_column(String(200))
    signer_name: Mapped[str] = mapped_column(String(200))
    signed_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Amendment(Base):
    __tablename__ = "amendments"
    __table_args__ = (UniqueConstraint("contract_id", "revision"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    contract_id: Mapped[str] = mapped_column(ForeignKey("contracts.id"))
    revision: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    changes: Mapped[dict[str, Any]] = mapped_column(JsonDocument)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    proposed_by: Mapped[str] = mapped_column(String(200))
    proposed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class ContractStep(Base):
    """The contract's history: every signature, activation, amendment and termination."""

    __tablename__ = "contract_steps"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    contract_id: Mapped[str] = mapped_column(ForeignKey("contracts.id"), index=True)
    action: Mapped[str] = mapped_column(String(40))
    from_state: Mapped[str] = mapped_column(String(20))
    to_state: Mapped[str] = mapped_column(String(20))
    revision: Mapped[int] = mapped_column(Integer)
    actor_sub: Mapped[str] = mapped_column(String(200))
    actor_name: Mapped[str] = mapped_column(String(200))
    actor_role: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UtcDateTime)
