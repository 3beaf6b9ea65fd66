"""The result of a round: per-indicator, per-party and weighted total scores, grade, sensitivity.

Every party fills the same sheet: it scores each party indicator (0–100; a party's score
is the mean of its members' sheets), and metric indicators enter every party's sheet with
the value the platform measured. So a party's total is Σ global weight × score, the
round's total is Σ party weight × party total, and the committee's share of the total is
exactly its weight. Arithmetic is exact (fractions); published figures are rounded to two
decimals half up, and the grade is read from the published total.

Sensitivity: the total is linear in the committee's weight c when the other parties keep
their proportions, T(c) = c × committee total + (1 − c) × (others' weighted mean), so the
line reports the score and grade at c = 0.5 (the rule's minimum) and c = 1 (the maximum).
Standard library only.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

from . import formulas
from .model import (
    COMMITTEE,
    COMMITTEE_MAXIMUM,
    COMMITTEE_MINIMUM,
    RESIDENT_SURVEY,
    SURVEY_FROM_RATINGS,
    ScoresIncomplete,
    grade,
    round_score,
)
from .tree import METRIC, Indicator, Node, Scheme

Sheets = Mapping[str, Mapping[str, Mapping[str, Decimal]]]  # party → member → indicator → score


def survey_score(mean: Decimal | None) -> Fraction | None:
    """Residents' mean rating 1–5 as a 0–100 score: (mean − 1) / 4 × 100."""
    return None if mean is None else (Fraction(mean) - 1) / 4 * 100


def _number(value: Fraction | Decimal | None) -> float | None:
    return None if value is None else float(round_score(value))


def _weight(value: Fraction) -> float:
    return round(float(value), 6)


class _Sheets:
    """Each party's score per indicator (mean of its members), and what is missing."""

    def __init__(self, scheme: Scheme, sheets: Sheets, metrics: Mapping[str, Decimal | None]):
        self.scheme = scheme
        self.members = {party: len(sheets.get(party, {})) for party in scheme.parties}
        self.metric_scores: dict[str, Fraction | None] = {}
        self.scores: dict[str, dict[str, Fraction]] = {party: {} for party in scheme.parties}
        missing: dict[str, list[str]] = {}
        computed_survey = scheme.survey_mode == SURVEY_FROM_RATINGS
        survey = self._survey(metrics) if RESIDENT_SURVEY in scheme.parties else None
        for indicator, _, _ in scheme.indicators():
            if indicator.source == METRIC:
                value = metrics.get(indicator.metric or "")
                self.metric_scores[indicator.code] = formulas.score(
                    indicator.formula or "",
                    value,
                    indicator.target or Decimal(0),
                    indicator.floor,
                    indicator.worst,
                )
                continue
            for party in scheme.parties:
                if party == RESIDENT_SURVEY and computed_survey:
                    self.scores[party][indicator.code] = survey  # type: ignore[assignment]
                    continue
                given = [
                    member[indicator.code]
                    for member in sheets.get(party, {}).values()
                    if indicator.code in member
                ]
                if not given:
                    missing.setdefault(party, []).append(indicator.code)
                    continue
                self.scores[party][indicator.code] = sum(map(Fraction, given)) / len(given)
        if missing:
            raise ScoresIncomplete(missing)

    def _survey(self, metrics: Mapping[str, Decimal | None]) -> Fraction | None:
        if self.scheme.survey_mode != SURVEY_FROM_RATINGS:
            return None
        count = int(metrics.get("satisfaction_count") or 0)
        if count < self.scheme.survey_min_responses:
            raise ScoresIncomplete(
                {RESIDENT_SURVEY: ["satisfaction_count"]},
                detail=f"The resident survey needs at least {self.scheme.survey_min_responses} "
                f"residents' ratings in the period; {count} were recorded.",
            )
        return survey_score(metrics.get("satisfaction_mean"))

    def score(self, party: str, indicator: Indicator) -> Fraction:
        if indicator.source == METRIC:
            return self.metric_scores[indicator.code] or Fraction(0)
        return self.scores[party][indicator.code]


