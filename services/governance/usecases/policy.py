"""Who may do what in the governance service: every role and community rule.

The roster is kept by the subdistrict office (it records the election); a committee
member acts through the seat linked to their signed-in identity and only within its term;
residents object to notices and propose and vote in their own community only.
"""

from __future__ import annotations

from services.chassis.auth import Principal
from services.chassis.errors import Forbidden

ROSTER_KEEPERS = ("subdistrict_officer",)
REGISTER_READERS = ("committee_member", "subdistrict_officer", "evaluator")
COMMITTEE = ("committee_member",)
RESIDENTS = ("resident",)


def require_roster_keeper(principal: Principal, community: str) -> None:
    """Appoint members (the election's result): the subdistrict office of the community."""
    principal.require(*ROSTER_KEEPERS, community=community)


def require_register_reader(principal: Principal, community: str) -> None:
    """The declaration register: the committee, the subdistrict officer and the evaluator."""
    principal.require(*REGISTER_READERS, community=community)


def require_committee(principal: Principal, community: str) -> None:
    """Meetings, screening, answers: a committee member of the community (their seat is checked after)."""
    principal.require(*COMMITTEE, community=community)


def require_resident(principal: Principal, community: str) -> None:
    """Objections, proposals and ballots: a signed-in resident of that community only."""
    if "resident" not in principal.roles or community not in principal.communities:
        raise Forbidden(f"只有 {community} 的居民可以参与。 (Only residents of {community} take part.)")


def require_in_community(principal: Principal, community: str) -> None:
    """Meetings and votes are read by anyone signed in to the community."""
    if not principal.in_community(community):
        raise Forbidden(f"Your token does not cover the community {community!r}.")
