"""Scheme validation: the committee's weight, exact sums, the tree, formulas and grade bands."""

from decimal import Decimal
from fractions import Fraction

import pytest

from services.evaluation.domain.model import SchemeInvalid
from services.evaluation.domain.tree import parse_definition
from tests.unit.evaluation.samples import template, two_indicator_definition


def refused(definition):
    with pytest.raises(SchemeInvalid) as caught:
        parse_definition(definition)
    return caught.value


def test_default_template_is_valid_with_the_committee_at_half():
    scheme = parse_definition(template())
    assert scheme.committee_weight == Decimal("0.5")
    assert sum(g for _, g, _ in scheme.indicators()) == 1


def test_committee_weight_below_half_is_rejected_naming_the_rule():
    error = refused(two_indicator_definition(committee="0.49", subdistrict="0.31"))
    assert error.problem_status == 422
    assert error.problem_type == "committee-weight-at-least-half"
    assert error.extra["rules"] == ["committee-weight-at-least-half"]
    assert "at least 0.5" in error.detail and "0.49" in error.detail
    assert error.errors == {"parties": [error.detail]}


def test_committee_weight_of_exactly_half_is_accepted():
    assert parse_definition(two_indicator_definition("0.5", "0.3", "0.2")).committee_weight == Decimal("0.5")


def test_committee_weight_given_as_float_half_is_exactly_half():
    definition = two_indicator_definition()
    definition["parties"][0]["weight"] = 0.5
    assert parse_definition(definition).committee_weight == Decimal("0.5")


def test_party_weights_not_summing_to_one_are_rejected():
    error = refused(two_indicator_definition("0.5", "0.3", "0.3"))
    assert error.problem_type == "party-weights-sum-to-one"
    assert "sum to 1.1" in error.detail


def test_weights_that_floats_would_not_sum_to_one_sum_exactly():
    assert 0.7 + 0.2 + 0.1 != 1.0  # why weights are decimals
    definition = two_indicator_definition("0.7", "0.2", "0.1")
    definition["parties"] = [
        {"party": p, "weight": w} for p, w in (("committee", 0.7), ("subdistrict", 0.2), ("third_party", 0.1))
    ]
    definition["dimensions"][0]["children"] = [
        {"code": c, "name": c, "weight": w, "source": "party"}
        for c, w in (("A", 0.7), ("B", 0.2), ("C", 0.1))
    ]
    scheme = parse_definition(definition)
    assert [g for _, g, _ in scheme.indicators()] == [Fraction(7, 10), Fraction(2, 10), Fraction(1, 10)]


def test_indicator_weights_not_summing_to_one_within_a_node_are_rejected():
    definition = two_indicator_definition()
    definition["dimensions"][0]["children"][1]["weight"] = "0.4"
    error = refused(definition)
    assert error.problem_type == "indicator-weights-sum-to-one"
    assert error.errors == {
        "dimensions.d": ["The weights under dimensions.d must sum to exactly 1 (they sum to 0.9)."]
    }


def test_dimension_weights_not_summing_to_one_are_rejected():
    definition = template()
    definition["dimensions"][0]["weight"] = "0.3"
    assert refused(definition).errors == {
        "dimensions": ["The weights under dimensions must sum to exactly 1 (they sum to 1.10)."]
    }


def test_every_broken_rule_is_reported():
    definition = two_indicator_definition("0.4", "0.3", "0.2")
    definition["dimensions"][0]["children"][0]["weight"] = "0.123456"
    error = refused(definition)
    assert error.extra["rules"] == [
        "committee-weight-at-least-half",
        "party-weights-sum-to-one",
        "weight-precision",
    ]


def test_committee_must_be_a_party():
    definition = two_indicator_definition()
    definition["parties"] = [{"party": "subdistrict", "weight": "1"}]
    assert refused(definition).problem_type == "committee-party-required"


