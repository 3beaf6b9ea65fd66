"""A contract's lifecycle as stored: its steps through the machine, its milestones, its ETag.

The lowest layer the contract use cases share (drafting, signing, amending, settling),
so none of them needs another to record a step.
"""

from __future__ import annotations

from sqlalchemy import select

from services.chassis import clock, conditional
from services.chassis.unit_of_work import UnitOfWork

from ..domain import CONTRACT
from ..models import Contract, ContractStep, Milestone
from .policy import Actor


def etag(contract: Contract) -> str:
    """The contract's entity tag: it changes with every change of the contract."""
    return conditional.version_tag("contract", contract.id, contract.version)


def require_current(contract: Contract, if_match: str | None, *, allow_any: bool = True) -> None:
    """Refuse a change unless `If-Match` names the revision read (428 none, 412 stale)."""
    conditional.require_match(if_match, etag(contract), what="contract", allow_any=allow_any)


def record_step(
    uow: UnitOfWork,
    contract: Contract,
    action: str,
    actor: Actor,
    reason: str = "",
    target: str | None = None,
) -> None:
    """Move the contract through `action` (refused by the machine if not allowed) and keep it."""
    target = target or CONTRACT.target(contract.status, action)
    uow.session.add(
        ContractStep(
            contract_id=contract.id,
            action=action,
            from_state=contract.status,
            to_state=target,
            revision=contract.revision,
            actor_sub=actor.sub,
            actor_name=actor.name,
            actor_role=actor.role,
            reason=reason,
            at=clock.now(),
        )
    )
    contract.status = target
    contract.version += 1


def milestones_of(uow: UnitOfWork, contract_id: str, lock: bool = False) -> list[Milestone]:
    statement = select(Milestone).where(Milestone.contract_id == contract_id).order_by(Milestone.seq)
    return list(uow.session.scalars(statement.with_for_update() if lock else statement))
