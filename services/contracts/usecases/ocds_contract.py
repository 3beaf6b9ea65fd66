"""The contract part of an OCDS snapshot: value, period, transactions, milestones."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from services.chassis import clock
from services.chassis.open_data import month_of
from services.chassis.unit_of_work import UnitOfWork

from ..models import Amendment, Contract, LedgerEntry, Milestone, Payment, Provider

ORG_SCHEME = "CN-USCC"
# A document url relative to the service's public root; the export edge resolves it.
DOCUMENT_URL_MARK = "service-root:"
CONTRACT_STATUS = {
    "draft": "pending",
    "signing": "pending",
    "active": "active",
    "amending": "active",
    "completed": "terminated",
    "terminated": "terminated",
    "cancelled": "cancelled",
}


def money_fen(amount: int) -> dict[str, Any]:
    return {"amount_fen": amount, "currency": "CNY"}


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def day(value: date | None) -> str | None:
    """A calendar day as the start of that day in the communities' zone."""
    return clock.local(clock.local_midnight(value)).isoformat() if value else None


def provider_party_id(provider: Provider) -> str:
    return f"{ORG_SCHEME}-{provider.uscc}"


def contract_section(
    uow: UnitOfWork,
    contract: Contract,
    award_id: str,
    subdistrict_ref: dict[str, str],
    committee_ref: dict[str, str],
    supplier: Provider,
    roles: dict[str, set[str]],
) -> dict[str, Any]:
    session = uow.session
    supplier_ref = {"id": provider_party_id(supplier), "name": supplier.name}
    transactions: list[tuple[datetime, dict[str, Any]]] = []
    for entry in session.scalars(
        select(LedgerEntry).where(
            LedgerEntry.contract_id == contract.id, LedgerEntry.kind.in_(("allocation", "return"))
        )
    ):
        payer, payee = (
            (subdistrict_ref, committee_ref)
            if entry.kind == "allocation"
            else (committee_ref, subdistrict_ref)
        )
        roles[payer["id"]].add("payer")
        roles[payee["id"]].add("payee")
        transactions.append(
            (
                entry.created_at,
                {
                    "id": f"{'AL' if entry.kind == 'allocation' else 'RT'}-{entry.id}",
                    "date": iso(entry.created_at),
                    "value": money_fen(entry.amount_fen),
                    "payer": payer,
                    "payee": payee,
                },
            )
        )
    documents: list[tuple[datetime, dict[str, Any]]] = []
    for payment in session.scalars(select(Payment).where(Payment.contract_id == contract.id)):
        documents.append((payment.paid_at, payment_document(payment)))
        roles[committee_ref["id"]].add("payer")
        roles[supplier_ref["id"]].add("payee")
        transactions.append(
            (
                payment.paid_at,
                {
                    "id": payment.number,
                    "date": iso(payment.paid_at),
                    "value": money_fen(payment.amount_fen),
                    "payer": committee_ref,
                    "payee": supplier_ref,
                },
            )
        )
    transactions.sort(key=lambda pair: pair[0])
    documents.sort(key=lambda pair: pair[0])
    milestones = [
        _milestone(m)
        for m in session.scalars(
            select(Milestone).where(Milestone.contract_id == contract.id).order_by(Milestone.seq)
        )
    ]
    section: dict[str, Any] = {
        "id": contract.number,
        "awardID": award_id,
        "title": contract.title,
        "status": CONTRACT_STATUS[contract.status],
        "period": {"startDate": day(contract.period_start), "endDate": day(contract.period_end)},
        "value": money_fen(contract.value_fen),
        "dateSigned": iso(contract.activated_at),
        "implementation": {"transactions": [t for _, t in transactions], "milestones": milestones},
    }
    if documents:
        section["implementation"]["documents"] = [d for _, d in documents]
    applied = list(
        session.scalars(
            select(Amendment)
            .where(Amendment.contract_id == contract.id, Amendment.status == "applied")
            .order_by(Amendment.revision)
        )
    )
    if applied:
        section["amendments"] = [
            {
                "id": str(a.revision),
                "date": iso(a.decided_at),
                "rationale": a.reason,
                "description": "; ".join(f"{k}: {old} → {new}" for k, (old, new) in a.changes.items()),
            }
            for a in applied
        ]
    return section


def payment_document(payment: Payment) -> dict[str, Any]:
    """The public record of a payment: its row in the month's open-data payments file.

    The url is relative to the service's root; the export edge makes it absolute."""
    month = month_of(payment.paid_at)
    return {
        "id": f"{payment.number}-record",
        "documentType": "financialProgressReport",
        "title": f"付款记录 {payment.number} (payment record)",
        "description": f"{month} 月公开数据中的付款记录 (the payment's row in the open data of {month})",
        "url": f"{DOCUMENT_URL_MARK}open-data/payments/{month}.csv",
        "datePublished": iso(payment.paid_at),
        "format": "text/csv",
        "language": "zh",
    }


def _milestone(milestone: Milestone) -> dict[str, Any]:
    if milestone.status == "paid":
        status = "met" if milestone.withheld_fen == 0 else "partiallyMet"
    elif milestone.status in ("withheld", "cancelled"):
        status = "notMet"
    else:
        status = "scheduled"
    share = f"{milestone.share_bp // 100}.{milestone.share_bp % 100:02d} %"
    item: dict[str, Any] = {
        "id": str(milestone.seq),
        "title": milestone.name,
        "type": "payment",
        "code": milestone.kind,
        "status": status,
        "description": f"{share} of the contract value ({milestone.kind})",
    }
    if milestone.due_date:
        item["dueDate"] = day(milestone.due_date)
    if status in ("met", "partiallyMet") and milestone.settled_at:
        item["dateMet"] = iso(milestone.settled_at)
    return item
