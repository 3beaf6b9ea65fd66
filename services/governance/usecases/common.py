"""What every use case shares: loading rows, new ids, the caller's committee seat."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import select

from services.chassis.auth import Principal
from services.chassis.errors import NotFound
from services.chassis.unit_of_work import UnitOfWork

from .. import domain
from ..models import Member

T = TypeVar("T")


def new_id() -> str:
    return str(uuid.uuid4())


def get(uow: UnitOfWork, model: type[T], ident: Any, *, lock: bool = False, what: str) -> T:
    """The row with primary key `ident` (row-locked if asked), or 404."""
    found = uow.find(model, ident, lock=lock)
    if found is None:
        raise NotFound(f"没有这个{what}。 (No {what} {ident}.)")
    return found


def seat_of(uow: UnitOfWork, principal: Principal, community: str, day: date) -> Member:
    """The caller's seat on the community's committee, in term on `day` (403 / 409 otherwise)."""
    seats = list(
        uow.session.scalars(
            select(Member)
            .where(Member.community == community, Member.person_sub == principal.sub)
            .order_by(Member.term_start.desc())
        )
    )
    if not seats:
        raise domain.NotAMember(
            f"您不是 {community} 居委会的委员。 (You hold no seat on {community}'s committee.)"
        )
    seat = next((s for s in seats if domain.in_term(s.term_start, s.term_end, day)), seats[0])
    domain.check_in_term(seat.id, seat.term_start, seat.term_end, day)
    return seat


def sitting_members(uow: UnitOfWork, community: str, day: date) -> list[Member]:
    """The members whose term covers `day`."""
    return list(
        uow.session.scalars(
            select(Member).where(
                Member.community == community, Member.term_start <= day, Member.term_end >= day
            )
        )
    )
