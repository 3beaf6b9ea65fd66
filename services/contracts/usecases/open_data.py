"""The contracts service's open data: contracts signed, payments made and the budgets of
each community, one month at a time (served by `services.chassis.open_data`).

Only what the reform makes public: organisations, amounts in integer fen, dates. Never who
signed or paid (staff names and subjects), memos (free text) or bank details.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.chassis.open_data import Dataset, Field, earliest, month_of

from ..models import Budget, BudgetLine, Contract, LedgerEntry, Milestone, Payment, Provider

COMMUNITY = Field("community", "string", "社区", "Community code")


def _contracts(session: Session, start: datetime, end: datetime) -> Iterator[dict[str, Any]]:
    statement = (
        select(Contract, Provider)
        .join(Provider, Provider.id == Contract.provider_id)
        .where(Contract.activated_at >= start, Contract.activated_at < end)
        .order_by(Contract.activated_at, Contract.number)
    )
    for contract, provider in session.execute(statement):
        yield {
            "id": contract.id,
            "number": contract.number,
            "community": contract.community,
            "title": contract.title,
            "supplier_name": provider.name,
            "supplier_uscc": provider.uscc,
            "funding_line": contract.funding_line,
            "value_fen": contract.value_fen,
            "period_start": contract.period_start,
            "period_end": contract.period_end,
            "signed_at": contract.activated_at,
        }


def _payments(session: Session, start: datetime, end: datetime) -> Iterator[dict[str, Any]]:
    statement = (
        select(Payment, Contract.number, Milestone.seq, Milestone.name)
        .join(Contract, Contract.id == Payment.contract_id)
        .join(Milestone, Milestone.id == Payment.milestone_id)
        .where(Payment.paid_at >= start, Payment.paid_at < end)
        .order_by(Payment.paid_at, Payment.number)
    )
    for payment, contract_number, seq, milestone in session.execute(statement):
        yield {
            "number": payment.number,
            "community": payment.community,
            "contract_number": contract_number,
            "milestone_seq": seq,
            "milestone": milestone,
            "amount_fen": payment.amount_fen,
            "paid_at": payment.paid_at,
        }


def _budgets(session: Session, start: datetime, end: datetime) -> Iterator[dict[str, Any]]:
    moved = (
        select(LedgerEntry.budget_line_id, LedgerEntry.kind, func.sum(LedgerEntry.amount_fen))
        .where(LedgerEntry.created_at >= start, LedgerEntry.created_at < end)
        .group_by(LedgerEntry.budget_line_id, LedgerEntry.kind)
    )
    sums = {(line_id, kind): int(total) for line_id, kind, total in session.execute(moved)}
    year = int(month_of(start)[:4])
    statement = (
        select(Budget, BudgetLine)
        .join(BudgetLine, BudgetLine.budget_id == Budget.id)
        .where(Budget.fiscal_year == year)
        .order_by(Budget.community, BudgetLine.line)
    )
    for budget, line in session.execute(statement):
        yield {
            "community": budget.community,
            "fiscal_year": budget.fiscal_year,
            "line": line.line,
            "planned_fen": line.planned_fen,
            "allocated_in_month_fen": sums.get((line.id, "allocation"), 0),
            "paid_in_month_fen": sums.get((line.id, "payment"), 0),
            "returned_in_month_fen": sums.get((line.id, "return"), 0),
        }


DATASETS = (
    Dataset(
        "contracts",
        "合同 (contracts signed in the month)",
        "本月签订（生效）的政府购买服务合同。Contracts that took effect in the month.",
        (
            Field("id", "string", "合同标识", "Contract id, as in the API"),
            Field("number", "string", "合同编号", "Contract number"),
            COMMUNITY,
            Field("title", "string", "合同名称", "Title"),
            Field("supplier_name", "string", "服务机构", "Supplier (an organisation)"),
            Field("supplier_uscc", "string", "统一社会信用代码", "Supplier's unified social credit code"),
            Field("funding_line", "string", "资金来源", "services or autonomy_fund"),
            Field("value_fen", "integer", "合同金额（分）", "Contract value in fen (0.01 CNY)"),
            Field("period_start", "date", "服务开始", "Service period start"),
            Field("period_end", "date", "服务结束", "Service period end"),
            Field("signed_at", "datetime", "生效时间", "When the contract took effect (UTC)"),
        ),
        _contracts,
        earliest(Contract.activated_at),
    ),
    Dataset(
        "payments",
        "付款 (payments made in the month)",
        "本月居委会向服务机构支付的款项。Payments by committees to suppliers in the month.",
        (
            Field("number", "string", "付款编号", "Payment number"),
            COMMUNITY,
            Field("contract_number", "string", "合同编号", "Contract number"),
            Field("milestone_seq", "integer", "节点序号", "Milestone sequence number"),
            Field("milestone", "string", "付款节点", "Milestone name"),
            Field("amount_fen", "integer", "金额（分）", "Amount in fen (0.01 CNY)"),
            Field("paid_at", "datetime", "支付时间", "When it was paid (UTC)"),
        ),
        _payments,
        earliest(Payment.paid_at),
    ),
    Dataset(
        "budgets",
        "社区预算 (budgets per community)",
        "该月所在财年各社区预算科目的计划数，以及本月下拨、支付、退回的金额。"
        "Budget lines of the month's fiscal year per community, with the month's movements.",
        (
            COMMUNITY,
            Field("fiscal_year", "integer", "财年", "Fiscal year"),
            Field("line", "string", "预算科目", "services or autonomy_fund"),
            Field("planned_fen", "integer", "计划数（分）", "Planned amount in fen"),
            Field("allocated_in_month_fen", "integer", "本月下拨（分）", "Allocated in the month, fen"),
            Field("paid_in_month_fen", "integer", "本月支付（分）", "Paid to suppliers in the month, fen"),
            Field("returned_in_month_fen", "integer", "本月退回（分）", "Returned in the month, fen"),
        ),
        _budgets,
        earliest(Budget.created_at),
    ),
)
