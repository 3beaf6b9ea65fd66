"""The community autonomy fund: rounds, residents' proposals, screening, ballots, grants.

One ballot per resident per round is the database's rule (a unique constraint), so
concurrent attempts leave exactly one. Grants follow the ranking within the balance and
are made only by a passed resolution on the round.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError

from services.chassis import clock
from services.chassis.auth import Principal
from services.chassis.errors import Conflict, Unprocessable
from services.chassis.unit_of_work import UnitOfWork

from .. import domain, events
from ..models import AgendaItem, Ballot, FundRound, Proposal
from . import policy
from .common import get, new_id, seat_of


def open_round(uow: UnitOfWork, principal: Principal, data: dict[str, Any]) -> FundRound:
    """A sitting member opens a round: balance, per-project cap, choices per ballot, window."""
    policy.require_committee(principal, data["community"])
    seat_of(uow, principal, data["community"], clock.local_today())
    if data["voting_closes_at"] <= data["voting_opens_at"]:
        raise Unprocessable(
            "投票截止时间须晚于开始时间。 (Voting closes after it opens.)",
            errors={"voting_closes_at": ["After voting_opens_at."]},
        )
    fund_round = FundRound(id=new_id(), created_at=clock.now(), granted_by_item_id=None, **data)
    uow.session.add(fund_round)
    return fund_round


def propose(uow: UnitOfWork, principal: Principal, round_id: str, data: dict[str, Any]) -> Proposal:
    """A resident of the community proposes a small project, within the round's cap."""
    fund_round = get(uow, FundRound, round_id, lock=True, what="自治金轮次")
    policy.require_resident(principal, fund_round.community)
    domain.check_estimate(data["estimate_fen"], fund_round.cap_fen)
    seq = uow.session.scalar(select(func.count(Proposal.id)).where(Proposal.round_id == round_id)) or 0
    proposal = Proposal(
        id=new_id(), round_id=round_id, seq=seq + 1, proposed_by=principal.sub, granted=False, **data
    )
    uow.session.add(proposal)
    return proposal


def screen(uow: UnitOfWork, principal: Principal, proposal_id: str, eligible: bool, reason: str) -> Proposal:
    """The committee screens a proposal (eligible or not, with the reason) before voting opens."""
    proposal = get(uow, Proposal, proposal_id, lock=True, what="项目")
    fund_round = get(uow, FundRound, proposal.round_id, what="自治金轮次")
    policy.require_committee(principal, fund_round.community)
    seat_of(uow, principal, fund_round.community, clock.local_today())
    if clock.now() >= fund_round.voting_opens_at:
        raise domain.OutsideWindow(
            "投票开始后不能再审核项目。 (Screening ends when voting opens.)",
            opens_at=fund_round.voting_opens_at.isoformat(),
            closes_at=fund_round.voting_closes_at.isoformat(),
        )
    proposal.eligible, proposal.screening_reason = eligible, reason
    return proposal


def cast_ballot(uow: UnitOfWork, principal: Principal, round_id: str, proposal_ids: list[str]) -> Ballot:
    """A resident votes once in the window for at most K eligible projects of the round."""
    fund_round = get(uow, FundRound, round_id, what="自治金轮次")
    policy.require_resident(principal, fund_round.community)
    at = clock.now()
    domain.check_window(fund_round.voting_opens_at, fund_round.voting_closes_at, at)
    eligible = [p.id for p in proposals_of(uow, round_id) if p.eligible]
    domain.check_choices(proposal_ids, eligible, fund_round.max_choices)
    ballot = Ballot(
        round_id=round_id, resident_sub=principal.sub, proposal_ids=list(proposal_ids), cast_at=at
    )
    try:
        with uow.session.begin_nested():
            uow.session.add(ballot)
    except IntegrityError:
        raise domain.AlreadyVoted(
            "您已在本轮投票，每人每轮一票。 (One ballot per resident per round.)", round_id=round_id
        ) from None
    return ballot


def votes_by_proposal(uow: UnitOfWork, round_id: str) -> Counter[str]:
    counted: Counter[str] = Counter()
    for chosen in uow.session.scalars(select(Ballot.proposal_ids).where(Ballot.round_id == round_id)):
        counted.update(chosen)
    return counted


def grant(uow: UnitOfWork, item: AgendaItem) -> list[Proposal]:
    """A passed resolution on a closed round grants the top projects within the balance."""
    fund_round = get(uow, FundRound, item.subject_id, lock=True, what="自治金轮次")
    if fund_round.community != item.community:
        raise Conflict(
            "议题所指的轮次不属于本社区。 (The round is another community's.)", type="wrong-community"
        )
    if clock.now() < fund_round.voting_closes_at:
        raise domain.OutsideWindow(
            "投票结束后才能决议资助。 (Grants follow the close of voting.)",
            opens_at=fund_round.voting_opens_at.isoformat(),
            closes_at=fund_round.voting_closes_at.isoformat(),
        )
    if fund_round.granted_by_item_id is not None:
        raise Conflict("本轮已决议资助。 (This round's grants are decided.)", type="round-granted")
    counted = votes_by_proposal(uow, fund_round.id)
    candidates = [p for p in proposals_of(uow, fund_round.id) if p.eligible]
    ranked = [domain.Ranked(p.id, counted[p.id], p.estimate_fen, p.seq) for p in candidates]
    granted_ids, _ = domain.grants(ranked, fund_round.balance_fen)
    granted = [p for p in candidates if p.id in granted_ids]
    for proposal in granted:
        proposal.granted = True
    fund_round.granted_by_item_id = item.id
    uow.emit(
        events.FUND_GRANTED,
        subject=fund_round.id,
        community=fund_round.community,
        data={
            "round_id": fund_round.id,
            "resolution_id": item.id,
            "grants": [{"proposal_id": p.id, "amount_fen": p.estimate_fen} for p in granted],
            "granted_at": clock.now().isoformat(),
        },
    )
    return granted


def proposals_of(uow: UnitOfWork, round_id: str) -> list[Proposal]:
    return list(
        uow.session.scalars(select(Proposal).where(Proposal.round_id == round_id).order_by(Proposal.seq))
    )


def rounds(community: str | None) -> Select[tuple[FundRound]]:
    """Rounds, newest first (of one community if asked)."""
    statement = select(FundRound).order_by(FundRound.created_at.desc(), FundRound.id)
    return statement.where(FundRound.community == community) if community else statement
