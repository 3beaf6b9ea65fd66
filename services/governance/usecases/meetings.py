"""Meetings and resolutions: attendance, motions, votes with recusal, quorum and outcome.

An item passes by the majority of its rule among the present members who are not
recused, and only with quorum counted without the recused. A passed resolution is an
event (contracts waits for it); an award or a fund grant is posted as a public notice first.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from services.chassis import clock
from services.chassis.auth import Principal
from services.chassis.errors import Unprocessable
from services.chassis.unit_of_work import UnitOfWork

from .. import domain, events
from ..models import AgendaItem, Interest, Meeting, Member, Vote
from ..settings import GovernanceSettings
from . import fund, notices, policy
from .common import get, new_id, seat_of, sitting_members


def schedule(uow: UnitOfWork, principal: Principal, data: dict[str, Any]) -> Meeting:
    """A sitting member calls a meeting (time, place or online link)."""
    policy.require_committee(principal, data["community"])
    seat = seat_of(uow, principal, data["community"], clock.local_today())
    meeting = Meeting(
        id=new_id(),
        community=data["community"],
        title=data["title"],
        starts_at=data["starts_at"],
        place=data["place"],
        present_member_ids=[],
        created_by=seat.id,
        created_at=clock.now(),
    )
    uow.session.add(meeting)
    return meeting


def record_attendance(
    uow: UnitOfWork, principal: Principal, meeting_id: str, member_ids: list[str]
) -> Meeting:
    """Who is present: sitting members of the community only."""
    meeting = get(uow, Meeting, meeting_id, lock=True, what="会议")
    policy.require_committee(principal, meeting.community)
    today = clock.local_today()
    seat_of(uow, principal, meeting.community, today)
    for member_id in member_ids:
        member = get(uow, Member, member_id, what="委员")
        if member.community != meeting.community:
            raise Unprocessable(
                "出席者须为本社区居委会委员。 (Attendees are members of this committee.)",
                errors={"member_ids": [f"{member_id} is not on {meeting.community}'s committee."]},
            )
        domain.check_in_term(member.id, member.term_start, member.term_end, today)
    meeting.present_member_ids = sorted(set(member_ids))
    return meeting


def add_item(uow: UnitOfWork, principal: Principal, meeting_id: str, data: dict[str, Any]) -> AgendaItem:
    """Put a motion on the agenda, naming its subject and the parties interests are checked against."""
    meeting = get(uow, Meeting, meeting_id, what="会议")
    policy.require_committee(principal, meeting.community)
    seat_of(uow, principal, meeting.community, clock.local_today())
    subject_id = data.get("subject_id")
    if data["subject_kind"] != "other" and subject_id is None:
        raise Unprocessable(
            "此类议题须指明事项编号。 (This kind of item names its subject.)",
            errors={"subject_id": ["Required for this subject_kind."]},
        )
    item = AgendaItem(
        id=new_id(),
        meeting_id=meeting.id,
        community=meeting.community,
        title=data["title"],
        subject_kind=data["subject_kind"],
        subject_id=str(subject_id) if subject_id else None,
        parties=[p.strip() for p in data.get("parties", [])],
        rule=data.get("rule", "simple"),
        status="open",
        recused_member_ids=[],
    )
    uow.session.add(item)
    return item


def vote(uow: UnitOfWork, principal: Principal, item_id: str, choice: str) -> Vote:
    """The caller votes through their seat: in term, present, not recused, once."""
    item = get(uow, AgendaItem, item_id, lock=True, what="议题")
    policy.require_committee(principal, item.community)
    seat = seat_of(uow, principal, item.community, clock.local_today())
    if item.status != "open":
        raise domain.ItemClosed(f"该议题已表决结束。 (The item is {item.status}.)", item_status=item.status)
    meeting = get(uow, Meeting, item.meeting_id, what="会议")
    if seat.id not in meeting.present_member_ids:
        raise domain.NotPresent("未登记出席的委员不能表决。 (Only present members vote.)", member_id=seat.id)
    conflict = domain.conflicting_interest(_interests(uow, seat.id), item.parties)
    if conflict is not None:
        raise domain.refuse_recused(seat.id, conflict)
    if uow.session.scalars(select(Vote).where(Vote.item_id == item.id, Vote.member_id == seat.id)).first():
        raise domain.AlreadyVoted("您已就此议题表决。 (You have voted on this item.)", member_id=seat.id)
    cast = Vote(item_id=item.id, member_id=seat.id, choice=choice, cast_at=clock.now())
    uow.session.add(cast)
    return cast


def close(uow: UnitOfWork, principal: Principal, item_id: str, settings: GovernanceSettings) -> AgendaItem:
    """Count the votes: refused without quorum; passed or rejected by the item's rule."""
    item = get(uow, AgendaItem, item_id, lock=True, what="议题")
    policy.require_committee(principal, item.community)
    today = clock.local_today()
    seat_of(uow, principal, item.community, today)
    if item.status != "open":
        raise domain.ItemClosed(f"该议题已表决结束。 (The item is {item.status}.)", item_status=item.status)
    meeting = get(uow, Meeting, item.meeting_id, what="会议")
    sitting = sitting_members(uow, item.community, today)
    recused = {m.id for m in sitting if domain.conflicting_interest(_interests(uow, m.id), item.parties)}
    present = {m.id for m in sitting if m.id in meeting.present_member_ids}
    count = domain.Count(len(sitting), len(present), len(recused), len(recused & present))
    domain.check_quorum(count)
    votes = list(uow.session.scalars(select(Vote).where(Vote.item_id == item.id)))
    counted = domain.tally(v.choice for v in votes if v.member_id in present - recused)
    at = clock.now()
    item.votes_for, item.votes_against, item.abstentions = (
        counted["for"],
        counted["against"],
        counted["abstain"],
    )
    item.eligible, item.eligible_present = count.eligible, count.eligible_present
    item.recused_member_ids = sorted(recused)
    item.closed_at = at
    item.status = "passed" if domain.passes(item.rule, counted["for"], count.eligible_present) else "rejected"
    if item.status == "passed":
        _passed(uow, item, settings)
    return item


