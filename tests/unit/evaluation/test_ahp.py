"""AHP weights and consistency against a published worked example.

Source: Thomas L. Saaty, "How to make a decision: The Analytic Hierarchy Process",
European Journal of Operational Research 48 (1990) 9–26, the example of choosing a
house. Its matrix of the eight criteria (size of house, transportation, neighbourhood,
age, yard space, modern facilities, general condition, financing) has the priority
vector .173 .054 .188 .018 .031 .036 .167 .333, λmax = 9.669, C.I. = 0.238 and
C.R. = 0.169, so it is too inconsistent to use (C.R. ≥ 0.1). Its comparison of the three
houses by yard space has the priorities .674 .101 .226, λmax = 3.086, C.R. = 0.074
(acceptable); by general condition .200 .400 .400, λmax = 3.000, C.R. = 0.
The paper publishes three decimals, so the tests compare to three decimals.
"""

import pytest

from services.evaluation.domain import ahp
from services.evaluation.domain.model import SchemeInvalid
from services.evaluation.domain.tree import parse_definition
from tests.unit.evaluation.samples import two_indicator_definition

HOUSE_CRITERIA = [
    [1, 5, 3, 7, 6, 6, "1/3", "1/4"],
    ["1/5", 1, "1/3", 5, 3, 3, "1/5", "1/7"],
    ["1/3", 3, 1, 6, 3, 4, 6, "1/5"],
    ["1/7", "1/5", "1/6", 1, "1/3", "1/4", "1/7", "1/8"],
    ["1/6", "1/3", "1/3", 3, 1, "1/2", "1/5", "1/6"],
    ["1/6", "1/3", "1/4", 4, 2, 1, "1/5", "1/6"],
    [3, 5, "1/6", 7, 5, 5, 1, "1/2"],
    [4, 7, 5, 8, 6, 6, 2, 1],
]
YARD_SPACE = [[1, 5, 4], ["1/5", 1, "1/3"], ["1/4", 3, 1]]
GENERAL_CONDITION = [[1, "1/2", "1/2"], [2, 1, 1], [2, 1, 1]]


def rounded(values, places=3):
    return [round(v, places) for v in values]


def test_house_criteria_match_saaty_1990():
    result = ahp.derive(HOUSE_CRITERIA)
    assert rounded(result.weights) == [0.173, 0.054, 0.188, 0.018, 0.031, 0.036, 0.167, 0.333]
    assert round(result.lambda_max, 3) == 9.669
    assert round(result.consistency_index, 3) == 0.238
    assert round(result.consistency_ratio, 3) == 0.169
    assert not result.consistent


def test_yard_space_comparison_matches_saaty_1990_and_is_consistent_enough():
    result = ahp.derive(YARD_SPACE)
    assert rounded(result.weights) == [0.674, 0.101, 0.226]
    assert round(result.lambda_max, 3) == 3.086
    assert round(result.consistency_ratio, 3) == 0.074
    assert result.consistent


def test_perfectly_consistent_matrix_has_zero_consistency_ratio():
    result = ahp.derive(GENERAL_CONDITION)
    assert rounded(result.weights) == [0.2, 0.4, 0.4]
    assert round(result.lambda_max, 6) == 3.0
    assert result.consistency_ratio == pytest.approx(0.0, abs=1e-9)


def test_decimal_reciprocals_are_accepted_like_fractions():
    decimals = [[1, 5, 4], [0.2, 1, 0.333], [0.25, 3, 1]]
    assert rounded(ahp.derive(decimals).weights) == [0.674, 0.101, 0.226]


@pytest.mark.parametrize(
    "matrix, message",
    [
        ([[1]], "2 to 10"),
        ([[1, 2], [0.5]], "row 2 has 1"),
        ([[2, 2], [0.5, 1]], "must be 1"),
        ([[1, 3], [3, 1]], "not reciprocal"),
        ([[1, 12], ["1/12", 1]], "Saaty's scale"),
        ([[1, "x"], [1, 1]], "not a number"),
        ([[1, True], [1, 1]], "not a number"),
    ],
)
def test_malformed_matrices_are_refused(matrix, message):
    with pytest.raises(ahp.InvalidMatrix, match=message):
        ahp.derive(matrix)


def test_basis_points_keep_the_sum_exactly_one():
    weights = ahp.to_basis_points(ahp.derive(HOUSE_CRITERIA).weights)
    assert sum(weights) == 1
    assert [str(w) for w in ahp.to_basis_points([1 / 3, 1 / 3, 1 / 3])] == ["0.3334", "0.3333", "0.3333"]


def _with_ahp(matrix):
    definition = two_indicator_definition()
    children = [{"code": c, "name": c, "source": "party"} for c in ("A", "B", "C")]
    definition["dimensions"][0]["children"] = children
    definition["dimensions"][0]["ahp"] = {"matrix": matrix}
    return definition


def test_scheme_node_derives_its_weights_from_a_consistent_matrix():
    scheme = parse_definition(_with_ahp(YARD_SPACE))
    node = scheme.dimensions[0]
    assert [str(c.weight) for c in node.children] == ["0.6738", "0.1007", "0.2255"]
    assert node.ahp["consistency_ratio"] == pytest.approx(0.074, abs=5e-4)


def test_scheme_node_with_inconsistent_matrix_is_refused_naming_the_rule():
    inconsistent = [[1, 9, "1/9"], ["1/9", 1, 9], [9, "1/9", 1]]
    with pytest.raises(SchemeInvalid) as caught:
        parse_definition(_with_ahp(inconsistent))
    assert caught.value.problem_type == "ahp-consistency-ratio-below-0.1"
    assert "not below 0.1" in caught.value.detail


def test_weights_and_a_differing_matrix_together_are_refused():
    definition = _with_ahp(YARD_SPACE)
    definition["dimensions"][0]["children"][0]["weight"] = "0.5"
    with pytest.raises(SchemeInvalid) as caught:
        parse_definition(definition)
    assert caught.value.problem_type == "weights-or-ahp"
