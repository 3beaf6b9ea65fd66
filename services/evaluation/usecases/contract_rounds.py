"""Rounds that decide money: a contract's evaluation-linked milestone is released on them.

Such a round is fair only when its scheme has the subdistrict, the committee (at least
half) and a third party or the resident survey; when it is opened for a period that has
begun; and when it is closed after the period ended, by a committee resolution or by two
different managers (one proposes the close, another closes — four eyes as for tenders).
Contracts checks the same facts in `evaluation.round.completed` before it moves money.
"""

from __future__ import annotations

from datetime import date

from services.chassis import clock
from services.chassis.auth import Principal
from services.chassis.errors import Conflict, Unprocessable

from ..domain.model import COMMITTEE_RESOLUTION, FOUR_EYES, SINGLE_MANAGER, contract_parties_refusal
from ..domain.tree import Scheme
from ..models import Round
from . import policy


def check_open(scheme: Scheme, contract_id: str | None, period_start: date) -> None:
    """422 unless a contract's round has fair parties and a period that has begun."""
    if contract_id is None:
        return
    refusal = contract_parties_refusal(scheme.parties)
    if refusal:
        raise Unprocessable(refusal, errors={"scheme_id": [refusal]}, type="unfair-contract-evaluation")
    if period_start > clock.local_today():
        message = "A contract's evaluation covers a period that has begun."
        raise Unprocessable(message, errors={"period_start": [message]}, type="period-not-begun")


def propose_close(principal: Principal, evaluation: Round) -> Round:
    """The first manager's half of closing a contract's round."""
    policy.require_manager(principal, evaluation.community)
    _require_period_ended(evaluation)
    evaluation.close_proposed_by, evaluation.close_proposed_at = principal.sub, clock.now()
    return evaluation


def closed_via(principal: Principal, evaluation: Round, resolution: str | None) -> str:
    """How this close is authorised; 409 when a contract's round would close unfairly."""
    if evaluation.contract_id is None:
        return SINGLE_MANAGER
    _require_period_ended(evaluation)
    if resolution:
        principal.require("committee_member", community=evaluation.community)
        evaluation.close_resolution = resolution
        return COMMITTEE_RESOLUTION
    if evaluation.close_proposed_by is None:
        raise Conflict(
            "A contract's round is closed by two managers: another manager proposes the "
            "close first (POST .../propose-close), or give the committee's resolution.",
            type="second-manager-needed",
        )
    if evaluation.close_proposed_by == principal.sub:
        raise Conflict(
            "You proposed this close; another manager must close the round.", type="separation-of-duties"
        )
    return FOUR_EYES


def _require_period_ended(evaluation: Round) -> None:
    if clock.local_today() <= evaluation.period_end:
        raise Conflict(
            f"The period ends on {evaluation.period_end.isoformat()}; a contract's round "
            "closes after its period ended.",
            type="period-not-ended",
        )
