"""Who may do and see what at the desk, and what personal data each reader gets."""

from __future__ import annotations

from collections.abc import Iterable

from services.chassis.auth import Principal
from services.chassis.errors import Forbidden, NotFound

STAFF = ("center_staff",)
CATALOGUE_EDITORS = ("center_staff", "subdistrict_officer")
READERS = ("center_staff", "committee_member", "subdistrict_officer", "evaluator")
ANALYSTS = ("center_staff", "committee_member", "subdistrict_officer", "evaluator")


def require_staff(principal: Principal, community: str) -> None:
    """403 unless the caller is center staff (or admin) of `community`."""
    principal.require(*STAFF, community=community)


def reads_community(principal: Principal, community: str) -> bool:
    """Staff, committee members, officers and evaluators read all records of their communities."""
    return principal.may(READERS, community)


def require_visible(principal: Principal, community: str, owner_sub: str | None, what: str) -> None:
    """404 (not 403: do not confirm it exists) unless the caller may read this record."""
    if reads_community(principal, community):
        return
    if owner_sub is not None and owner_sub == principal.sub and principal.in_community(community):
        return
    raise NotFound(f"No such {what}.")


def sees_personal(principal: Principal, community: str, owner_sub: str | None) -> bool:
    """The owner and the community's center staff see contact data and personal attributes."""
    if owner_sub is not None and owner_sub == principal.sub:
        return True
    return principal.may(STAFF, community)


def readable_communities(principal: Principal, requested: str | None) -> tuple[list[str], bool]:
    """(communities to list, whether all records or only the caller's own).

    A caller asking for a community outside the token gets 403.
    """
    visible = sorted(principal.visible_communities())
    if requested is not None:
        if requested not in visible:
            raise Forbidden(f"Your token does not cover the community {requested!r}.")
        visible = [requested]
    return visible, all(reads_community(principal, c) for c in visible)


def require_any(principal: Principal, roles: Iterable[str], community: str) -> None:
    principal.require(*tuple(roles), community=community)
