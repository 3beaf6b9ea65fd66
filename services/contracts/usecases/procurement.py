"""Procurement: tender → committee approval → published → bids → award → committee approval.

The residents' committee decides at every step: nothing is published before it
approves the tender, no award stands before it approves the award, it may cancel a
purchase at any time before the contract, and in committee-budget mode (or with the
autonomy fund) it is the buyer itself. Every step is kept with who, when and why.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from services.chassis import clock, conditional
from services.chassis.auth import Principal
from services.chassis.errors import Conflict, Forbidden
from services.chassis.unit_of_work import UnitOfWork

from .. import domain, events
from ..domain import TENDER
from ..models import Bid, Budget, BudgetLine, Tender, TenderStep
from . import budgets, catalogue, committee, ocds_snapshot, policy
from .common import get, next_number
from .policy import Actor


def tender_step(uow: UnitOfWork, tender: Tender, action: str, actor: Actor, reason: str = "") -> None:
    """Move the tender through `action` (refused by the machine if not allowed) and keep it."""
    target = TENDER.target(tender.status, action)
    uow.session.add(
        TenderStep(
            tender_id=tender.id,
            action=action,
            from_state=tender.status,
            to_state=target,
            actor_sub=actor.sub,
            actor_name=actor.name,
            actor_role=actor.role,
            reason=reason,
            at=clock.now(),
        )
    )
    tender.status = target


def create_tender(uow: UnitOfWork, principal: Principal, data: dict[str, Any]) -> Tender:
    """Draft a purchase from a community's budget line (by whoever buys in that mode)."""
    community = data["community"]
    budget = uow.session.scalars(
        select(Budget).where(Budget.community == community, Budget.fiscal_year == data["fiscal_year"])
    ).first()
    if budget is None:
        raise domain.InvalidTerms({"fiscal_year": [f"{community} has no budget for {data['fiscal_year']}."]})
    buyer = domain.buyer_of(budget.mode, data["funding_line"])
    actor = policy.buyer_actor(principal, buyer, community)
    invited = [str(p) for p in data.get("invited_provider_ids", [])]
    domain.check_tender_terms(
        data["method"], data.get("single_source_reason"), invited, data.get("bid_deadline") is not None
    )
    catalogue.packages_of(uow, community, data["package_codes"])
    for provider_id in invited:
        catalogue.eligible_provider(uow, provider_id)
    line = budgets.lines_of(uow, budget.id)[data["funding_line"]]
    _check_available(line, data["estimated_value_fen"])
    tender = Tender(
        number=next_number(uow, "CG"),
        community=community,
        budget_line_id=line.id,
        funding_line=line.line,
        buyer=buyer,
        title=data["title"],
        description=data.get("description", ""),
        method=data["method"],
        single_source_reason=data.get("single_source_reason"),
        invited_provider_ids=invited,
        package_codes=data["package_codes"],
        estimated_value_fen=data["estimated_value_fen"],
        bid_deadline=data.get("bid_deadline"),
        status="draft",
        created_by=actor.sub,
        created_at=clock.now(),
    )
    uow.session.add(tender)
    uow.flush()
    uow.session.add(
        TenderStep(
            tender_id=tender.id,
            action="create",
            from_state="draft",
            to_state="draft",
            actor_sub=actor.sub,
            actor_name=actor.name,
            actor_role=actor.role,
            reason=data.get("description", ""),
            at=clock.now(),
        )
    )
    return tender


def _check_available(line: Any, amount_fen: int) -> None:
    available = line.planned_fen - line.committed_fen
    if amount_fen > available:
        raise domain.BudgetExceeded(
            f"The {line.line.replace('_', ' ')} line has {available} fen not yet committed; "
            f"{amount_fen} fen asked.",
            available_fen=available,
        )


def submit(uow: UnitOfWork, principal: Principal, tender_id: str, reason: str) -> Tender:
    """Put the draft before the residents' committee."""
    tender = get(uow, Tender, tender_id, lock=True, what="tender")
    tender_step(uow, tender, "submit", policy.buyer_actor(principal, tender.buyer, tender.community), reason)
    return tender


def etag(uow: UnitOfWork, tender: Tender) -> str:
    """The purchase's entity tag: it changes with every step (terms are fixed at creation;
    each submission, decision, award proposal... records one step)."""
    uow.flush()
    count = uow.session.scalar(select(func.count()).where(TenderStep.tender_id == tender.id))
    return conditional.version_tag("tender", tender.id, int(count or 0))


