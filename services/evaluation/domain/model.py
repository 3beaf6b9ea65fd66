"""The evaluation's core rules: parties, the committee's weight, grades and the round's states.

Pure (standard library and the chassis' state machine). The scheme tree is validated in
`tree.py`, AHP weights in `ahp.py`, metric formulas in `formulas.py` and results in
`scoring.py`, all pure as well. Who may score as which party is `usecases/policy.py`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from services.chassis.statemachine import StateMachine

COMMITTEE = "committee"
SUBDISTRICT = "subdistrict"
RESIDENT_SURVEY = "resident_survey"
THIRD_PARTY = "third_party"
PARTIES = (COMMITTEE, SUBDISTRICT, RESIDENT_SURVEY, THIRD_PARTY)

COMMITTEE_MINIMUM = Decimal("0.5")
COMMITTEE_MAXIMUM = Decimal("1")
WEIGHT_PLACES = 4  # weights are exact decimals with at most 4 places (basis points)
SCORE_PLACES = 2

EXCELLENT, GOOD, PASS, FAIL = "excellent", "good", "pass", "fail"
GRADES = (EXCELLENT, GOOD, PASS, FAIL)
DEFAULT_BANDS: Mapping[str, Decimal] = {EXCELLENT: Decimal(90), GOOD: Decimal(80), PASS: Decimal(60)}

SURVEY_FROM_RATINGS = "ratings"
SURVEY_ENTERED = "entered"


# -- errors (the chassis turns `problem_status` into a problem+json response) ---------------


@dataclass(frozen=True)
class Violation:
    """One broken rule: its name, where (a dotted path) and what to do."""

    rule: str
    path: str
    message: str


class SchemeInvalid(Exception):
    """A scheme definition that breaks one or more rules (422 naming the first rule)."""

    problem_status = 422
    problem_title = "Scheme rule broken"

    def __init__(self, violations: Iterable[Violation]) -> None:
        self.violations = list(violations)
        first = self.violations[0]
        super().__init__(first.message)
        self.problem_type = first.rule
        self.detail = first.message
        errors: dict[str, list[str]] = {}
        for violation in self.violations:
            errors.setdefault(violation.path or "_schema", []).append(violation.message)
        self.errors = errors
        self.extra = {"rules": sorted({v.rule for v in self.violations})}


class ScoresIncomplete(Exception):
    """Closing needs every party's score on every party indicator (409 listing the gaps)."""

    problem_status = 409
    problem_type = "scores-incomplete"

    def __init__(self, missing: Mapping[str, list[str]], detail: str | None = None) -> None:
        self.detail = detail or "Some parties have not scored every indicator yet: " + "; ".join(
            f"{party}: {', '.join(codes)}" for party, codes in sorted(missing.items())
        )
        super().__init__(self.detail)
        self.errors = {party: codes for party, codes in missing.items()}


class ScoreRefused(Exception):
    """A score that cannot be accepted (unknown indicator, metric indicator, computed party)."""

    problem_status = 422
    problem_type = "score-refused"

    def __init__(self, detail: str, errors: dict[str, list[str]] | None = None) -> None:
        self.detail = detail
        super().__init__(detail)
        self.errors = errors


# -- weights, scores and grades ------------------------------------------------------------


def places(value: Decimal) -> int:
    """How many decimal places a decimal carries (0 for integers)."""
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def round_score(value: Fraction | Decimal) -> Decimal:
    """A score as published: two decimals, half up (59.995 → 60.00)."""
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def grade(score: Decimal, bands: Mapping[str, Decimal] = DEFAULT_BANDS) -> str:
    """The grade of a published score: at or above a band's lower bound earns it."""
    for name in (EXCELLENT, GOOD, PASS):
        if score >= bands[name]:
            return name
    return FAIL


# -- the round's state machine -------------------------------------------------------------

OPEN, SCORING, CLOSED, CANCELLED = "open", "scoring", "closed", "cancelled"
ROUND_STATUSES = (OPEN, SCORING, CLOSED, CANCELLED)
ROUND = StateMachine(
    "round",
    {
        "score": ((OPEN, SCORING), SCORING),
        "close": ((OPEN, SCORING), CLOSED),
        "cancel": ((OPEN, SCORING), CANCELLED),
    },
)
_WHY = {CLOSED: "its result is final and published", CANCELLED: "it was cancelled"}


def next_status(status: str, action: str) -> str:
    """The status a round reaches through `action`, or `IllegalTransition` (409) saying why."""
    if not ROUND.allows(status, action):
        raise ROUND.refusal(status, action, reason=_WHY.get(status))
    return ROUND.target(status, action)


# -- rounds that decide money (a contract's evaluation-linked milestone) ---------------------

SINGLE_MANAGER, FOUR_EYES, COMMITTEE_RESOLUTION = "single_manager", "four_eyes", "committee_resolution"
CLOSED_VIA = (SINGLE_MANAGER, FOUR_EYES, COMMITTEE_RESOLUTION)


def contract_parties_refusal(parties: Mapping[str, Decimal]) -> str | None:
    """Why a scheme's parties may not decide a contract's money (None when they may): the
    subdistrict and the committee (at least half) and a third party or the resident survey."""
    if SUBDISTRICT not in parties:
        return "A contract's evaluation needs the subdistrict among its parties."
    if parties.get(COMMITTEE, Decimal(0)) < COMMITTEE_MINIMUM:
        return f"A contract's evaluation needs the committee at {COMMITTEE_MINIMUM} or more."
    if not {THIRD_PARTY, RESIDENT_SURVEY} & set(parties):
        return "A contract's evaluation needs a third party or the resident survey as well."
    return None