def _passed(uow: UnitOfWork, item: AgendaItem, settings: GovernanceSettings) -> None:
    noticed = item.subject_kind in domain.NOTICED_KINDS
    uow.emit(
        events.RESOLUTION_PASSED,
        subject=item.id,
        community=item.community,
        data={
            "resolution_id": item.id,
            "meeting_id": item.meeting_id,
            "subject_kind": item.subject_kind,
            "subject_id": item.subject_id,
            "rule": item.rule,
            "votes_for": item.votes_for,
            "votes_against": item.votes_against,
            "abstentions": item.abstentions,
            "eligible": item.eligible,
            "eligible_present": item.eligible_present,
            "recused_member_ids": item.recused_member_ids,
            "takes_effect_after_notice": noticed,
            "passed_at": item.closed_at.isoformat() if item.closed_at else None,
        },
    )
    if item.subject_kind == "fund_grant":
        fund.grant(uow, item)
    if noticed:
        notices.post(uow, item, settings)


def _interests(uow: UnitOfWork, member_id: str) -> list[domain.Interest]:
    rows = uow.session.scalars(select(Interest).where(Interest.member_id == member_id))
    return [domain.Interest(i.id, i.kind, i.party) for i in rows]


def items_of(uow: UnitOfWork, meeting_id: str) -> list[AgendaItem]:
    return list(uow.session.scalars(select(AgendaItem).where(AgendaItem.meeting_id == meeting_id)))


def votes_of(uow: UnitOfWork, item_id: str) -> list[Vote]:
    return list(uow.session.scalars(select(Vote).where(Vote.item_id == item_id).order_by(Vote.id)))


def item(uow: UnitOfWork, item_id: str) -> AgendaItem:
    return get(uow, AgendaItem, item_id, what="议题")


def meeting(uow: UnitOfWork, meeting_id: str) -> Meeting:
    return get(uow, Meeting, meeting_id, what="会议")