def decide(
    uow: UnitOfWork,
    principal: Principal,
    tender_id: str,
    data: dict[str, Any],
    if_match: str | None,
    single_member_communities: tuple[str, ...] = (),
) -> Tender:
    """The committee approves (on its effective resolution) or returns the tender or the
    proposed award it read: If-Match names that revision (`*` is refused: a member must
    prove what was approved).

    A community named in `single_member_communities` keeps the old rule: one member other
    than the proposer approves without a resolution.
    """
    tender = get(uow, Tender, tender_id, lock=True, what="tender")
    actor = policy.committee_member(principal, tender.community)
    conditional.require_match(if_match, etag(uow, tender), what="purchase", allow_any=False)
    step, approve = data["step"], data["decision"] == "approve"
    proposer = tender.created_by if step == "tender" else tender.award_proposed_by
    action = f"{'approve' if approve else 'return'}_{step}"
    TENDER.target(tender.status, action)
    domain.check_separate_person(proposer, actor.sub, step)
    reason = data["reason"]
    if approve and tender.community not in single_member_communities:
        put_before = _last_step_at(uow, tender.id, "submit" if step == "tender" else "propose_award")
        resolution = committee.require_resolution(uow, tender, step, put_before)
        reason = f"{reason}（居委会决议 {resolution.resolution_id}）"
    tender_step(uow, tender, action, actor, reason)
    at = clock.now()
    if action == "approve_tender":
        tender.approved_at = at
        ocds_snapshot.record(uow, tender, ["planning"], at)
    elif action == "approve_award":
        tender.awarded_at = at
        bid = get(uow, Bid, tender.awarded_bid_id, what="bid")
        uow.emit(
            events.AWARD_MADE,
            subject=tender.id,
            community=tender.community,
            data={
                "tender_id": tender.id,
                "bid_id": bid.id,
                "provider_id": bid.provider_id,
                "value_fen": bid.amount_fen,
                "awarded_at": at.isoformat(),
            },
        )
        ocds_snapshot.record(uow, tender, ["award"], at)
    elif action == "return_award":
        tender.awarded_bid_id = None
        tender.award_proposed_by = None
    return tender


def _last_step_at(uow: UnitOfWork, tender_id: str, action: str) -> Any:
    """When the tender last went through `action` (None if never)."""
    return uow.session.scalar(
        select(TenderStep.at)
        .where(TenderStep.tender_id == tender_id, TenderStep.action == action)
        .order_by(TenderStep.id.desc())
        .limit(1)
    )


def publish(uow: UnitOfWork, principal: Principal, tender_id: str) -> Tender:
    """Publish an approved tender for bids."""
    tender = get(uow, Tender, tender_id, lock=True, what="tender")
    actor = policy.buyer_actor(principal, tender.buyer, tender.community)
    at = clock.now()
    if tender.bid_deadline is not None and tender.bid_deadline <= at:
        raise domain.InvalidTerms(
            {"bid_deadline": ["The bid deadline has passed; return the tender to draft and set a new one."]}
        )
    tender_step(uow, tender, "publish", actor)
    tender.published_at = at
    uow.emit(
        events.TENDER_PUBLISHED,
        subject=tender.id,
        community=tender.community,
        data={
            "tender_id": tender.id,
            "tender_number": tender.number,
            "method": tender.method,
            "buyer": tender.buyer,
            "funding_line": tender.funding_line,
            "package_codes": tender.package_codes,
            "estimated_value_fen": tender.estimated_value_fen,
            "bid_deadline": tender.bid_deadline.isoformat() if tender.bid_deadline else None,
            "published_at": at.isoformat(),
        },
    )
    ocds_snapshot.record(uow, tender, ["tender"], at)
    return tender


def submit_bid(uow: UnitOfWork, principal: Principal, tender_id: str, data: dict[str, Any]) -> Bid:
    """A provider's signatory bids on a published tender before its deadline."""
    provider_id = str(data["provider_id"])
    actor = policy.provider_signatory(principal, provider_id)
    tender = get(uow, Tender, tender_id, lock=True, what="tender")
    TENDER.target(tender.status, "bid")
    at = clock.now()
    if tender.bid_deadline is not None and at >= tender.bid_deadline:
        raise TENDER.refusal(tender.status, "bid", reason="bidding closed at the deadline")
    if tender.method != "open" and provider_id not in tender.invited_provider_ids:
        raise Forbidden("This purchase is by invitation and your organization was not invited.")
    catalogue.eligible_provider(uow, provider_id)
    if uow.session.scalars(
        select(Bid).where(Bid.tender_id == tender.id, Bid.provider_id == provider_id)
    ).first():
        raise Conflict("Your organization has already bid on this tender.", type="duplicate-bid")
    bid = Bid(
        tender_id=tender.id,
        provider_id=provider_id,
        amount_fen=data["amount_fen"],
        proposal=data.get("proposal", ""),
        submitted_at=at,
        submitted_by=actor.sub,
    )
    uow.session.add(bid)
    uow.flush()
    uow.emit(
        events.BID_SUBMITTED,
        subject=tender.id,
        community=tender.community,
        data={
            "tender_id": tender.id,
            "bid_id": bid.id,
            "provider_id": provider_id,
            "submitted_at": at.isoformat(),
        },
    )
    return bid


