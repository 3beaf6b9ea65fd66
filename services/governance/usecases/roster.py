"""The roster: members with positions and terms, their declared interests, and its history."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from services.chassis import clock
from services.chassis.auth import Principal
from services.chassis.errors import Unprocessable
from services.chassis.unit_of_work import UnitOfWork

from ..models import Interest, Member, RosterChange
from . import policy
from .common import get, new_id


def appoint(uow: UnitOfWork, principal: Principal, data: dict[str, Any]) -> Member:
    """Record a member's seat for a term (the election's result)."""
    policy.require_roster_keeper(principal, data["community"])
    if data["term_end"] < data["term_start"]:
        raise Unprocessable(
            "任期结束日不能早于开始日。 (The term ends before it starts.)",
            errors={"term_end": ["Not before term_start."]},
        )
    member = Member(id=new_id(), **{k: data[k] for k in ("community", "person_sub", "name", "position")})
    member.term_start, member.term_end = data["term_start"], data["term_end"]
    uow.session.add(member)
    uow.flush()
    _history(uow, member.id, "appointed", principal, position=member.position, term_end=str(member.term_end))
    return member


def declare_interest(uow: UnitOfWork, principal: Principal, member_id: str, data: dict[str, Any]) -> Interest:
    """A member (or the roster keeper for them) declares an interest; it enters the register."""
    member = get(uow, Member, member_id, what="委员")
    if principal.sub != member.person_sub:
        policy.require_roster_keeper(principal, member.community)
    interest = Interest(
        id=new_id(),
        member_id=member.id,
        kind=data["kind"],
        party=data["party"].strip(),
        description=data.get("description", ""),
        declared_at=clock.now(),
    )
    uow.session.add(interest)
    _history(uow, member.id, "interest_declared", principal, kind=interest.kind, party=interest.party)
    return interest


def _history(uow: UnitOfWork, member_id: str, change: str, principal: Principal, **detail: str) -> None:
    uow.session.add(
        RosterChange(member_id=member_id, change=change, detail=detail, by_sub=principal.sub, at=clock.now())
    )


def members(uow: UnitOfWork, community: str) -> list[Member]:
    return list(
        uow.session.scalars(select(Member).where(Member.community == community).order_by(Member.term_start))
    )


def interests_of(uow: UnitOfWork, member_ids: list[str]) -> list[Interest]:
    if not member_ids:
        return []
    return list(uow.session.scalars(select(Interest).where(Interest.member_id.in_(member_ids))))


def register(uow: UnitOfWork, principal: Principal, community: str) -> list[Interest]:
    """The declaration register of a community's committee."""
    policy.require_register_reader(principal, community)
    return interests_of(uow, [m.id for m in members(uow, community)])