def test_party_listed_twice_is_rejected():
    definition = two_indicator_definition()
    definition["parties"].append({"party": "committee", "weight": "0.1"})
    assert refused(definition).problem_type == "party-listed-once"


@pytest.mark.parametrize("weight", ["0", "-0.1", "1.5", "NaN", "x"])
def test_weights_outside_zero_to_one_are_rejected(weight):
    definition = two_indicator_definition()
    definition["dimensions"][0]["children"][0]["weight"] = weight
    assert refused(definition).problem_type == "weight-range"


def test_duplicate_codes_are_rejected():
    definition = two_indicator_definition()
    definition["dimensions"][0]["children"][1]["code"] = "A"
    error = refused(definition)
    assert error.problem_type == "codes-unique"
    assert "dimensions.d.A" in error.errors


def with_metric_indicator(metric, **params):
    """The two-indicator definition whose second indicator, B, is computed from `metric`."""
    definition = two_indicator_definition()
    definition["dimensions"][0]["children"][1] = {
        "code": "B",
        "name": "B",
        "weight": "0.5",
        "source": "metric",
        "metric": metric,
        **params,
    }
    return definition


def test_unknown_metric_is_rejected():
    definition = with_metric_indicator("happiness", formula="linear", target="1")
    assert refused(definition).problem_type == "metric-unknown"


@pytest.mark.parametrize(
    "params",
    [
        {"formula": "eval", "target": "1"},
        {"formula": "linear", "target": "0"},
        {"formula": "linear", "target": "5", "floor": "6"},
        {"formula": "inverse_linear", "target": "900"},
        {"formula": "inverse_linear", "target": "900", "worst": "600"},
        {"formula": "ratio", "target": "0.9", "worst": "1"},
        {"formula": "ratio"},
    ],
)
def test_formula_parameters_that_cannot_score_are_rejected(params):
    error = refused(with_metric_indicator("wait_p90_seconds", **params))
    assert error.problem_type == "metric-formula-parameters"
    assert list(error.errors) == ["dimensions.d.B.formula"]


def test_party_indicator_with_a_formula_is_rejected():
    definition = two_indicator_definition()
    definition["dimensions"][0]["children"][0]["formula"] = "linear"
    assert refused(definition).problem_type == "party-indicator-has-no-formula"


def test_grade_bands_must_descend():
    definition = two_indicator_definition()
    definition["grade_bands"] = {"excellent": "80", "good": "80", "pass": "60"}
    assert refused(definition).problem_type == "grade-bands-descending"


def test_tree_deeper_than_four_levels_is_rejected():
    leaf = {"code": "L", "name": "leaf", "weight": "1", "source": "party"}
    node = leaf
    for depth in range(5):
        node = {"code": f"N{depth}", "name": "n", "weight": "1", "children": [node]}
    definition = two_indicator_definition()
    definition["dimensions"] = [node]
    assert refused(definition).problem_type == "tree-depth"


def test_nested_dimensions_multiply_weights_down_the_tree():
    definition = two_indicator_definition()
    definition["dimensions"] = [
        {
            "code": "d1",
            "name": "one",
            "weight": "0.6",
            "children": [
                {
                    "code": "s1",
                    "name": "sub",
                    "weight": "0.5",
                    "children": [{"code": "A", "name": "A", "weight": "1", "source": "party"}],
                },
                {"code": "B", "name": "B", "weight": "0.5", "source": "party"},
            ],
        },
        {"code": "C", "name": "C", "weight": "0.4", "source": "party"},
    ]
    scheme = parse_definition(definition)
    assert {i.code: (g, p) for i, g, p in scheme.indicators()} == {
        "A": (Fraction(3, 10), ("d1", "s1", "A")),
        "B": (Fraction(3, 10), ("d1", "B")),
        "C": (Fraction(2, 5), ("C",)),
    }


def test_stored_document_parses_back_to_the_same_scheme():
    scheme = parse_definition(template())
    assert parse_definition(scheme.to_document()) == scheme