def close_bidding(uow: UnitOfWork, principal: Principal, tender_id: str) -> Tender:
    """Close bidding (open tenders only once their deadline has passed)."""
    tender = get(uow, Tender, tender_id, lock=True, what="tender")
    actor = policy.buyer_actor(principal, tender.buyer, tender.community)
    at = clock.now()
    if tender.method == "open" and tender.bid_deadline is not None and at < tender.bid_deadline:
        raise TENDER.refusal(
            tender.status,
            "close_bidding",
            reason=f"bidding on an open tender stays open until {tender.bid_deadline.isoformat()}",
        )
    tender_step(uow, tender, "close_bidding", actor)
    tender.closed_at = at
    return tender


def propose_award(uow: UnitOfWork, principal: Principal, tender_id: str, data: dict[str, Any]) -> Tender:
    """Score the bids and propose one for award; the committee then decides."""
    tender = get(uow, Tender, tender_id, lock=True, what="tender")
    actor = policy.buyer_actor(principal, tender.buyer, tender.community)
    TENDER.target(tender.status, "propose_award")
    bids = {b.id: b for b in uow.session.scalars(select(Bid).where(Bid.tender_id == tender.id))}
    chosen = bids.get(str(data["bid_id"]))
    if chosen is None:
        raise domain.InvalidTerms({"bid_id": ["Not a bid on this tender."]})
    for item in data.get("scores", []):
        bid = bids.get(str(item["bid_id"]))
        if bid is None:
            raise domain.InvalidTerms({"scores": [f"{item['bid_id']} is not a bid on this tender."]})
        bid.score = item["score"]
    catalogue.eligible_provider(uow, chosen.provider_id)
    _check_available(budgets.lines_of(uow, _budget_id(uow, tender))[tender.funding_line], chosen.amount_fen)
    tender_step(uow, tender, "propose_award", actor, data["reason"])
    tender.awarded_bid_id = chosen.id
    tender.award_reason = data["reason"]
    tender.award_proposed_by = actor.sub
    return tender


def _budget_id(uow: UnitOfWork, tender: Tender) -> str:
    return get(uow, BudgetLine, tender.budget_line_id).budget_id


def cancel(uow: UnitOfWork, principal: Principal, tender_id: str, reason: str) -> Tender:
    """Stop a purchase before its contract (the buyer, or the residents' committee)."""
    tender = get(uow, Tender, tender_id, lock=True, what="tender")
    actor = policy.buyer_or_committee(principal, tender.buyer, tender.community)
    was_public = tender.published_at is not None
    tender_step(uow, tender, "cancel", actor, reason)
    tender.cancelled_at = clock.now()
    if was_public:
        ocds_snapshot.record(uow, tender, ["tenderCancellation"], tender.cancelled_at)
    return tender


def steps(uow: UnitOfWork, tender_id: str) -> list[TenderStep]:
    return list(
        uow.session.scalars(
            select(TenderStep).where(TenderStep.tender_id == tender_id).order_by(TenderStep.id)
        )
    )


def bids_of(uow: UnitOfWork, tender_id: str) -> list[Bid]:
    return list(uow.session.scalars(select(Bid).where(Bid.tender_id == tender_id).order_by(Bid.submitted_at)))


def awarded_bid(uow: UnitOfWork, tender: Tender) -> Bid | None:
    return uow.session.get(Bid, tender.awarded_bid_id) if tender.awarded_bid_id else None


def visible_bids(uow: UnitOfWork, principal: Principal, tender_id: str) -> list[Bid]:
    """Bids as the caller may see them: sealed until bidding closes, a provider sees its own."""
    tender = get(uow, Tender, tender_id, what="tender")
    bids = bids_of(uow, tender.id)
    officials = policy.is_official_of(principal, tender.community)
    if officials and tender.closed_at is not None:
        return bids
    if policy.reads_own_provider_only(principal):
        return [b for b in bids if b.provider_id == policy.own_provider(principal)]
    if officials:
        return []
    raise Forbidden("Bids are read by the buyer and the committee once bidding has closed.")
