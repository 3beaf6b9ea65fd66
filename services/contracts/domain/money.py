"""Money arithmetic in integer fen: milestone shares, evaluation releases, limits.

Shares are basis points (1/100 of a percent; 10 000 = the whole). Every split is
exact: amounts are floored to the fen and the remainder goes to the LAST milestone,
so milestones always sum to the contract value. No float is used anywhere; an
evaluation score (0-100, two decimals) is turned into integer hundredths first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .errors import InsufficientFunds, InvalidTerms, OverPayment

WHOLE_BP = 10_000
MAX_FEN = 10**13
GRADES = ("excellent", "good", "pass", "fail")


def split_by_shares(total_fen: int, shares_bp: Sequence[int]) -> list[int]:
    """Amounts for `shares_bp` of `total_fen`: floored, the remainder on the last one."""
    if not shares_bp:
        raise InvalidTerms({"milestones": ["At least one milestone is needed."]})
    if any(not isinstance(s, int) or s <= 0 for s in shares_bp):
        raise InvalidTerms({"milestones": ["Every share must be a positive whole number of basis points."]})
    if sum(shares_bp) != WHOLE_BP:
        raise InvalidTerms(
            {
                "milestones": [
                    f"Shares must add up to {WHOLE_BP} basis points (100 %); they add up to {sum(shares_bp)}."
                ]
            }
        )
    if not isinstance(total_fen, int) or total_fen < 0:
        raise InvalidTerms({"value_fen": ["The value must be a non-negative number of fen."]})
    amounts = [total_fen * share // WHOLE_BP for share in shares_bp]
    amounts[-1] += total_fen - sum(amounts)
    return amounts


def score_hundredths(score: object) -> int:
    """An evaluation score (0-100, at most two decimals) as integer hundredths (0-10000).

    JSON gives the score as a number; its shortest decimal text is exact for two
    decimals, so it is read through `str` into a Decimal and never computed on as float.
    """
    if isinstance(score, bool) or not isinstance(score, (int, float, str, Decimal)):
        raise ValueError(f"score {score!r} is not a number")
    try:
        value = Decimal(str(score))
    except InvalidOperation:
        raise ValueError(f"score {score!r} is not a number") from None
    hundredths = value * 100
    if hundredths != hundredths.to_integral_value() or not 0 <= hundredths <= WHOLE_BP:
        raise ValueError(f"score {score!r} is not between 0 and 100 with two decimals")
    return int(hundredths)


@dataclass(frozen=True)
class Release:
    """How an evaluation-linked milestone is settled: released plus withheld = amount."""

    released_fen: int
    withheld_fen: int


def release_for_grade(amount_fen: int, grade: str, score_hundredths_: int, fail_withhold_bp: int) -> Release:
    """Release the milestone by grade.

    - excellent, good: the whole amount;
    - pass: pro rata to the score: floor(amount x score / 100), to the fen;
    - fail: the contract's policy withholds `fail_withhold_bp` of it (floored),
      the rest is released.
    """
    if grade not in GRADES:
        raise ValueError(f"unknown grade {grade!r}")
    if grade in ("excellent", "good"):
        released = amount_fen
    elif grade == "pass":
        released = amount_fen * score_hundredths_ // WHOLE_BP
    else:
        released = amount_fen - amount_fen * fail_withhold_bp // WHOLE_BP
    return Release(released_fen=released, withheld_fen=amount_fen - released)


def check_payment(
    amount_fen: int, *, milestone_open_fen: int, contract_open_fen: int, funds_fen: int
) -> None:
    """Refuse a payment beyond the milestone, the contract or the money available."""
    if amount_fen <= 0:
        raise InvalidTerms({"amount_fen": ["A payment must be at least 1 fen."]})
    if amount_fen > milestone_open_fen:
        raise OverPayment(
            f"The milestone has {milestone_open_fen} fen left to pay; {amount_fen} fen asked.",
            open_fen=milestone_open_fen,
        )
    if amount_fen > contract_open_fen:
        raise OverPayment(
            f"The contract has {contract_open_fen} fen left to pay; {amount_fen} fen asked.",
            open_fen=contract_open_fen,
        )
    if amount_fen > funds_fen:
        raise InsufficientFunds(
            f"The committee's funds for this contract hold {funds_fen} fen; {amount_fen} fen asked.",
            available_fen=funds_fen,
        )


def amend_open_milestones(open_amounts: Sequence[int], delta_fen: int) -> list[int]:
    """Apply a change of contract value to the open milestones: the last one takes it."""
    if not open_amounts:
        if delta_fen:
            raise InvalidTerms({"value_fen": ["No open milestone is left to take a change of value."]})
        return []
    amounts = list(open_amounts)
    amounts[-1] += delta_fen
    if amounts[-1] <= 0:
        raise InvalidTerms(
            {"value_fen": ["The reduction is larger than the last open milestone; reduce by less."]}
        )
    return amounts