def compute_result(scheme: Scheme, sheets: Sheets, metrics: Mapping[str, Decimal | None]) -> dict[str, Any]:
    """The round's result document (raises `ScoresIncomplete` when a score is missing)."""
    filled = _Sheets(scheme, sheets, metrics)
    weights = {party: Fraction(w) for party, w in scheme.parties.items()}
    leaves = list(scheme.indicators())
    party_totals = {
        party: sum((g * filled.score(party, ind) for ind, g, _ in leaves), Fraction(0)) for party in weights
    }
    total = sum((weights[p] * party_totals[p] for p in weights), Fraction(0))
    published = round_score(total)
    indicator_scores = {
        ind.code: sum((weights[p] * filled.score(p, ind) for p in weights), Fraction(0))
        for ind, _, _ in leaves
    }
    return {
        "score": float(published),
        "grade": grade(published, scheme.bands),
        "committee_weight": float(scheme.committee_weight),
        "grade_bands": {name: float(bound) for name, bound in scheme.bands.items()},
        "parties": [
            {
                "party": p,
                "weight": float(scheme.parties[p]),
                "score": _number(party_totals[p]),
                "contribution": _number(weights[p] * party_totals[p]),
                "sheets": filled.members[p],
                "computed": p == RESIDENT_SURVEY and scheme.survey_mode == SURVEY_FROM_RATINGS,
            }
            for p in weights
        ],
        "indicators": [
            _indicator_entry(ind, g, path, filled, indicator_scores, metrics, weights)
            for ind, g, path in leaves
        ],
        "dimensions": _dimension_entries(scheme.dimensions, Fraction(1), (), indicator_scores),
        "sensitivity": sensitivity(scheme, party_totals),
        "survey": _survey_entry(scheme, metrics),
    }


def _indicator_entry(
    ind: Indicator,
    weight: Fraction,
    path: tuple[str, ...],
    filled: _Sheets,
    scores: Mapping[str, Fraction],
    metrics: Mapping[str, Decimal | None],
    weights: Mapping[str, Fraction],
) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "code": ind.code,
        "name": ind.name,
        "path": list(path),
        "source": ind.source,
        "weight": _weight(weight),
        "score": _number(scores[ind.code]),
        "contribution": _number(weight * scores[ind.code]),
    }
    if ind.source == METRIC:
        value = metrics.get(ind.metric or "")
        entry["metric"] = {
            "name": ind.metric,
            "value": None if value is None else float(value),
            "formula": ind.formula,
            "target": float(ind.target or 0),
            "floor": None if ind.floor is None else float(ind.floor),
            "worst": None if ind.worst is None else float(ind.worst),
            "no_data": filled.metric_scores[ind.code] is None,
        }
    else:
        entry["party_scores"] = {p: _number(filled.score(p, ind)) for p in weights}
    return entry


def _dimension_entries(
    items: tuple[Node | Indicator, ...],
    weight: Fraction,
    path: tuple[str, ...],
    scores: Mapping[str, Fraction],
) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    for item in items:
        if not isinstance(item, Node):
            continue
        here = weight * Fraction(item.weight)
        inner = Scheme("", {}, item.children)
        score = sum((Fraction(g) * scores[ind.code] for ind, g, _ in inner.indicators()), Fraction(0))
        entries.append(
            {
                "code": item.code,
                "name": item.name,
                "path": [*path, item.code],
                "weight": _weight(here),
                "score": _number(score),
                "contribution": _number(here * score),
            }
        )
        entries.extend(_dimension_entries(item.children, here, (*path, item.code), scores))
    return entries


def sensitivity(scheme: Scheme, party_totals: Mapping[str, Fraction]) -> list[dict[str, Any]]:
    """Score and grade with the committee's weight at 0.5 and at 1, others rescaled."""
    others = {p: Fraction(w) for p, w in scheme.parties.items() if p != COMMITTEE}
    others_weight = sum(others.values(), Fraction(0))
    others_mean = (
        (sum((w * party_totals[p] for p, w in others.items()), Fraction(0)) / others_weight)
        if others_weight
        else None
    )
    line = []
    for committee_weight in (COMMITTEE_MINIMUM, COMMITTEE_MAXIMUM):
        c = Fraction(committee_weight)
        if others_mean is None and c < 1:
            line.append({"committee_weight": float(c), "score": None, "grade": None})
            continue
        total = c * party_totals[COMMITTEE] + (1 - c) * (others_mean or 0)
        published = round_score(total)
        line.append(
            {"committee_weight": float(c), "score": float(published), "grade": grade(published, scheme.bands)}
        )
    return line


def _survey_entry(scheme: Scheme, metrics: Mapping[str, Decimal | None]) -> dict[str, Any] | None:
    if RESIDENT_SURVEY not in scheme.parties:
        return None
    if scheme.survey_mode != SURVEY_FROM_RATINGS:
        return {"mode": scheme.survey_mode}
    mean = metrics.get("satisfaction_mean")
    return {
        "mode": scheme.survey_mode,
        "ratings": int(metrics.get("satisfaction_count") or 0),
        "mean": None if mean is None else float(mean),
        "score": _number(survey_score(mean)),
        "min_responses": scheme.survey_min_responses,
    }
