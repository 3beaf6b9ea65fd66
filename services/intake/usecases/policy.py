"""Who may do and see what at the desk, and what personal data each reader gets.

Every role tuple and role/community check of the service lives here; resources and use
cases call these functions and never spell roles themselves.
"""

from __future__ import annotations

from services.chassis import scoping
from services.chassis.auth import Principal
from services.chassis.errors import Forbidden, NotFound

STAFF = ("center_staff",)
RESIDENT = ("resident",)
CATALOGUE_EDITORS = ("center_staff", "subdistrict_officer")
CALENDAR_EDITORS = ("subdistrict_officer",)
READERS = ("center_staff", "committee_member", "subdistrict_officer", "evaluator")
ANALYSTS = ("center_staff", "committee_member", "subdistrict_officer", "evaluator")
RESIDENT_CHANNELS = ("portal",)
AUDITORS = ("committee_member", "subdistrict_officer")


def is_staff(principal: Principal, community: str) -> bool:
    """Center staff (or admin) of `community`."""
    return principal.may(STAFF, community)


def require_staff(principal: Principal, community: str) -> None:
    """403 unless the caller is center staff (or admin) of `community`."""
    principal.require(*STAFF, community=community)


def require_member(principal: Principal, community: str) -> None:
    """403 unless the caller's token covers `community` (anyone there, residents included)."""
    if not scoping.in_scope(principal, community):
        raise Forbidden(f"Your token does not cover the community {community!r}.")


def require_catalogue_editor(principal: Principal, community: str) -> None:
    """403 unless the caller may change `community`'s business types."""
    principal.require(*CATALOGUE_EDITORS, community=community)


def require_calendar_editor(principal: Principal) -> None:
    """403 unless the caller may declare holidays and make-up workdays (for every community)."""
    principal.require(*CALENDAR_EDITORS)


def require_analyst(principal: Principal, community: str) -> None:
    """403 unless the caller may read `community`'s analytics and pooling report."""
    principal.require(*ANALYSTS, community=community)


def takes_ticket_as_staff(principal: Principal, community: str, channel: str, priority: bool = False) -> bool:
    """Staff take tickets on any channel for anyone; a resident only through the portal, for
    themselves, and never a priority one (staff at the desk see the reason) (403
    otherwise). True when the caller is staff."""
    if is_staff(principal, community):
        return True
    principal.require(*RESIDENT, community=community)
    if channel not in RESIDENT_CHANNELS:
        raise Forbidden("Residents take tickets through the portal channel.")
    if priority:
        raise Forbidden(
            "优先号由窗口工作人员当面核实后发放；请在门户取普通号。 "
            "A priority ticket is given at the desk, where staff see the reason; take a regular one here.",
            type="priority-at-the-desk",
        )
    return False


def reads_community(principal: Principal, community: str) -> bool:
    """Staff, committee members, officers and evaluators read all records of their communities."""
    return principal.may(READERS, community)


def require_visible(principal: Principal, community: str, owner_sub: str | None, what: str) -> None:
    """404 (not 403: do not confirm it exists) unless the caller may read this record."""
    if reads_community(principal, community):
        return
    if owner_sub is not None and owner_sub == principal.sub and scoping.in_scope(principal, community):
        return
    raise NotFound(f"No such {what}.")


def sees_personal(principal: Principal, community: str, owner_sub: str | None) -> bool:
    """The owner and the community's center staff see who owns a record and its free text."""
    if is_owner(principal, owner_sub):
        return True
    return is_staff(principal, community)


def is_owner(principal: Principal, owner_sub: str | None) -> bool:
    """The record is the caller's own: their phone and personal attributes shown unmasked."""
    return owner_sub is not None and owner_sub == principal.sub


def may_reveal(principal: Principal, community: str) -> bool:
    """Center staff of the community read personal data unmasked (each read audited)."""
    return is_staff(principal, community)


def require_auditor(principal: Principal, community: str) -> None:
    """403 unless the caller may read the community's audit of unmasked reads."""
    principal.require(*AUDITORS, community=community)


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
