"""The subdistrict allocates to the committee; the committee pays the provider."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update

from services.chassis import clock
from services.chassis.auth import Principal
from services.chassis.unit_of_work import UnitOfWork

from .. import domain, events
from ..domain import CONTRACT, MILESTONE, money
from ..models import Budget, BudgetLine, Contract, Milestone, Payment, Tender
from . import budgets, ledger, ocds_snapshot, policy
from .common import get, next_number
from .settlement import complete_if_settled, fall_due


def allocate_to_contract(
    uow: UnitOfWork, principal: Principal, contract_id: str, data: dict[str, Any]
) -> Any:
    """Pass-through: the subdistrict allocates (part of) a contract's money to the committee."""
    contract = get(uow, Contract, contract_id, lock=True, what="contract")
    actor = policy.subdistrict_officer(principal)
    funding = domain.funding_of(contract.earmarked)
    if not domain.FUNDING.allows(funding, "allocate_to_contract"):
        raise domain.FUNDING.refusal(
            funding,
            "allocate_to_contract",
            reason="this contract is paid from the committee's quota or fund, allocated per budget "
            "(POST /budgets/{id}/allocations)",
        )
    CONTRACT.target(contract.status, "allocate")
    amount = data["amount_fen"]
    room = contract.value_fen - contract.withheld_fen - contract.allocated_fen
    if amount > room:
        raise domain.OverPayment(
            f"The contract has {room} fen left to allocate; {amount} asked.", open_fen=room
        )
    line = budgets.line_for_update(uow, contract.budget_line_id)
    entry = budgets.allocate(
        uow,
        actor,
        get(uow, Budget, line.budget_id),
        line,
        amount,
        contract_id=contract.id,
        memo=data.get("memo", ""),
    )
    contract.allocated_fen += amount
    contract.version += 1
    uow.flush()
    ocds_snapshot.record(uow, get(uow, Tender, contract.tender_id), ["implementation"], entry.created_at)
    return entry


def pay(
    uow: UnitOfWork, principal: Principal, contract_id: str, milestone_id: str, data: dict[str, Any]
) -> Payment:
    """The residents' committee pays the provider for a milestone, from its account."""
    contract = get(uow, Contract, contract_id, lock=True, what="contract")
    actor = policy.committee_member(principal, contract.community)
    CONTRACT.target(contract.status, "pay")
    milestone = get(uow, Milestone, milestone_id, lock=True, what="milestone")
    if milestone.contract_id != contract.id:
        raise domain.InvalidTerms({"milestone_id": ["Not a milestone of this contract."]})
    today = clock.local_today()
    if (
        milestone.kind == "scheduled"
        and milestone.status == "pending"
        and milestone.due_date is not None
        and milestone.due_date <= today
    ):
        fall_due(uow, contract, milestone, clock.now())
    MILESTONE.target(milestone.status, "pay")
    line = budgets.line_for_update(uow, contract.budget_line_id)
    funds = (
        (contract.allocated_fen - contract.paid_fen)
        if contract.earmarked
        else (line.allocated_fen - line.paid_fen)
    )
    amount = data["amount_fen"]
    money.check_payment(
        amount,
        milestone_open_fen=milestone.payable_fen - milestone.paid_fen,
        contract_open_fen=contract.value_fen - contract.withheld_fen - contract.paid_fen,
        funds_fen=funds,
    )
    entry = ledger.transfer(
        uow,
        kind="payment",
        giver=ledger.line_account(uow, line),
        receiver=ledger.provider_account(uow, contract.provider_id),
        amount_fen=amount,
        community=contract.community,
        budget_line_id=line.id,
        actor=actor,
        contract_id=contract.id,
        milestone_id=milestone.id,
        memo=data.get("memo", ""),
    )
    uow.session.execute(
        update(BudgetLine).where(BudgetLine.id == line.id).values(paid_fen=BudgetLine.paid_fen + amount)
    )
    milestone.paid_fen += amount
    contract.paid_fen += amount
    contract.version += 1
    if milestone.paid_fen + milestone.withheld_fen == milestone.amount_fen:
        milestone.status = MILESTONE.target(milestone.status, "pay")
        milestone.settled_at = entry.created_at
    payment = Payment(
        number=next_number(uow, "ZF", 6),
        community=contract.community,
        contract_id=contract.id,
        milestone_id=milestone.id,
        amount_fen=amount,
        entry_id=entry.id,
        memo=data.get("memo", ""),
        paid_at=entry.created_at,
        paid_by_sub=actor.sub,
        paid_by_name=actor.name,
    )
    uow.session.add(payment)
    uow.flush()
    uow.emit(
        events.PAYMENT_MADE,
        subject=contract.id,
        community=contract.community,
        data={
            "payment_id": payment.id,
            "contract_id": contract.id,
            "milestone_id": milestone.id,
            "amount_fen": amount,
            "paid_at": payment.paid_at.isoformat(),
        },
    )
    complete_if_settled(uow, contract, actor)
    ocds_snapshot.record(uow, get(uow, Tender, contract.tender_id), ["implementation"], payment.paid_at)
    return payment
