"""Who may do what: a person manages only their own contact points, consents and inbox;
operators (admin) see and replay dead letters."""

from __future__ import annotations

from services.chassis.auth import Principal
from services.chassis.errors import NotFound

OPERATOR_ROLES = ("admin",)
STAFF_ROLES = ("center_staff", "committee_member", "subdistrict_officer", "evaluator", "provider_signatory")


def require_owner(principal: Principal, person_sub: str, what: str) -> None:
    """Another person's record is answered as absent (its existence is not disclosed)."""
    if principal.sub != person_sub:
        raise NotFound(f"No such {what}.")


def require_staff(principal: Principal, community: str) -> None:
    """Work reminders are for staff of the community (a resident is refused with 403)."""
    principal.require(*STAFF_ROLES, community=community)


def require_operator(principal: Principal) -> None:
    principal.require(*OPERATOR_ROLES)
