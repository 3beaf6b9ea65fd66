"""Changing a contract in force: amendments signed again by all three, and termination."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select, update

from services.chassis import clock
from services.chassis.auth import Principal
from services.chassis.unit_of_work import UnitOfWork

from .. import domain, events
from ..domain import CONTRACT, money
from ..models import Amendment, BudgetLine, Contract, Milestone, Tender
from . import budgets, ocds_snapshot, policy, settlement, terms
from .common import get
from .contract_steps import milestones_of, record_step, require_current
from .policy import Actor


def propose_amendment(
    uow: UnitOfWork, principal: Principal, contract_id: str, data: dict[str, Any], if_match: str | None
) -> Contract:
    """Propose new terms (value, end of period); all three parties must sign them."""
    contract = get(uow, Contract, contract_id, lock=True, what="contract")
    actor, _ = policy.committee_or_subdistrict(principal, contract.community)
    require_current(contract, if_match)
    CONTRACT.target(contract.status, "propose_amendment")
    changes: dict[str, Any] = {}
    if "value_fen" in data and data["value_fen"] != contract.value_fen:
        delta = data["value_fen"] - contract.value_fen
        money.amend_open_milestones([m.amount_fen for m in _open(uow, contract)], delta)
        if delta > 0:
            line = get(uow, BudgetLine, contract.budget_line_id)
            if delta > line.planned_fen - line.committed_fen:
                raise domain.BudgetExceeded("The budget line cannot cover the increase.")
        changes["value_fen"] = [contract.value_fen, data["value_fen"]]
    if "period_end" in data and data["period_end"] != contract.period_end:
        terms.check_period(contract.period_start, data["period_end"])
        changes["period_end"] = [contract.period_end.isoformat(), data["period_end"].isoformat()]
    if not changes:
        raise domain.InvalidTerms({"_schema": ["The amendment changes nothing."]})
    amendment = Amendment(
        contract_id=contract.id,
        revision=contract.revision + 1,
        reason=data["reason"],
        changes=changes,
        status="pending",
        proposed_by=actor.sub,
        proposed_at=clock.now(),
    )
    uow.session.add(amendment)
    record_step(uow, contract, "propose_amendment", actor, data["reason"])
    uow.flush()
    return contract


def _open(uow: UnitOfWork, contract: Contract) -> list[Milestone]:
    """Milestones whose amount may still change: not yet due, decided or paid."""
    return [
        m
        for m in milestones_of(uow, contract.id, lock=True)
        if m.status == "pending" and m.payable_fen == 0 and m.kind != "signing"
    ]


def pending_amendment(uow: UnitOfWork, contract: Contract) -> Amendment | None:
    return uow.session.scalars(
        select(Amendment).where(Amendment.contract_id == contract.id, Amendment.status == "pending")
    ).first()


def apply_amendment(uow: UnitOfWork, contract: Contract, actor: Actor) -> None:
    amendment = pending_amendment(uow, contract)
    assert amendment is not None
    changes = amendment.changes
    if "value_fen" in changes:
        old, new = changes["value_fen"]
        opened = _open(uow, contract)
        for milestone, amount in zip(
            opened, money.amend_open_milestones([m.amount_fen for m in opened], new - old), strict=True
        ):
            milestone.amount_fen = amount
        line = budgets.line_for_update(uow, contract.budget_line_id)
        if new - old > line.planned_fen - line.committed_fen:
            raise domain.BudgetExceeded("The budget line can no longer cover the increase.")
        uow.session.execute(
            update(BudgetLine)
            .where(BudgetLine.id == line.id)
            .values(committed_fen=BudgetLine.committed_fen + new - old)
        )
        contract.value_fen = new
    if "period_end" in changes:
        contract.period_end = date.fromisoformat(changes["period_end"][1])
    amendment.status, amendment.decided_at = "applied", clock.now()
    contract.revision = amendment.revision
    record_step(uow, contract, "apply_amendment", actor, amendment.reason)
    settlement.return_excess_allocation(uow, contract, actor)
    uow.flush()
    ocds_snapshot.record(
        uow, get(uow, Tender, contract.tender_id), ["contractAmendment"], amendment.decided_at
    )


def withdraw_amendment(
    uow: UnitOfWork, principal: Principal, contract_id: str, reason: str, if_match: str | None
) -> Contract:
    """Drop a pending amendment; the signed terms stay in force."""
    contract = get(uow, Contract, contract_id, lock=True, what="contract")
    actor, _ = policy.committee_or_subdistrict(principal, contract.community)
    require_current(contract, if_match)
    CONTRACT.target(contract.status, "withdraw_amendment")
    amendment = pending_amendment(uow, contract)
    assert amendment is not None
    amendment.status, amendment.decided_at = "withdrawn", clock.now()
    record_step(uow, contract, "withdraw_amendment", actor, reason)
    uow.flush()
    return contract


def terminate(
    uow: UnitOfWork, principal: Principal, contract_id: str, reason: str, if_match: str | None
) -> Contract:
    """End a contract early (subdistrict or committee): open milestones are cancelled."""
    contract = get(uow, Contract, contract_id, lock=True, what="contract")
    actor, party = policy.committee_or_subdistrict(principal, contract.community)
    require_current(contract, if_match)
    if contract.status in ("draft", "signing"):
        record_step(uow, contract, "cancel", actor, reason)
        return contract
    CONTRACT.target(contract.status, "terminate")
    amendment = pending_amendment(uow, contract)
    if amendment is not None:
        amendment.status, amendment.decided_at = "withdrawn", clock.now()
    at = clock.now()
    settlement.cancel_open_milestones(uow, contract, at)
    record_step(uow, contract, "terminate", actor, reason)
    contract.terminated_at, contract.termination_reason = at, reason
    settlement.return_excess_allocation(uow, contract, actor)
    uow.emit(
        events.CONTRACT_TERMINATED,
        subject=contract.id,
        community=contract.community,
        data={
            "contract_id": contract.id,
            "provider_id": contract.provider_id,
            "terminated_by": party,
            "paid_fen": contract.paid_fen,
            "terminated_at": at.isoformat(),
        },
    )
    uow.flush()
    ocds_snapshot.record(uow, get(uow, Tender, contract.tender_id), ["contractTermination"], at)
    return contract
