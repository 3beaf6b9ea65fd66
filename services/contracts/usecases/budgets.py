"""Budgets per community and fiscal year, and the subdistrict's allocations.

`pass_through`: the services line is allocated contract by contract (use cases in
payments.py). `committee_budget`: the quota is allocated to the committee's account in
tranches and the committee buys with it. The autonomy fund is allocated the same way
to its own account in both modes.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from services.chassis import clock
from services.chassis.auth import Principal
from services.chassis.errors import Conflict
from services.chassis.unit_of_work import UnitOfWork

from .. import domain, events
from ..models import Budget, BudgetLine, LedgerEntry
from . import ledger, policy
from .common import get
from .policy import Actor


def create_budget(uow: UnitOfWork, principal: Principal, data: dict[str, Any]) -> Budget:
    """Set a community's budget for a fiscal year (subdistrict officers)."""
    actor = policy.subdistrict_officer(principal)
    community, year = data["community"], data["fiscal_year"]
    if uow.session.scalars(
        select(Budget).where(Budget.community == community, Budget.fiscal_year == year)
    ).first():
        raise Conflict(f"{community} already has a budget for {year}.", type="duplicate-budget")
    budget = Budget(
        community=community, fiscal_year=year, mode=data["mode"], created_at=clock.now(), created_by=actor.sub
    )
    uow.session.add(budget)
    uow.flush()
    uow.session.add(
        BudgetLine(
            budget_id=budget.id,
            line="services",
            account_id=ledger.committee_account(uow, community).id,
            planned_fen=data["services_fen"],
        )
    )
    uow.session.add(
        BudgetLine(
            budget_id=budget.id,
            line="autonomy_fund",
            account_id=ledger.autonomy_fund_account(uow, community).id,
            planned_fen=data["autonomy_fund_fen"],
        )
    )
    ledger.subdistrict_account(uow)
    uow.flush()
    return budget


def lines_of(uow: UnitOfWork, budget_id: str) -> dict[str, BudgetLine]:
    return {
        line.line: line
        for line in uow.session.scalars(select(BudgetLine).where(BudgetLine.budget_id == budget_id))
    }


def fiscal_year_of_line(uow: UnitOfWork, line_id: str) -> int:
    """The fiscal year of the budget a line belongs to."""
    line = uow.session.get_one(BudgetLine, line_id)
    return uow.session.get_one(Budget, line.budget_id).fiscal_year


def line_for_update(uow: UnitOfWork, line_id: str) -> BudgetLine:
    return get(uow, BudgetLine, line_id, lock=True, what="budget line")


def allocate_to_line(
    uow: UnitOfWork, principal: Principal, budget_id: str, data: dict[str, Any]
) -> LedgerEntry:
    """Allocate a tranche of the committee's quota or of the autonomy fund."""
    actor = policy.subdistrict_officer(principal)
    budget = get(uow, Budget, budget_id, what="budget")
    line = line_for_update(uow, lines_of(uow, budget.id)[data["funding_line"]].id)
    funding = domain.funding_of(domain.is_earmarked(budget.mode, line.line))
    if not domain.FUNDING.allows(funding, "allocate_tranche"):
        raise domain.FUNDING.refusal(
            funding,
            "allocate_tranche",
            reason="a pass-through budget's services money is allocated contract by contract "
            "(POST /contracts/{id}/allocations)",
        )
    return allocate(uow, actor, budget, line, data["amount_fen"], contract_id=None, memo=data.get("memo", ""))


def allocate(
    uow: UnitOfWork,
    actor: Actor,
    budget: Budget,
    line: BudgetLine,
    amount_fen: int,
    *,
    contract_id: str | None,
    memo: str,
) -> LedgerEntry:
    """Subdistrict → committee (or autonomy fund): one entry, the line's allocation raised."""
    if line.allocated_fen + amount_fen > line.planned_fen:
        raise domain.BudgetExceeded(
            f"The {line.line.replace('_', ' ')} line has {line.planned_fen - line.allocated_fen} "
            f"fen left to allocate; {amount_fen} fen asked."
        )
    uow.session.execute(
        update(BudgetLine)
        .where(BudgetLine.id == line.id)
        .values(allocated_fen=BudgetLine.allocated_fen + amount_fen)
    )
    entry = ledger.transfer(
        uow,
        kind="allocation",
        giver=ledger.subdistrict_account(uow),
        receiver=ledger.line_account(uow, line),
        amount_fen=amount_fen,
        community=budget.community,
        budget_line_id=line.id,
        actor=actor,
        contract_id=contract_id,
        memo=memo,
    )
    uow.session.expire(line)
    uow.emit(
        events.FUNDS_ALLOCATED,
        subject=budget.id,
        community=budget.community,
        data={
            "allocation_id": entry.id,
            "budget_id": budget.id,
            "funding_line": line.line,
            "contract_id": contract_id,
            "amount_fen": amount_fen,
            "allocated_at": entry.created_at.isoformat(),
        },
    )
    return entry
