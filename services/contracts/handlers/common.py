"""What every use case shares: the acting person, local dates, numbers, loading rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import select

from services.chassis import clock, numbering
from services.chassis.auth import Principal
from services.chassis.errors import Forbidden, NotFound
from services.chassis.unit_of_work import UnitOfWork

LOCAL = ZoneInfo("Asia/Shanghai")
T = TypeVar("T")

READER_ROLES = (
    "center_staff",
    "grid_worker",
    "committee_member",
    "subdistrict_officer",
    "evaluator",
    "department",
    "resident",
)


@dataclass(frozen=True)
class Actor:
    """Who did a step, in which capacity."""

    sub: str
    name: str
    role: str


def now() -> datetime:
    return clock.now()


def local_today() -> date:
    return now().astimezone(LOCAL).date()


def next_number(uow: UnitOfWork, prefix: str, width: int = 4) -> str:
    """`HT-2026-0001`: the next number of a series per local year, without gaps."""
    series = f"{prefix}-{local_today().year}"
    return f"{series}-{numbering.next_value(uow, series):0{width}d}"


def get(uow: UnitOfWork, model: type[T], ident: Any, *, lock: bool = False, what: str | None = None) -> T:
    """The row with primary key `ident` (row-locked for update if asked), or 404."""
    statement = select(model).where(model.id == str(ident))  # type: ignore[attr-defined]
    if lock:
        # the locked read refreshes a copy the session already holds (else its values could
        # predate the lock, and a version check or a balance would run on stale data)
        statement = statement.with_for_update().execution_options(populate_existing=True)
    found = uow.session.scalars(statement).first()
    if found is None:
        raise NotFound(f"No {what or model.__name__.lower()} {ident}.")
    return found


def strict_role(principal: Principal, role: str, community: str | None = None) -> Actor:
    """The caller acting in `role` (admin does NOT stand in: these are a party's own acts)."""
    if role not in principal.roles:
        raise Forbidden(f"This needs a {role} token of its own (an admin cannot act for a party).")
    if community is not None and community not in principal.communities:
        raise Forbidden(f"Your token does not cover the community {community!r}.")
    return Actor(principal.sub, principal.name, role)


def committee_member(principal: Principal, community: str) -> Actor:
    """A member of that community's residents' committee, acting for it."""
    return strict_role(principal, "committee_member", community)


def subdistrict_officer(principal: Principal) -> Actor:
    return strict_role(principal, "subdistrict_officer")


def acts_for_committee(principal: Principal, community: str) -> bool:
    """Whether the caller acts as that community's residents' committee (rather than as the
    subdistrict or the buyer) in a step either may take."""
    return "committee_member" in principal.roles and community in principal.communities


def committee_or_subdistrict(principal: Principal, community: str) -> tuple[Actor, str]:
    """The caller acting for the community's committee, or else as a subdistrict officer;
    with the party's name."""
    if acts_for_committee(principal, community):
        return committee_member(principal, community), "committee"
    return subdistrict_officer(principal), "subdistrict"


def buyer_actor(principal: Principal, buyer: str, community: str) -> Actor:
    """The buyer's representative: a subdistrict officer, or the community's committee."""
    if buyer == "committee":
        return committee_member(principal, community)
    return subdistrict_officer(principal)


def provider_signatory(principal: Principal, provider_id: str) -> Actor:
    """A signatory of that provider (token claim `provider_id`)."""
    actor = strict_role(principal, "provider_signatory")
    if str(principal.claims.get("provider_id", "")) != str(provider_id):
        raise Forbidden("Your token is not a signatory's of this provider.")
    return actor


def may_read_community(principal: Principal, community: str) -> bool:
    """Staff and residents of a community (and admins) may read its public records."""
    return principal.is_admin or (community in principal.communities and principal.has_role(*READER_ROLES))


def require_reader(principal: Principal, community: str, provider_id: str | None = None) -> None:
    if may_read_community(principal, community):
        return
    if (
        provider_id is not None
        and "provider_signatory" in principal.roles
        and str(principal.claims.get("provider_id", "")) == provider_id
    ):
        return
    raise Forbidden(f"You may not read records of the community {community!r}.")


def is_staff_reader(principal: Principal) -> bool:
    """Staff see names of who did what; residents see roles only."""
    return principal.is_admin or principal.has_role(
        "committee_member", "subdistrict_officer", "center_staff", "evaluator"
    )
