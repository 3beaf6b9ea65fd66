"""What the committee's decisions are: terms, quorum, recusal, majorities, notices, the fund.

Pure rules over plain values (standard library and the chassis clock only). A refused
step is an exception with `problem_status` and `problem_type`; the chassis makes it a
problem+json response.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

POSITIONS = ("chair", "vice_chair", "member")
CHOICES = ("for", "against", "abstain")
RULES = ("simple", "two_thirds")
INTEREST_KINDS = ("provider", "relative", "employment")
# What an agenda item decides; contracts acts on the first two once they pass.
SUBJECT_KINDS = ("approve_tender", "approve_award", "fund_grant", "other")
# Decisions that take effect only after a public notice (公示) without open objections.
NOTICED_KINDS = ("approve_award", "fund_grant")
DEFAULT_NOTICE_WORKING_DAYS = 5


class GovernanceRefusal(Exception):
    """A refused step: the chassis answers with `problem_status` and `problem_type`."""

    problem_status = 409
    problem_type = "conflict"

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra


class OutOfTerm(GovernanceRefusal):
    problem_type = "member-out-of-term"


class NotAMember(GovernanceRefusal):
    problem_status = 403
    problem_type = "not-a-committee-member"


class RecusedMember(GovernanceRefusal):
    problem_type = "recused-member"


class NotPresent(GovernanceRefusal):
    problem_type = "member-not-present"


class NoQuorum(GovernanceRefusal):
    problem_type = "no-quorum"


class ItemClosed(GovernanceRefusal):
    problem_type = "item-closed"


class AlreadyVoted(GovernanceRefusal):
    problem_type = "already-voted"


class OutsideWindow(GovernanceRefusal):
    problem_type = "outside-voting-window"


class OverCap(GovernanceRefusal):
    problem_status = 422
    problem_type = "over-fund-cap"


class NotEligible(GovernanceRefusal):
    problem_status = 422
    problem_type = "proposal-not-eligible"


class TooManyChoices(GovernanceRefusal):
    problem_status = 422
    problem_type = "too-many-choices"


class ObjectionPeriodOver(GovernanceRefusal):
    problem_type = "objection-period-over"


class NoticeOpen(GovernanceRefusal):
    problem_type = "notice-not-concluded"


def in_term(term_start: date, term_end: date, day: date) -> bool:
    """A member acts only from the first to the last day of their term."""
    return term_start <= day <= term_end


def check_in_term(member_id: str, term_start: date, term_end: date, day: date) -> None:
    if not in_term(term_start, term_end, day):
        raise OutOfTerm(
            f"委员任期为 {term_start.isoformat()} 至 {term_end.isoformat()}，{day.isoformat()} 不在任期内。"
            f" (The member's term is {term_start.isoformat()} to {term_end.isoformat()}.)",
            member_id=member_id,
            term_start=term_start.isoformat(),
            term_end=term_end.isoformat(),
        )


@dataclass(frozen=True)
class Interest:
    """A declared interest: a provider (by credit code), a relative or an employment."""

    id: str
    kind: str
    party: str


def conflicting_interest(interests: Iterable[Interest], parties: Iterable[str]) -> Interest | None:
    """The member's first declared interest in one of the item's parties (None: free to vote)."""
    named = {p.strip().upper() for p in parties if p.strip()}
    return next((i for i in interests if i.party.strip().upper() in named), None)


def refuse_recused(member_id: str, interest: Interest) -> RecusedMember:
    return RecusedMember(
        f"委员已申报与「{interest.party}」的利益关系（{interest.kind}），须回避，不得就此事项表决。"
        f" (The member declared an interest ({interest.kind}) in {interest.party} and must recuse.)",
        member_id=member_id,
        interest={"id": interest.id, "kind": interest.kind, "party": interest.party},
    )


@dataclass(frozen=True)
class Count:
    """Who counts for one agenda item: sitting and present members, recused ones excluded."""

    sitting: int
    present: int
    recused_sitting: int
    recused_present: int

    @property
    def eligible(self) -> int:
        return self.sitting - self.recused_sitting

    @property
    def eligible_present(self) -> int:
        return self.present - self.recused_present


def has_quorum(count: Count) -> bool:
    """More than half of the sitting members not recused are present (and not recused)."""
    return count.eligible > 0 and 2 * count.eligible_present > count.eligible


def check_quorum(count: Count) -> None:
    if not has_quorum(count):
        raise NoQuorum(
            f"出席且无须回避的委员 {count.eligible_present} 人，"
            f"未超过无须回避委员 {count.eligible} 人的半数，不足法定人数。"
            f" (No quorum: {count.eligible_present} of {count.eligible}.)",
            eligible=count.eligible,
            eligible_present=count.eligible_present,
        )


def passes(rule: str, votes_for: int, eligible_present: int) -> bool:
    """Passed by a majority of the present members who are not recused (or two thirds)."""
    if rule == "two_thirds":
        return 3 * votes_for >= 2 * eligible_present and votes_for > 0
    return 2 * votes_for > eligible_present


def tally(choices: Iterable[str]) -> dict[str, int]:
    counted = {c: 0 for c in CHOICES}
    for choice in choices:
        counted[choice] += 1
    return counted


def is_working_day(day: date, holidays: Iterable[date] = ()) -> bool:
    """Monday to Friday, except the configured holidays (GOVERNANCE_HOLIDAYS)."""
    return day.weekday() < 5 and day not in set(holidays)


def notice_last_day(posted_on: date, working_days: int, holidays: Iterable[date] = ()) -> date:
    """The last day of a notice: the `working_days`-th working day after the day it is posted."""
    off = set(holidays)
    day, left = posted_on, working_days
    while left > 0:
        day += timedelta(days=1)
        if is_working_day(day, off):
            left -= 1
    return day


def check_objection_open(ends_at: datetime, at: datetime) -> None:
    if at >= ends_at:
        raise ObjectionPeriodOver(
            f"公示期已于 {ends_at.isoformat()} 结束，不再受理异议。"
            f" (The notice period ended at {ends_at.isoformat()}.)",
            ends_at=ends_at.isoformat(),
        )


def check_concludable(ends_at: datetime, at: datetime, unanswered: int) -> None:
    if at < ends_at:
        raise NoticeOpen(
            f"公示期至 {ends_at.isoformat()} 止，尚未届满。 (The notice runs until {ends_at.isoformat()}.)",
            ends_at=ends_at.isoformat(),
        )
    if unanswered:
        raise NoticeOpen(
            f"尚有 {unanswered} 条异议未答复。 ({unanswered} objections await the committee's answer.)",
            unanswered=unanswered,
        )


def check_estimate(estimate_fen: int, cap_fen: int) -> None:
    if estimate_fen > cap_fen:
        raise OverCap(
            f"项目预算 {estimate_fen} 分超过本轮上限 {cap_fen} 分。 (The estimate exceeds the round's cap.)",
            estimate_fen=estimate_fen,
            cap_fen=cap_fen,
        )


def check_window(opens_at: datetime, closes_at: datetime, at: datetime) -> None:
    if not opens_at <= at < closes_at:
        raise OutsideWindow(
            f"投票时间为 {opens_at.isoformat()} 至 {closes_at.isoformat()}。"
            f" (Voting is open from {opens_at.isoformat()} to {closes_at.isoformat()}.)",
            opens_at=opens_at.isoformat(),
            closes_at=closes_at.isoformat(),
        )


def check_choices(chosen: Sequence[str], eligible: Iterable[str], max_choices: int) -> None:
    if len(chosen) > max_choices or len(set(chosen)) != len(chosen):
        raise TooManyChoices(
            f"每人每轮最多选 {max_choices} 个不同项目。 (At most {max_choices} distinct projects.)",
            max_choices=max_choices,
        )
    allowed = set(eligible)
    refused = sorted(p for p in chosen if p not in allowed)
    if refused:
        raise NotEligible(
            "所选项目不在本轮合资格项目之列。 (Only the round's eligible projects can be chosen.)",
            proposal_ids=refused,
        )


@dataclass(frozen=True)
class Ranked:
    """A proposal in the ranking: its votes, its estimate and its order of submission."""

    id: str
    votes: int
    estimate_fen: int
    submitted: int


def grants(proposals: Iterable[Ranked], balance_fen: int) -> tuple[list[str], list[str]]:
    """Follow the ranking (most votes, then earliest) within the balance: (granted, not granted).

    A project that does not fit what is left is not granted; a later, smaller one that
    fits still is.
    """
    left = balance_fen
    granted: list[str] = []
    refused: list[str] = []
    for proposal in sorted(proposals, key=lambda p: (-p.votes, p.submitted)):
        if proposal.votes > 0 and proposal.estimate_fen <= left:
            granted.append(proposal.id)
            left -= proposal.estimate_fen
        else:
            refused.append(proposal.id)
    return granted, refused
