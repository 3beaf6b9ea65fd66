"""Who may do what in the contracts service: every role and community check lives here.

The parties' own acts (signing, the committee's decisions, payments) need a token of
that role: an `admin` does not stand in for a party. Reading is open to the staff and
residents of the community, and to a provider for its own records.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.chassis import scoping
from services.chassis.auth import Principal
from services.chassis.errors import Forbidden

COMMITTEE_MEMBER = "committee_member"
SUBDISTRICT_OFFICER = "subdistrict_officer"
PROVIDER_SIGNATORY = "provider_signatory"

READER_ROLES = (
    "center_staff",
    "grid_worker",
    COMMITTEE_MEMBER,
    SUBDISTRICT_OFFICER,
    "evaluator",
    "department",
    "resident",
)
STAFF_ROLES = (COMMITTEE_MEMBER, SUBDISTRICT_OFFICER, "center_staff", "evaluator")
OFFICIAL_ROLES = (COMMITTEE_MEMBER, SUBDISTRICT_OFFICER)
# the audit's community of a provider registered for the whole subdistrict (no community)
SUBDISTRICT_AUDIT = "subdistrict"


@dataclass(frozen=True)
class Actor:
    """Who did a step, in which capacity."""

    sub: str
    name: str
    role: str


SYSTEM = Actor("system", "contracts service", "system")


def strict_role(principal: Principal, role: str, community: str | None = None) -> Actor:
    """The caller acting in `role` (admin does NOT stand in: these are a party's own acts)."""
    if role not in principal.roles:
        raise Forbidden(f"This needs a {role} token of its own (an admin cannot act for a party).")
    if community is not None and community not in principal.communities:
        raise Forbidden(f"Your token does not cover the community {community!r}.")
    return Actor(principal.sub, principal.name, role)


def committee_member(principal: Principal, community: str) -> Actor:
    """A member of that community's residents' committee, acting for it."""
    return strict_role(principal, COMMITTEE_MEMBER, community)


def subdistrict_officer(principal: Principal) -> Actor:
    return strict_role(principal, SUBDISTRICT_OFFICER)


def acts_for_committee(principal: Principal, community: str) -> bool:
    """Whether the caller acts as that community's residents' committee (rather than as the
    subdistrict or the buyer) in a step either may take."""
    return COMMITTEE_MEMBER in principal.roles and community in principal.communities


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


def buyer_or_committee(principal: Principal, buyer: str, community: str) -> Actor:
    """Who may stop a purchase: the community's committee, or else the buyer."""
    if acts_for_committee(principal, community):
        return committee_member(principal, community)
    return buyer_actor(principal, buyer, community)


def package_author(principal: Principal, community: str) -> Actor:
    """Who adds a service package: a subdistrict officer, or a member of that committee."""
    if SUBDISTRICT_OFFICER in principal.roles:
        return subdistrict_officer(principal)
    return committee_member(principal, community)


def is_provider_signatory(principal: Principal, provider_id: str) -> bool:
    """Whether the caller signs for that provider (role and token claim `provider_id`)."""
    return PROVIDER_SIGNATORY in principal.roles and own_provider(principal) == str(provider_id)


def own_provider(principal: Principal) -> str:
    """The provider a signatory's token names (claim `provider_id`), or ''."""
    return str(principal.claims.get("provider_id", "") or "")


def provider_signatory(principal: Principal, provider_id: str) -> Actor:
    """A signatory of that provider (token claim `provider_id`)."""
    actor = strict_role(principal, PROVIDER_SIGNATORY)
    if own_provider(principal) != str(provider_id):
        raise Forbidden("Your token is not a signatory's of this provider.")
    return actor


def party_actor(principal: Principal, party: str, community: str, provider_id: str) -> Actor:
    """The caller signing for `party`: each party signs with a token of its own role."""
    if party == "subdistrict":
        return subdistrict_officer(principal)
    if party == "committee":
        return committee_member(principal, community)
    return provider_signatory(principal, provider_id)


def provider_may_read_tender(principal: Principal, invited: list[str], published: bool) -> bool:
    """A provider's signatory reads a purchase its provider is invited to, or a published one."""
    if not reads_own_provider_only(principal):
        return False
    return published or own_provider(principal) in {str(p) for p in invited or ()}


def may_read_community(principal: Principal, community: str) -> bool:
    """Staff and residents of a community (and admins) may read its public records."""
    return scoping.in_scope(principal, community) and principal.has_role(*READER_ROLES)


def require_reader(principal: Principal, community: str, provider_id: str | None = None) -> None:
    """Refuse a caller who may not read the community's records (a provider reads its own)."""
    if may_read_community(principal, community):
        return
    if provider_id is not None and is_provider_signatory(principal, provider_id):
        return
    raise Forbidden(f"You may not read records of the community {community!r}.")


def require_ledger_reader(principal: Principal, community: str | None) -> None:
    """A community's accounts are read like its records; the subdistrict's by its officers."""
    if community is None:
        principal.require(SUBDISTRICT_OFFICER)
    else:
        require_reader(principal, community)


def reads_own_provider_only(principal: Principal) -> bool:
    """A provider's signatory lists its own organization's contracts."""
    return PROVIDER_SIGNATORY in principal.roles and bool(own_provider(principal))


def is_staff_reader(principal: Principal) -> bool:
    """Staff see names of who did what; residents see roles only."""
    return principal.is_admin or principal.has_role(*STAFF_ROLES)


def may_see_private(principal: Principal, provider_id: str) -> bool:
    """Bank details and contacts: subdistrict officers, admins and the provider itself."""
    if principal.is_admin or SUBDISTRICT_OFFICER in principal.roles:
        return True
    return is_provider_signatory(principal, provider_id)


def require_auditor(principal: Principal, community: str) -> None:
    """403 unless the caller may read the audit of unmasked reads of `community`'s
    providers: subdistrict officers; committee members of that community. Providers of
    the whole subdistrict are audited under `subdistrict` (officers only)."""
    if community == SUBDISTRICT_AUDIT:
        principal.require(SUBDISTRICT_OFFICER)
    else:
        principal.require(*OFFICIAL_ROLES, community=community)


def is_official_of(principal: Principal, community: str) -> bool:
    """The buyer's and the committee's people of a community (they read bids once closed)."""
    return principal.has_role(*OFFICIAL_ROLES) and may_read_community(principal, community)
