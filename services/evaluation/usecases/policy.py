"""Who may do what in the evaluation service: every role rule of schemes, rounds and measurements.

Roles count in the community of the scheme or round they act on. Admins hold every role
elsewhere, but nobody scores for a party they are not a member of.
"""

from __future__ import annotations

from services.chassis import scoping
from services.chassis.auth import Principal
from services.chassis.errors import Forbidden

from ..domain.model import COMMITTEE, RESIDENT_SURVEY, SUBDISTRICT, SURVEY_ENTERED, THIRD_PARTY

# Committee members and subdistrict officers create and change schemes and open, close
# and cancel rounds.
MANAGERS = ("committee_member", "subdistrict_officer")
# They and the third-party evaluator follow rounds while they are open (progress included).
ROUND_FOLLOWERS = (*MANAGERS, "evaluator")
MEASUREMENT_READERS = (*ROUND_FOLLOWERS, "center_staff", "provider_signatory")

# The role whose holders score as a party. Admin is deliberately absent: nobody scores
# for a party they are not a member of. The resident survey's scores are computed from
# residents' own ratings, or entered by the third-party evaluator who ran the survey
# when the scheme says so (see `scorer_roles`).
PARTY_ROLE = {
    COMMITTEE: "committee_member",
    SUBDISTRICT: "subdistrict_officer",
    THIRD_PARTY: "evaluator",
    RESIDENT_SURVEY: "evaluator",
}


def require_in_community(principal: Principal, community: str) -> None:
    """Anyone of the community may read its schemes and published rounds."""
    if not scoping.in_scope(principal, community):
        raise Forbidden(f"Your token does not cover the community {community!r}.")


def require_manager(principal: Principal, community: str) -> None:
    """Change schemes, open, close or cancel rounds: committee or subdistrict of the community."""
    principal.require(*MANAGERS, community=community)


def follows_rounds(principal: Principal) -> bool:
    """Whether the caller sees rounds before they close, with their scoring progress."""
    return principal.has_role(*ROUND_FOLLOWERS)


def require_published_or_follower(principal: Principal, closed: bool) -> None:
    """Results are public once the round closes; before that, only to those who follow it."""
    if not closed and not follows_rounds(principal):
        raise Forbidden("Results are published to everyone when the round closes.", type="not-published")


def scorer_roles(party: str, survey_mode: str) -> tuple[str, ...]:
    """The roles that may submit `party`'s scores (none for a computed survey)."""
    if party == RESIDENT_SURVEY and survey_mode != SURVEY_ENTERED:
        return ()
    return (PARTY_ROLE[party],)


def require_scorer(principal: Principal, party: str, roles: tuple[str, ...], community: str) -> None:
    """Only members of a party (its own role, in the round's community) score as that party."""
    if not principal.roles.intersection(roles) or community not in principal.communities:
        raise Forbidden(
            f"Only members of the {party} party ({' or '.join(roles)} of {community}) score as the {party}."
        )


def require_measurement_reader(principal: Principal, community: str) -> None:
    """Measurements are read by the parties, the evaluator, the center's staff and the provider."""
    principal.require(*MEASUREMENT_READERS, community=community)
