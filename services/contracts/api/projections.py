"""Projections of records for a caller: names for staff, roles only for residents."""

from __future__ import annotations

from typing import Any

from services.chassis.auth import Principal
from services.chassis.protection import PersonalDataCipher
from services.chassis.unit_of_work import UnitOfWork

from ..domain import CONTRACT, TENDER
from ..domain.masks import mask
from ..models import Budget, Contract, Payment, Provider, Tender
from ..usecases import budgets, catalogue, contracts, personal_data, procurement
from ..usecases.contract_steps import milestones_of
from ..usecases.policy import is_provider_signatory, is_staff_reader, may_see_private


def provider(
    uow: UnitOfWork, principal: Principal, item: Provider, cipher: PersonalDataCipher
) -> dict[str, Any]:
    """The provider as the caller may see it: bank details for those who may see them, the
    contact person unmasked for the provider itself only (others reveal it, audited)."""
    private = may_see_private(principal, item.id)
    view = {
        c: getattr(item, c)
        for c in ("id", "name", "uscc", "kind", "community", "status", "created_at", "bank_name")
    }
    view.update(
        private_visible=private,
        bank_account=item.bank_account if private else mask(item.bank_account, 0, 4),
        **personal_data.contact(cipher, item, unmasked=is_provider_signatory(principal, item.id)),
        history=[
            {
                "from_status": h.from_status,
                "to_status": h.to_status,
                "reason": h.reason,
                "actor_name": h.actor_name if is_staff_reader(principal) else None,
                "at": h.at,
            }
            for h in catalogue.provider_history(uow, item.id)
        ],
    )
    return view


def _steps(principal: Principal, rows: list[Any]) -> list[dict[str, Any]]:
    staff = is_staff_reader(principal)
    return [
        {
            "action": s.action,
            "from_state": s.from_state,
            "to_state": s.to_state,
            "actor_role": s.actor_role,
            "actor_name": s.actor_name if staff else None,
            "reason": s.reason,
            "at": s.at,
        }
        for s in rows
    ]


def tender(uow: UnitOfWork, principal: Principal, item: Tender) -> dict[str, Any]:
    view = {c.name: getattr(item, c.name) for c in Tender.__table__.columns}
    view["fiscal_year"] = budgets.fiscal_year_of_line(uow, item.budget_line_id)
    view["allowed_actions"] = sorted(TENDER.allowed_actions(item.status))
    view["steps"] = _steps(principal, procurement.steps(uow, item.id))
    if item.awarded_at is not None and item.awarded_bid_id:
        bid = procurement.awarded_bid(uow, item)
        view["award_value_fen"] = bid.amount_fen if bid else None
        view["awarded_provider_id"] = bid.provider_id if bid else None
    return view


def budget(uow: UnitOfWork, item: Budget) -> dict[str, Any]:
    return {
        "id": item.id,
        "community": item.community,
        "fiscal_year": item.fiscal_year,
        "mode": item.mode,
        "created_at": item.created_at,
        "lines": [
            {
                c: getattr(line, c)
                for c in ("line", "account_id", "planned_fen", "allocated_fen", "committed_fen", "paid_fen")
            }
            for line in budgets.lines_of(uow, item.id).values()
        ],
    }


def contract(uow: UnitOfWork, principal: Principal, item: Contract) -> dict[str, Any]:
    staff = is_staff_reader(principal)
    view = {c.name: getattr(item, c.name) for c in Contract.__table__.columns}
    view["provider_name"] = catalogue.provider_name(uow, item.provider_id)
    view["allowed_actions"] = sorted(CONTRACT.allowed_actions(item.status))
    signed = contracts.signatures(uow, item.id)
    current = item.revision + 1 if item.status == "amending" else item.revision
    view["parties_signed"] = sorted(s.party for s in signed if s.revision == current)
    view["signatures"] = [
        {
            "revision": s.revision,
            "party": s.party,
            "signer_name": s.signer_name if staff else None,
            "signed_at": s.signed_at,
        }
        for s in signed
    ]
    view["milestones"] = milestones_of(uow, item.id)
    view["amendments"] = contracts.amendments(uow, item.id)
    return view


def contract_history(uow: UnitOfWork, principal: Principal, item: Contract) -> list[dict[str, Any]]:
    return _steps(principal, contracts.history(uow, item.id))


def payment(principal: Principal, item: Payment) -> dict[str, Any]:
    view = {c.name: getattr(item, c.name) for c in Payment.__table__.columns}
    if not is_staff_reader(principal):
        view["paid_by_name"] = None
    return view
