"""Three-party contracts: drafting, signatures, activation, amendments, termination.

A contract binds the subdistrict office, the residents' committee and the provider.
It is in force only when all three have signed the same revision; an amendment is a
new revision that all three sign again. Each step is kept in the contract's history.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from services.chassis import clock
from services.chassis.auth import Principal
from services.chassis.unit_of_work import UnitOfWork

from .. import domain, events
from ..domain import CONTRACT, money
from ..models import Amendment, Bid, Budget, BudgetLine, Contract, ContractStep, Signature, Tender
from . import budgets, catalogue, ocds_snapshot, policy, settlement, terms
from .amendments import apply_amendment
from .common import get, next_number
from .contract_steps import milestones_of, record_step, require_current
from .policy import Actor
from .procurement import tender_step


def create_contract(uow: UnitOfWork, principal: Principal, data: dict[str, Any]) -> Contract:
    """Draft the contract of an awarded purchase (by the buyer)."""
    tender = get(uow, Tender, data["tender_id"], lock=True, what="tender")
    actor = policy.buyer_actor(principal, tender.buyer, tender.community)
    domain.TENDER.target(tender.status, "contract")
    bid = get(uow, Bid, tender.awarded_bid_id, what="bid")
    line = get(uow, BudgetLine, tender.budget_line_id)
    budget_mode = budgets_mode(uow, line)
    terms.check_period(data["period_start"], data["period_end"])
    packages = catalogue.packages_of(uow, tender.community, tender.package_codes)
    milestones = terms.build_milestones(
        data["milestones"], bid.amount_fen, data["period_start"], data["period_end"]
    )
    contract = Contract(
        number=next_number(uow, "HT"),
        community=tender.community,
        tender_id=tender.id,
        bid_id=bid.id,
        provider_id=bid.provider_id,
        budget_line_id=line.id,
        funding_line=line.line,
        buyer=tender.buyer,
        earmarked=domain.is_earmarked(budget_mode, line.line),
        title=data.get("title") or tender.title,
        value_fen=bid.amount_fen,
        allocated_fen=0,
        paid_fen=0,
        withheld_fen=0,
        period_start=data["period_start"],
        period_end=data["period_end"],
        package_codes=list(tender.package_codes),
        deliverables=terms.deliverables_of(packages),
        fail_withhold_bp=data.get("fail_withhold_bp", money.WHOLE_BP),
        status="draft",
        revision=0,
        version=1,
        created_at=clock.now(),
        created_by=actor.sub,
    )
    uow.session.add(contract)
    uow.flush()
    for milestone in milestones:
        milestone.contract_id = contract.id
        uow.session.add(milestone)
    tender_step(uow, tender, "contract", actor, f"contract {contract.number}")
    uow.session.add(
        ContractStep(
            contract_id=contract.id,
            action="draft",
            from_state="draft",
            to_state="draft",
            revision=0,
            actor_sub=actor.sub,
            actor_name=actor.name,
            actor_role=actor.role,
            reason="",
            at=clock.now(),
        )
    )
    uow.flush()
    return contract


def budgets_mode(uow: UnitOfWork, line: BudgetLine) -> str:
    return get(uow, Budget, line.budget_id).mode


def edit_draft(
    uow: UnitOfWork, principal: Principal, contract_id: str, data: dict[str, Any], if_match: str | None
) -> Contract:
    """Change a draft's terms before anyone has signed (the buyer)."""
    contract = get(uow, Contract, contract_id, lock=True, what="contract")
    actor = policy.buyer_actor(principal, contract.buyer, contract.community)
    require_current(contract, if_match)
    CONTRACT.target(contract.status, "edit")
    start = data.get("period_start", contract.period_start)
    end = data.get("period_end", contract.period_end)
    terms.check_period(start, end)
    if "milestones" in data or "period_start" in data or "period_end" in data:
        items = data.get("milestones") or [
            {
                "name": m.name,
                "kind": m.kind,
                "due_date": m.due_date,
                "share_bp": m.share_bp,
                "evaluation_year": m.evaluation_year,
            }
            for m in milestones_of(uow, contract.id)
        ]
        fresh = terms.build_milestones(items, contract.value_fen, start, end)
        for old in milestones_of(uow, contract.id):
            uow.session.delete(old)
        uow.flush()
        for milestone in fresh:
            milestone.contract_id = contract.id
            uow.session.add(milestone)
    contract.period_start, contract.period_end = start, end
    contract.title = data.get("title", contract.title)
    contract.fail_withhold_bp = data.get("fail_withhold_bp", contract.fail_withhold_bp)
    record_step(uow, contract, "edit", actor, data.get("reason", ""))
    uow.flush()
    return contract


