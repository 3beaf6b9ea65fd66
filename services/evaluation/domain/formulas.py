"""Measured metrics and the small, closed set of formulas that turn them into 0–100 scores.

No expression language and no eval(): a metric indicator names one of `METRICS` and one
of `FORMULAS` with numeric parameters, validated when the scheme is saved.
Standard library only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction


@dataclass(frozen=True)
class Metric:
    """A measured quantity of the read model, with its unit and what better means."""

    name: str
    unit: str
    description: str


METRICS = {
    m.name: m
    for m in (
        Metric("tickets_served", "count", "Tickets completed at the windows in the period"),
        Metric("wait_p50_seconds", "seconds", "Median wait from ticket issue to call"),
        Metric("wait_p90_seconds", "seconds", "90th percentile wait from ticket issue to call"),
        Metric("satisfaction_mean", "score 1-5", "Mean of residents' ratings recorded in the period"),
        Metric("satisfaction_count", "count", "Residents' ratings recorded in the period"),
        Metric("cases_resolved", "count", "Cases resolved in the period"),
        Metric(
            "case_on_time_rate",
            "ratio 0-1",
            "Cases resolved on time over cases resolved in the period or overdue in it",
        ),
        Metric("reopen_rate", "ratio 0-1", "Cases first resolved in the period that were reopened"),
        Metric("inspections_done", "count", "Grid inspections completed in the period"),
        Metric("inspections_planned", "count", "Known grid cells × months (one inspection each)"),
        Metric("inspection_coverage", "ratio 0-1", "Cell-months inspected over cell-months planned"),
        Metric("milestones_due", "count", "Contract milestones due in the period"),
        Metric("milestones_met", "count", "Of those, milestones paid or released"),
        Metric("milestone_met_rate", "ratio 0-1", "Milestones met over milestones due"),
    )
}

LINEAR = "linear"
INVERSE_LINEAR = "inverse_linear"
RATIO = "ratio"
FORMULAS = {
    LINEAR: "higher is better: 0 at `floor` (default 0) or below, 100 at `target` or above, linear between",
    INVERSE_LINEAR: "lower is better (waits, reopen rate): 100 at `target` or below, 0 at "
    "`worst` or above, linear between",
    RATIO: "100 × value / target, at most 100 (rates against a target rate)",
}


class FormulaInvalid(ValueError):
    """Formula parameters that cannot score anything."""


def check_parameters(
    formula: str, target: Decimal | None, floor: Decimal | None, worst: Decimal | None
) -> None:
    """Raise `FormulaInvalid` unless the parameters fit the formula."""
    if formula not in FORMULAS:
        raise FormulaInvalid(f"unknown formula {formula!r}; use one of {', '.join(FORMULAS)}")
    if target is None:
        raise FormulaInvalid("a metric indicator needs a target")
    if formula == LINEAR:
        if worst is not None:
            raise FormulaInvalid("`worst` belongs to inverse_linear; linear uses `floor`")
        if target <= (floor or Decimal(0)):
            raise FormulaInvalid("the target must be above the floor")
    elif formula == INVERSE_LINEAR:
        if floor is not None:
            raise FormulaInvalid("`floor` belongs to linear; inverse_linear uses `worst`")
        if worst is None or worst <= target or target < 0:
            raise FormulaInvalid("inverse_linear needs 0 ≤ target < worst")
    else:
        if floor is not None or worst is not None:
            raise FormulaInvalid("ratio takes only a target")
        if target <= 0:
            raise FormulaInvalid("the target ratio must be above 0")


def score(
    formula: str,
    value: Decimal | None,
    target: Decimal,
    floor: Decimal | None = None,
    worst: Decimal | None = None,
) -> Fraction | None:
    """The 0–100 score of a measured `value` (None when nothing was measured)."""
    if value is None:
        return None
    measured, goal = Fraction(value), Fraction(target)
    if formula == LINEAR:
        low = Fraction(floor or 0)
        share = (measured - low) / (goal - low)
    elif formula == INVERSE_LINEAR:
        high = Fraction(worst)  # type: ignore[arg-type]
        share = (high - measured) / (high - goal)
    elif formula == RATIO:
        share = measured / goal
    else:
        raise FormulaInvalid(f"unknown formula {formula!r}")
    return 100 * min(Fraction(1), max(Fraction(0), share))


def percentile(sorted_values: Sequence[float], fraction: float) -> float | None:
    """Linear interpolation between closest ranks (PostgreSQL's percentile_cont)."""
    if not sorted_values:
        return None
    position = (len(sorted_values) - 1) * fraction
    lower = int(position)
    upper = min(lower + 1, len(sorted_values) - 1)
    weight = position - lower
    return sorted_values[lower] + (sorted_values[upper] - sorted_values[lower]) * weight
