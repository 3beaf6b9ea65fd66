"""Money for contracts: allocation, payment, evaluation release, due dates, returns.

Pass-through: the subdistrict allocates a contract's money to the committee's
account (earmarked for that contract); the committee pays the provider from it.
Committee budget and autonomy fund: the committee pays from the line's allocation.
Every payment row-locks the contract, the milestone and the budget line, checks the
limits, and moves the money by one ledger entry; CHECK constraints on contracts,
milestones, budget lines and accounts refuse anything beyond them.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from services.chassis import clock
from services.chassis.consumer import consumes
from services.chassis.unit_of_work import UnitOfWork

from .. import events
from ..domain import MILESTONE, fair_evaluation, money
from ..models import BudgetLine, Contract, Milestone, Tender
from . import budgets, ledger, ocds_snapshot
from .common import get
from .contract_steps import record_step
from .policy import SYSTEM, Actor

log = logging.getLogger(__name__)
SETTLED = ("paid", "withheld", "cancelled")


def fall_due(uow: UnitOfWork, contract: Contract, milestone: Milestone, at: datetime) -> None:
    """Mark a milestone due once and publish it; signing and scheduled ones become payable."""
    if milestone.due_notified_at is not None:
        return
    milestone.due_notified_at = at
    if milestone.status == "pending":
        if milestone.kind == "evaluation":
            milestone.status = MILESTONE.target(milestone.status, "await_evaluation")
        else:
            milestone.status = MILESTONE.target(milestone.status, "fall_due")
            milestone.payable_fen = milestone.amount_fen
    due = milestone.due_date or clock.local(at).date()
    uow.emit(
        events.MILESTONE_DUE,
        subject=contract.id,
        community=contract.community,
        data={
            "contract_id": contract.id,
            "milestone_id": milestone.id,
            "due_date": due.isoformat(),
            "amount_fen": milestone.amount_fen,
        },
    )


def notify_due_milestones(uow: UnitOfWork, limit: int = 200) -> int:
    """Periodic: publish `milestone.due` for milestones that fell due (once each)."""
    today = clock.local_today()
    statement = (
        select(Milestone, Contract)
        .join(Contract, Contract.id == Milestone.contract_id)
        .where(
            Milestone.due_notified_at.is_(None),
            Milestone.due_date <= today,
            Milestone.status != "cancelled",
            Contract.status.in_(("active", "amending")),
        )
        .order_by(Milestone.due_date)
        .limit(limit)
        .with_for_update(skip_locked=True, of=Milestone)
    )
    rows = uow.session.execute(statement).all()
    at = clock.now()
    for milestone, contract in rows:
        fall_due(uow, contract, milestone, at)
    return len(rows)


@consumes(
    "evaluation.round.completed",
    "Release, pro-rate or withhold the contract's evaluation-linked milestone by grade.",
)
def on_round_completed(uow: UnitOfWork, event: dict[str, Any]) -> None:
    """Evaluation finished: release, pro-rate or withhold the evaluation-linked milestone
    (only on a fair round: `domain/fair_evaluation.py`)."""
    data = event["data"]
    if not data.get("contract_id"):
        return
    unfair = fair_evaluation.refusal(data, clock.local_zone())
    if unfair is not None:
        log.warning(
            "evaluation round %s moves no money for contract %s: %s",
            data.get("round_id"),
            data.get("contract_id"),
            unfair,
        )
        return
    contract = uow.session.scalars(
        select(Contract).where(Contract.id == str(data["contract_id"])).with_for_update()
    ).first()
    if contract is None:
        log.info("evaluation round %s names an unknown contract", data.get("round_id"))
        return
    if contract.status not in ("active", "amending"):  # unsigned or cancelled: nothing is owed
        log.info(
            "evaluation round %s names contract %s, which is %s",
            data.get("round_id"),
            contract.id,
            contract.status,
        )
        return
    milestone = uow.session.scalars(
        select(Milestone)
        .where(
            Milestone.contract_id == contract.id,
            Milestone.kind == "evaluation",
            Milestone.evaluation_year == int(data["year"]),
            Milestone.decided_round_id.is_(None),
            Milestone.status.in_(sorted(MILESTONE.sources("release"))),
        )
        .order_by(Milestone.seq)
        .with_for_update()
    ).first()
    if milestone is None:
        log.info("no undecided evaluation milestone for round %s", data.get("round_id"))
        return
    grade, round_id = data["grade"], str(data["round_id"])
    release = money.release_for_grade(
        milestone.amount_fen, grade, money.score_hundredths(data["score"]), contract.fail_withhold_bp
    )
    at = clock.now()
    milestone.payable_fen, milestone.withheld_fen = release.released_fen, release.withheld_fen
    milestone.grade, milestone.decided_round_id, milestone.decided_at = grade, round_id, at
    milestone.status = MILESTONE.target(milestone.status, "release" if release.released_fen else "withhold")
    if not release.released_fen:
        milestone.settled_at = at
    if milestone.due_notified_at is None:
        milestone.due_notified_at = at
    contract.withheld_fen += release.withheld_fen
    contract.version += 1
    return_excess_allocation(uow, contract, SYSTEM)
    uow.session.execute(
        update(BudgetLine)
        .where(BudgetLine.id == contract.budget_line_id)
        .values(committed_fen=BudgetLine.committed_fen - release.withheld_fen)
    )
    common = {"contract_id": contract.id, "milestone_id": milestone.id, "round_id": round_id, "grade": grade}
    if release.released_fen:
        uow.emit(
            events.PAYMENT_RELEASED,
            subject=contract.id,
            community=contract.community,
            data={**common, "amount_fen": release.released_fen},
        )
    if release.withheld_fen:
        uow.emit(
            events.PAYMENT_WITHHELD,
            subject=contract.id,
            community=contract.community,
            data={**common, "withheld_fen": release.withheld_fen},
        )
    uow.flush()
    complete_if_settled(uow, contract, SYSTEM)
    ocds_snapshot.record(uow, get(uow, Tender, contract.tender_id), ["implementation"], at)


def cancel_open_milestones(uow: UnitOfWork, contract: Contract, at: datetime) -> None:
    """On termination: milestones not yet payable are cancelled and their budget freed."""
    freed = 0
    for milestone in uow.session.scalars(
        select(Milestone).where(Milestone.contract_id == contract.id).with_for_update()
    ):
        if MILESTONE.allows(milestone.status, "cancel") and milestone.payable_fen == 0:
            milestone.status, milestone.settled_at = MILESTONE.target(milestone.status, "cancel"), at
            freed += milestone.amount_fen
    uow.session.execute(
        update(BudgetLine)
        .where(BudgetLine.id == contract.budget_line_id)
        .values(committed_fen=BudgetLine.committed_fen - freed)
    )


def payable_ceiling(uow: UnitOfWork, contract: Contract) -> int:
    """The most this contract can still be paid in total (paid + payable + still open)."""
    total = 0
    for milestone in uow.session.scalars(select(Milestone).where(Milestone.contract_id == contract.id)):
        if milestone.status == "cancelled":
            continue
        total += milestone.amount_fen - milestone.withheld_fen
    return total


def return_excess_allocation(uow: UnitOfWork, contract: Contract, actor: Actor) -> None:
    """Pass-through money beyond what the contract can still be paid goes back.

    Computed without autoflush: the caller's pending changes (a lower value, a withheld
    amount) and the lower allocation must reach the database together, or the
    contract's CHECK constraints would see them half-done.
    """
    if not contract.earmarked:
        return
    with uow.session.no_autoflush:
        excess = contract.allocated_fen - payable_ceiling(uow, contract)
        if excess <= 0:
            return
        contract.allocated_fen -= excess
        line = budgets.line_for_update(uow, contract.budget_line_id)
    ledger.transfer(
        uow,
        kind="return",
        giver=ledger.committee_account(uow, contract.community),
        receiver=ledger.subdistrict_account(uow),
        amount_fen=excess,
        community=contract.community,
        budget_line_id=line.id,
        actor=actor,
        contract_id=contract.id,
        memo="unspent allocation returned",
    )
    uow.session.execute(
        update(BudgetLine)
        .where(BudgetLine.id == line.id)
        .values(allocated_fen=BudgetLine.allocated_fen - excess)
    )


def complete_if_settled(uow: UnitOfWork, contract: Contract, actor: Actor) -> None:
    if contract.status != "active":
        return
    statuses = uow.session.scalars(select(Milestone.status).where(Milestone.contract_id == contract.id)).all()
    if statuses and all(s in SETTLED for s in statuses):
        record_step(uow, contract, "complete", actor, "every milestone settled")
        contract.completed_at = clock.now()