def sign(
    uow: UnitOfWork, principal: Principal, contract_id: str, party: str, if_match: str | None
) -> Contract:
    """One party signs the current revision; the third signature puts it in force."""
    contract = get(uow, Contract, contract_id, lock=True, what="contract")
    actor = policy.party_actor(principal, party, contract.community, contract.provider_id)
    require_current(contract, if_match, allow_any=False)
    amending = contract.status == "amending"
    CONTRACT.target(contract.status, "sign_amendment" if amending else "sign")
    revision = contract.revision + 1 if amending else 0
    signed = uow.session.scalars(
        select(Signature.party).where(Signature.contract_id == contract.id, Signature.revision == revision)
    ).all()
    after, complete = domain.add_signature(signed, party)
    at = clock.now()
    uow.session.add(
        Signature(
            contract_id=contract.id,
            revision=revision,
            party=party,
            signer_sub=actor.sub,
            signer_name=actor.name,
            signed_at=at,
        )
    )
    record_step(
        uow, contract, "sign", actor, f"signed for the {party}", target="amending" if amending else "signing"
    )
    uow.flush()
    uow.emit(
        events.CONTRACT_SIGNED,
        subject=contract.id,
        community=contract.community,
        data={
            "contract_id": contract.id,
            "contract_number": contract.number,
            "revision": revision,
            "party": party,
            "parties_signed": len(after),
            "signed_at": at.isoformat(),
        },
    )
    if complete and amending:
        apply_amendment(uow, contract, actor)
    elif complete:
        _activate(uow, contract, actor)
    return contract


def _activate(uow: UnitOfWork, contract: Contract, actor: Actor) -> None:
    line = budgets.line_for_update(uow, contract.budget_line_id)
    available = line.planned_fen - line.committed_fen
    if contract.value_fen > available:
        raise domain.BudgetExceeded(
            f"The budget line has {available} fen not yet committed; the contract needs "
            f"{contract.value_fen} fen.",
            available_fen=available,
        )
    uow.session.execute(
        update(BudgetLine)
        .where(BudgetLine.id == line.id)
        .values(committed_fen=BudgetLine.committed_fen + contract.value_fen)
    )
    at = clock.now()
    record_step(uow, contract, "activate", actor, "signed by all three parties")
    contract.activated_at = at
    uow.emit(
        events.CONTRACT_ACTIVATED,
        subject=contract.id,
        community=contract.community,
        data={
            "contract_id": contract.id,
            "provider_id": contract.provider_id,
            "value_fen": contract.value_fen,
            "period_start": contract.period_start.isoformat(),
            "period_end": contract.period_end.isoformat(),
            "package_codes": contract.package_codes,
            "activated_at": at.isoformat(),
        },
    )
    for milestone in milestones_of(uow, contract.id, lock=True):
        if milestone.kind == "signing":
            settlement.fall_due(uow, contract, milestone, at)
    uow.flush()
    ocds_snapshot.record(uow, get(uow, Tender, contract.tender_id), ["contract"], at)


def history(uow: UnitOfWork, contract_id: str) -> list[ContractStep]:
    return list(
        uow.session.scalars(
            select(ContractStep).where(ContractStep.contract_id == contract_id).order_by(ContractStep.id)
        )
    )


def signatures(uow: UnitOfWork, contract_id: str) -> list[Signature]:
    return list(
        uow.session.scalars(
            select(Signature).where(Signature.contract_id == contract_id).order_by(Signature.id)
        )
    )


def amendments(uow: UnitOfWork, contract_id: str) -> list[Amendment]:
    return list(
        uow.session.scalars(
            select(Amendment).where(Amendment.contract_id == contract_id).order_by(Amendment.revision)
        )
    )
