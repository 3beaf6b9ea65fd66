"""Budgets, the double-entry ledger, payments and number counters.

The invariants live in CHECK constraints so that no code path, however written, can
break them: a committee or fund account never goes negative, a budget line never
pays more than was allocated to it nor commits more than was planned.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.chassis.db import BigId, UtcDateTime

from .base import Base, new_id


class Account(Base):
    __tablename__ = "accounts"
    __table_args__ = (
        CheckConstraint("kind = 'subdistrict' OR balance_fen >= 0", name="never_negative"),
        Index("ix_accounts_community", "community", "kind"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    code: Mapped[str] = mapped_column(String(80), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    community: Mapped[str | None] = mapped_column(String(40))
    provider_id: Mapped[str | None] = mapped_column(ForeignKey("providers.id"))
    balance_fen: Mapped[int] = mapped_column(BigInteger, default=0)


class Budget(Base):
    __tablename__ = "budgets"
    __table_args__ = (UniqueConstraint("community", "fiscal_year"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    community: Mapped[str] = mapped_column(String(40))
    fiscal_year: Mapped[int] = mapped_column(Integer)
    mode: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str] = mapped_column(String(200))


class BudgetLine(Base):
    __tablename__ = "budget_lines"
    __table_args__ = (
        UniqueConstraint("budget_id", "line"),
        CheckConstraint("committed_fen >= 0 AND committed_fen <= planned_fen", name="committed"),
        CheckConstraint("allocated_fen >= 0 AND allocated_fen <= planned_fen", name="allocated"),
        CheckConstraint("paid_fen >= 0 AND paid_fen <= allocated_fen", name="paid"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    budget_id: Mapped[str] = mapped_column(ForeignKey("budgets.id"))
    line: Mapped[str] = mapped_column(String(20))
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"))
    planned_fen: Mapped[int] = mapped_column(BigInteger)
    allocated_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    committed_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    paid_fen: Mapped[int] = mapped_column(BigInteger, default=0)


class LedgerEntry(Base):
    """One double entry: `amount_fen` debited to one account and credited from another."""

    __tablename__ = "ledger_entries"
    __table_args__ = (
        CheckConstraint("amount_fen > 0", name="positive"),
        CheckConstraint("debit_account_id <> credit_account_id", name="two_accounts"),
        Index("ix_ledger_entries_community_at", "community", "created_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(20))
    debit_account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    credit_account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    community: Mapped[str] = mapped_column(String(40))
    budget_line_id: Mapped[str] = mapped_column(ForeignKey("budget_lines.id"))
    contract_id: Mapped[str | None] = mapped_column(ForeignKey("contracts.id"), index=True)
    milestone_id: Mapped[str | None] = mapped_column(String(36))
    memo: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str] = mapped_column(String(200))


class Payment(Base):
    __tablename__ = "payments"
    __table_args__ = (
        CheckConstraint("amount_fen > 0", name="positive"),
        Index("ix_payments_community_paid_at", "community", "paid_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    number: Mapped[str] = mapped_column(String(30), unique=True)
    community: Mapped[str] = mapped_column(String(40))
    contract_id: Mapped[str] = mapped_column(ForeignKey("contracts.id"), index=True)
    milestone_id: Mapped[str] = mapped_column(ForeignKey("milestones.id"))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    entry_id: Mapped[int] = mapped_column(ForeignKey("ledger_entries.id"))
    memo: Mapped[str] = mapped_column(Text, default="")
    paid_at: Mapped[datetime] = mapped_column(UtcDateTime)
    paid_by_sub: Mapped[str] = mapped_column(String(200))
    paid_by_name: Mapped[str] = mapped_column(String(200))
