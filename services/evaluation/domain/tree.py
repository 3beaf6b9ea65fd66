"""The evaluation scheme: parties with weights and a tree of dimensions and indicators.

`parse_definition` checks every rule and raises `SchemeInvalid` naming the broken ones:
party weights sum to exactly 1 and the committee's is at least 0.5; the weights of each
node's children sum to exactly 1 (or come from a consistent AHP matrix); codes are
unique; metric indicators name a known metric and a formula with fitting parameters;
grade bands descend. Weights are exact decimals (Decimal, at most 4 places), so 0.5 is
exactly 0.5. Standard library only.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from . import ahp, formulas
from .model import (
    COMMITTEE,
    COMMITTEE_MINIMUM,
    DEFAULT_BANDS,
    EXCELLENT,
    GOOD,
    PARTIES,
    PASS,
    SURVEY_ENTERED,
    SURVEY_FROM_RATINGS,
    WEIGHT_PLACES,
    SchemeInvalid,
    Violation,
    places,
)

PARTY, METRIC = "party", "metric"
MAX_DEPTH = 4
MAX_NODES = 300
DEFAULT_MIN_RESPONSES = 30


@dataclass(frozen=True)
class Indicator:
    """A leaf: scored by the parties (`party`) or computed from a metric (`metric`)."""

    code: str
    name: str
    weight: Decimal
    source: str
    metric: str | None = None
    formula: str | None = None
    target: Decimal | None = None
    floor: Decimal | None = None
    worst: Decimal | None = None


@dataclass(frozen=True)
class Node:
    """A dimension (or sub-dimension) grouping children whose weights sum to 1."""

    code: str
    name: str
    weight: Decimal
    children: tuple[Node | Indicator, ...]
    ahp: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class Scheme:
    """A validated scheme definition."""

    title: str
    parties: Mapping[str, Decimal]
    dimensions: tuple[Node | Indicator, ...]
    bands: Mapping[str, Decimal] = field(default_factory=lambda: dict(DEFAULT_BANDS))
    survey_mode: str = SURVEY_FROM_RATINGS
    survey_min_responses: int = DEFAULT_MIN_RESPONSES
    ahp: Mapping[str, Any] | None = None

    @property
    def committee_weight(self) -> Decimal:
        return self.parties[COMMITTEE]

    def indicators(self) -> Iterator[tuple[Indicator, Fraction, tuple[str, ...]]]:
        """Every leaf with its global weight (product down the tree) and its path of codes."""

        def walk(
            items: Sequence[Node | Indicator], weight: Fraction, path: tuple[str, ...]
        ) -> Iterator[tuple[Indicator, Fraction, tuple[str, ...]]]:
            for item in items:
                here = weight * Fraction(item.weight)
                if isinstance(item, Node):
                    yield from walk(item.children, here, (*path, item.code))
                else:
                    yield item, here, (*path, item.code)

        return walk(self.dimensions, Fraction(1), ())

    def party_indicators(self) -> list[str]:
        return [ind.code for ind, _, _ in self.indicators() if ind.source == PARTY]

    def to_document(self) -> dict[str, Any]:
        """The JSON form stored with a scheme version (decimals as strings)."""
        return {
            "title": self.title,
            "parties": [{"party": p, "weight": str(w)} for p, w in self.parties.items()],
            "grade_bands": {k: str(v) for k, v in self.bands.items()},
            "survey": {"mode": self.survey_mode, "min_responses": self.survey_min_responses},
            "ahp": dict(self.ahp) if self.ahp else None,
            "dimensions": [_item_document(item) for item in self.dimensions],
        }


def _item_document(item: Node | Indicator) -> dict[str, Any]:
    if isinstance(item, Node):
        return {
            "code": item.code,
            "name": item.name,
            "weight": str(item.weight),
            "ahp": dict(item.ahp) if item.ahp else None,
            "children": [_item_document(child) for child in item.children],
        }
    document: dict[str, Any] = {
        "code": item.code,
        "name": item.name,
        "weight": str(item.weight),
        "source": item.source,
    }
    if item.source == METRIC:
        document.update(
            metric=item.metric,
            formula=item.formula,
            target=str(item.target),
            floor=_str(item.floor),
            worst=_str(item.worst),
        )
    return document


def _str(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _decimal(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value)) if not isinstance(value, Decimal) else value
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


class _Checker:
    """Walks a definition, collecting violations and building the validated scheme."""

    def __init__(self) -> None:
        self.violations: list[Violation] = []
        self.codes: set[str] = set()
        self.count = 0

    def fail(self, rule: str, path: str, message: str) -> None:
        self.violations.append(Violation(rule, path, message))

    def weight(self, raw: Any, path: str, *, required: bool = True) -> Decimal | None:
        if raw is None:
            if required:
                self.fail("weight-required", path, "Give a weight (or an AHP matrix on the parent).")
            return None
        value = _decimal(raw)
        if value is None or not Decimal(0) < value <= Decimal(1):
            self.fail("weight-range", path, "A weight is a number above 0 and at most 1.")
            return None
        if places(value) > WEIGHT_PLACES:
            self.fail(
                "weight-precision",
                path,
                f"Weights carry at most {WEIGHT_PLACES} decimal places (basis points).",
            )
            return None
        return value

    def parties(self, raw: Sequence[Mapping[str, Any]]) -> dict[str, Decimal]:
        result: dict[str, Decimal] = {}
        for i, entry in enumerate(raw):
            party = entry.get("party")
            if party not in PARTIES:
                self.fail("party-unknown", f"parties.{i}.party", f"Parties are {', '.join(PARTIES)}.")
                continue
            if party in result:
                self.fail("party-listed-once", f"parties.{i}.party", f"{party} is listed twice.")
                continue
            weight = self.weight(entry.get("weight"), f"parties.{i}.weight")
            if weight is not None:
                result[party] = weight
        if COMMITTEE not in result:
            if not any(v.path.startswith("parties.") for v in self.violations):
                self.fail(
                    "committee-party-required",
                    "parties",
                    "The residents' committee must be one of the evaluating parties.",
                )
            return result
        if len(result) == len(raw) and sum(result.values()) != 1:
            self.fail(
                "party-weights-sum-to-one",
                "parties",
                f"Party weights must sum to exactly 1 (they sum to {sum(result.values())}).",
            )
        if result[COMMITTEE] < COMMITTEE_MINIMUM:
            self.fail(
                "committee-weight-at-least-half",
                "parties",
                f"The residents' committee's weight must be at least {COMMITTEE_MINIMUM} "
                f"(got {result[COMMITTEE]}).",
            )
        return result

    def children(
        self, raw: Sequence[Mapping[str, Any]], ahp_input: Mapping[str, Any] | None, path: str, depth: int
    ) -> tuple[tuple[Node | Indicator, ...], dict[str, Any] | None]:
        if not raw:
            self.fail("children-required", path, "A dimension needs at least one indicator.")
            return (), None
        matrix = (ahp_input or {}).get("matrix")
        derived, summary = self.ahp_weights(matrix, len(raw), path) if matrix else (None, None)
        items: list[Node | Indicator] = []
        for i, entry in enumerate(raw):
            given = entry.get("weight")
            if derived is not None and given is not None and _decimal(given) != derived[i]:
                self.fail(
                    "weights-or-ahp",
                    f"{path}.{entry.get('code', i)}.weight",
                    "Give either weights or an AHP matrix for these children, not both.",
                )
            weight = (
                derived[i]
                if derived is not None
                else self.weight(given, f"{path}.{entry.get('code', i)}.weight")
            )
            item = self.item(entry, weight, path, depth)
            if item is not None:
                items.append(item)
        weights = [item.weight for item in items]
        if len(items) == len(raw) and all(w is not None for w in weights) and sum(weights) != 1:
            self.fail(
                "indicator-weights-sum-to-one",
                path,
                f"The weights under {path} must sum to exactly 1 (they sum to {sum(weights)}).",
            )
        return tuple(items), summary

    def ahp_weights(
        self, matrix: Any, size: int, path: str
    ) -> tuple[list[Decimal] | None, dict[str, Any] | None]:
        try:
            result = ahp.derive(matrix)
        except ahp.InvalidMatrix as exc:
            self.fail("ahp-matrix-invalid", f"{path}.ahp", f"AHP matrix: {exc}.")
            return None, None
        if len(result.weights) != size:
            self.fail(
                "ahp-matrix-invalid",
                f"{path}.ahp",
                f"The AHP matrix compares {len(result.weights)} elements; there are {size}.",
            )
            return None, None
        if not result.consistent:
            self.fail(
                "ahp-consistency-ratio-below-0.1",
                f"{path}.ahp",
                f"The comparisons are too inconsistent: consistency ratio "
                f"{result.consistency_ratio:.3f} is not below {ahp.CONSISTENCY_LIMIT}; "
                "revise the judgements.",
            )
            return None, None
        summary = {
            "matrix": [[str(ahp.parse_judgement(v)) for v in row] for row in matrix],
            "lambda_max": round(result.lambda_max, 4),
            "consistency_index": round(result.consistency_index, 4),
            "consistency_ratio": round(result.consistency_ratio, 4),
        }
        return ahp.to_basis_points(result.weights), summary

    def item(
        self, raw: Mapping[str, Any], weight: Decimal | None, parent: str, depth: int
    ) -> Node | Indicator | None:
        code, name = str(raw.get("code", "")), str(raw.get("name", ""))
        path = f"{parent}.{code}"
        self.count += 1
        if code in self.codes:
            self.fail("codes-unique", path, f"The code {code!r} is used twice in this scheme.")
        self.codes.add(code)
        if raw.get("children") is not None:
            if raw.get("source") is not None:
                self.fail("node-or-indicator", path, "A node with children has no source.")
            if depth >= MAX_DEPTH:
                self.fail("tree-depth", path, f"The tree is at most {MAX_DEPTH} levels deep.")
                return None
            children, summary = self.children(raw["children"], raw.get("ahp"), path, depth + 1)
            return None if weight is None else Node(code, name, weight, children, summary)
        return self.indicator(raw, code, name, weight, path)

    def indicator(
        self, raw: Mapping[str, Any], code: str, name: str, weight: Decimal | None, path: str
    ) -> Indicator | None:
        source = raw.get("source")
        metric_fields = ("metric", "formula", "target", "floor", "worst")
        if source == PARTY:
            if any(raw.get(f) is not None for f in metric_fields):
                self.fail(
                    "party-indicator-has-no-formula",
                    path,
                    "A party-scored indicator takes no metric, formula or target.",
                )
            return None if weight is None else Indicator(code, name, weight, PARTY)
        if source != METRIC:
            self.fail(
                "indicator-source",
                path,
                "An indicator's source is 'party' or 'metric' (or give it children to make it a dimension).",
            )
            return None
        metric = raw.get("metric")
        if metric not in formulas.METRICS:
            self.fail(
                "metric-unknown",
                f"{path}.metric",
                f"Unknown metric {metric!r}; known: {', '.join(formulas.METRICS)}.",
            )
            return None
        target, floor, worst = (_decimal(raw.get(f)) for f in ("target", "floor", "worst"))
        try:
            formulas.check_parameters(str(raw.get("formula")), target, floor, worst)
        except formulas.FormulaInvalid as exc:
            self.fail("metric-formula-parameters", f"{path}.formula", f"{exc}.")
            return None
        if weight is None:
            return None
        return Indicator(code, name, weight, METRIC, metric, raw["formula"], target, floor, worst)

    def bands(self, raw: Mapping[str, Any] | None) -> dict[str, Decimal]:
        if not raw:
            return dict(DEFAULT_BANDS)
        values = {name: _decimal(raw.get(name)) for name in (EXCELLENT, GOOD, PASS)}
        ok = all(v is not None and Decimal(0) < v <= 100 and places(v) <= 2 for v in values.values())
        if not ok or not values[EXCELLENT] > values[GOOD] > values[PASS]:  # type: ignore[operator]
            self.fail(
                "grade-bands-descending",
                "grade_bands",
                "Grade bands need excellent > good > pass, each above 0 and at most 100.",
            )
            return dict(DEFAULT_BANDS)
        return values  # type: ignore[return-value]


def parse_definition(raw: Mapping[str, Any]) -> Scheme:
    """Validate a scheme definition (API input or a stored document)."""
    checker = _Checker()
    parties = checker.parties(raw.get("parties") or [])
    dimensions, summary = checker.children(raw.get("dimensions") or [], raw.get("ahp"), "dimensions", 1)
    if checker.count > MAX_NODES:
        checker.fail("tree-size", "dimensions", f"A scheme has at most {MAX_NODES} nodes.")
    if (
        checker.count
        and not checker.violations
        and not any(True for _ in Scheme("", {}, dimensions).indicators())
    ):
        checker.fail("children-required", "dimensions", "The scheme has no indicator.")
    bands = checker.bands(raw.get("grade_bands"))
    survey = raw.get("survey") or {}
    mode = survey.get("mode", SURVEY_FROM_RATINGS)
    if mode not in (SURVEY_FROM_RATINGS, SURVEY_ENTERED):
        checker.fail("survey-mode", "survey.mode", "The survey mode is 'ratings' or 'entered'.")
    if checker.violations:
        raise SchemeInvalid(checker.violations)
    return Scheme(
        title=str(raw.get("title", "")),
        parties=parties,
        dimensions=dimensions,
        bands=bands,
        survey_mode=mode,
        survey_min_responses=int(survey.get("min_responses", DEFAULT_MIN_RESPONSES)),
        ahp=summary,
    )
