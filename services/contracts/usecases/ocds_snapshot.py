"""Snapshots of a contracting process for the OCDS export, taken at each public step.

A snapshot is the whole process as known at that moment, in OCDS 1.1 shape, except
that amounts stay integer fen (`{"amount_fen": n, "currency": "CNY"}`) and the ocid
is left out: the export edge (api/ocds_export.py) converts both. Snapshots are written in
the transaction of the step, so the export never shows a step that did not happen.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from services.chassis.config import COMMUNITY_NAMES
from services.chassis.unit_of_work import UnitOfWork

from .. import domain
from ..models import Bid, Budget, BudgetLine, Contract, OcdsRelease, Provider, ServicePackage, Tender
from .ocds_contract import ORG_SCHEME, contract_section, iso, money_fen, provider_party_id

SUBDISTRICT_ID = "subdistrict-zhaoshang"
TENDER_STATUS = {
    "draft": "planning",
    "pending_approval": "planning",
    "approved": "planned",
    "published": "active",
    "evaluating": "active",
    "award_proposed": "active",
    "awarded": "complete",
    "contracted": "complete",
    "cancelled": "cancelled",
}
METHOD_DETAILS = {
    "open": "公开招标",
    "competitive_negotiation": "竞争性谈判",
    "single_source": "单一来源采购",
}


def record(uow: UnitOfWork, tender: Tender, tags: list[str], at: datetime) -> OcdsRelease:
    """Store the process's snapshot as its next release."""
    uow.flush()
    seq = (
        uow.session.scalar(select(func.max(OcdsRelease.seq)).where(OcdsRelease.tender_id == tender.id)) or 0
    ) + 1
    release = OcdsRelease(
        tender_id=tender.id,
        community=tender.community,
        seq=seq,
        tags=tags,
        date=at,
        body=snapshot(uow, tender),
    )
    uow.session.add(release)
    return release


def snapshot(uow: UnitOfWork, tender: Tender) -> dict[str, Any]:
    """The OCDS release body (amounts in fen, no ocid/id/date/tag) of a tender now."""
    session = uow.session
    line = session.get(BudgetLine, tender.budget_line_id)
    budget = session.get(Budget, line.budget_id) if line else None
    bids = list(session.scalars(select(Bid).where(Bid.tender_id == tender.id)))
    providers = (
        {
            p.id: p
            for p in session.scalars(select(Provider).where(Provider.id.in_([b.provider_id for b in bids])))
        }
        if bids
        else {}
    )
    contract = session.scalars(select(Contract).where(Contract.tender_id == tender.id)).first()
    committee_id = f"committee-{tender.community}"
    subdistrict_ref = {"id": SUBDISTRICT_ID, "name": domain.SUBDISTRICT_NAME}
    committee_ref = {
        "id": committee_id,
        "name": domain.committee_name(COMMUNITY_NAMES.get(tender.community, tender.community)),
    }
    buyer_ref = committee_ref if tender.buyer == "committee" else subdistrict_ref
    roles: dict[str, set[str]] = {SUBDISTRICT_ID: {"funder"}, committee_id: {"reviewBody"}}
    roles[buyer_ref["id"]] |= {"buyer", "procuringEntity"}
    release: dict[str, Any] = {
        "initiationType": "tender",
        "language": "zh",
        "buyer": buyer_ref,
        "planning": {
            "rationale": tender.description or tender.title,
            "budget": {
                "id": budget.id if budget else None,
                "description": f"{budget.fiscal_year if budget else ''} "
                f"{COMMUNITY_NAMES.get(tender.community, '')}社区"
                f"{'社区自治基金' if tender.funding_line == 'autonomy_fund' else '政府购买服务'}",
                "amount": money_fen(tender.estimated_value_fen),
            },
        },
        "tender": _tender(uow, tender, buyer_ref, bids, providers, roles),
    }
    if tender.awarded_at is not None and tender.awarded_bid_id:
        bid = next(b for b in bids if b.id == tender.awarded_bid_id)
        supplier = providers[bid.provider_id]
        roles.setdefault(provider_party_id(supplier), set()).add("supplier")
        release["awards"] = [
            {
                "id": f"{tender.number}-A1",
                "title": tender.title,
                "status": "active",
                "date": iso(tender.awarded_at),
                "value": money_fen(bid.amount_fen),
                "suppliers": [{"id": provider_party_id(supplier), "name": supplier.name}],
            }
        ]
        if contract is not None and contract.activated_at is not None:
            release["contracts"] = [
                contract_section(
                    uow, contract, release["awards"][0]["id"], subdistrict_ref, committee_ref, supplier, roles
                )
            ]
    release["parties"] = _parties(tender, subdistrict_ref, committee_ref, providers, roles)
    return release


def _items(uow: UnitOfWork, tender: Tender) -> list[dict[str, Any]]:
    packages = uow.session.scalars(
        select(ServicePackage).where(
            ServicePackage.community == tender.community, ServicePackage.code.in_(tender.package_codes)
        )
    )
    items = []
    for package in packages:
        for deliverable in package.deliverables:
            items.append(
                {
                    "id": f"{package.code}-{deliverable['code']}",
                    "description": f"{package.name}：{deliverable['description']}",
                    "quantity": deliverable["quantity"],
                    "unit": {"name": deliverable["unit"]},
                }
            )
    return items


def _tender(
    uow: UnitOfWork,
    tender: Tender,
    buyer_ref: dict[str, str],
    bids: list[Bid],
    providers: dict[str, Provider],
    roles: dict[str, set[str]],
) -> dict[str, Any]:
    section: dict[str, Any] = {
        "id": tender.number,
        "title": tender.title,
        "description": tender.description,
        "status": TENDER_STATUS[tender.status],
        "procuringEntity": buyer_ref,
        "items": _items(uow, tender),
        "value": money_fen(tender.estimated_value_fen),
        "procurementMethod": domain.OCDS_METHOD[tender.method],
        "procurementMethodDetails": METHOD_DETAILS[tender.method],
        "mainProcurementCategory": "services",
    }
    if tender.single_source_reason:
        section["procurementMethodRationale"] = tender.single_source_reason
    if tender.published_at:
        period = {"startDate": iso(tender.published_at)}
        if tender.bid_deadline:
            period["endDate"] = iso(tender.bid_deadline)
        section["tenderPeriod"] = period
    if tender.closed_at is not None:
        section["numberOfTenderers"] = len(bids)
        section["tenderers"] = []
        for bid in bids:
            provider = providers[bid.provider_id]
            roles.setdefault(provider_party_id(provider), set()).add("tenderer")
            section["tenderers"].append({"id": provider_party_id(provider), "name": provider.name})
    return section


def _parties(
    tender: Tender,
    subdistrict_ref: dict[str, str],
    committee_ref: dict[str, str],
    providers: dict[str, Provider],
    roles: dict[str, set[str]],
) -> list[dict[str, Any]]:
    parties = [
        {**subdistrict_ref, "roles": sorted(roles[subdistrict_ref["id"]])},
        {
            **committee_ref,
            "roles": sorted(roles[committee_ref["id"]]),
            "details": {"community": tender.community, "approvesEveryStep": True},
        },
    ]
    for provider in sorted(providers.values(), key=lambda p: p.uscc):
        party_id = provider_party_id(provider)
        if party_id not in roles:
            continue
        parties.append(
            {
                "id": party_id,
                "name": provider.name,
                "identifier": {"scheme": ORG_SCHEME, "id": provider.uscc, "legalName": provider.name},
                "roles": sorted(roles[party_id]),
            }
        )
    return parties
