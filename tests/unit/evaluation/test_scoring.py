"""Scoring a round: weighted totals, grades at their edges, contributions, sensitivity."""

from decimal import Decimal

import pytest

from services.evaluation.domain.model import ScoresIncomplete, grade, round_score
from services.evaluation.domain.scoring import compute_result
from services.evaluation.domain.tree import parse_definition
from tests.unit.evaluation.samples import template, two_indicator_definition

NO_METRICS: dict = {}


def sheets(**by_party):
    """party=(A, B) → one member's sheet per party; party=[(A, B), ...] → several members."""
    result = {}
    for party, value in by_party.items():
        members = value if isinstance(value, list) else [value]
        result[party] = {
            f"{party}-{i}": {"A": Decimal(str(a)), "B": Decimal(str(b))} for i, (a, b) in enumerate(members)
        }
    return result


def everyone(a, b):
    return sheets(committee=(a, b), subdistrict=(a, b), third_party=(a, b))


def score_of(result):
    return Decimal(str(result["score"]))


@pytest.mark.parametrize(
    "a, b, expected_score, expected_grade",
    [
        ("90", "90", "90.00", "excellent"),
        ("89.99", "89.99", "89.99", "good"),
        ("80", "80", "80.00", "good"),
        ("79.99", "79.99", "79.99", "pass"),
        ("60", "60", "60.00", "pass"),
        ("59.99", "59.99", "59.99", "fail"),
        ("100", "100", "100.00", "excellent"),
        ("0", "0", "0.00", "fail"),
    ],
)
def test_grade_edges_are_inclusive_lower_bounds(a, b, expected_score, expected_grade):
    result = compute_result(parse_definition(two_indicator_definition()), everyone(a, b), NO_METRICS)
    assert score_of(result) == Decimal(expected_score)
    assert result["grade"] == expected_grade


def test_published_score_rounds_half_up_and_the_grade_follows_it():
    scheme = parse_definition(two_indicator_definition())
    just_pass = compute_result(scheme, everyone("59.99", "60"), NO_METRICS)  # 59.995
    just_fail = compute_result(scheme, everyone("59.98", "59.99"), NO_METRICS)  # 59.985
    assert (score_of(just_pass), just_pass["grade"]) == (Decimal("60.00"), "pass")
    assert (score_of(just_fail), just_fail["grade"]) == (Decimal("59.99"), "fail")


def test_grade_uses_the_schemes_bands():
    bands = {"excellent": Decimal(95), "good": Decimal(85), "pass": Decimal(70)}
    assert [grade(Decimal(s), bands) for s in ("95", "94.99", "85", "70", "69.99")] == [
        "excellent",
        "good",
        "good",
        "pass",
        "fail",
    ]
    assert round_score(Decimal("84.245")) == Decimal("84.25")


def test_weighted_total_contributions_and_the_committees_share():
    scheme = parse_definition(two_indicator_definition("0.6", "0.25", "0.15"))
    result = compute_result(
        scheme, sheets(committee=(90, 100), subdistrict=(60, 80), third_party=(40, 40)), NO_METRICS
    )
    # committee 95, subdistrict 70, third party 40 → 0.6×95 + 0.25×70 + 0.15×40 = 80.5
    assert result["score"] == 80.5 and result["grade"] == "good"
    parties = {p["party"]: p for p in result["parties"]}
    assert {p: (v["score"], v["contribution"]) for p, v in parties.items()} == {
        "committee": (95.0, 57.0),
        "subdistrict": (70.0, 17.5),
        "third_party": (40.0, 6.0),
    }
    assert sum(p["contribution"] for p in result["parties"]) == result["score"]
    indicators = {i["code"]: i for i in result["indicators"]}
    assert indicators["A"]["party_scores"] == {"committee": 90.0, "subdistrict": 60.0, "third_party": 40.0}
    assert indicators["A"]["score"] == 75.0  # 0.6×90 + 0.25×60 + 0.15×40
    assert indicators["B"]["score"] == 86.0  # 0.6×100 + 0.25×80 + 0.15×40
    assert result["dimensions"] == [
        {"code": "d", "name": "Dimension", "path": ["d"], "weight": 1.0, "score": 80.5, "contribution": 80.5}
    ]


def test_a_partys_score_is_the_mean_of_its_members_sheets():
    scheme = parse_definition(two_indicator_definition())
    result = compute_result(
        scheme,
        sheets(committee=[(70, 70), (90, 90), (80, 80)], subdistrict=(80, 80), third_party=(80, 80)),
        NO_METRICS,
    )
    committee = next(p for p in result["parties"] if p["party"] == "committee")
    assert (committee["score"], committee["sheets"]) == (80.0, 3)
    assert result["score"] == 80.0


def test_missing_scores_block_the_result_naming_party_and_indicator():
    scheme = parse_definition(two_indicator_definition())
    partial = sheets(committee=(80, 80), subdistrict=(80, 80))
    partial["subdistrict"]["subdistrict-0"].pop("B")
    with pytest.raises(ScoresIncomplete) as caught:
        compute_result(scheme, partial, NO_METRICS)
    assert caught.value.problem_status == 409
    assert caught.value.errors == {"subdistrict": ["B"], "third_party": ["A", "B"]}


def test_sensitivity_rescales_the_other_parties_proportionally():
    scheme = parse_definition(two_indicator_definition("0.6", "0.25", "0.15"))
    result = compute_result(
        scheme, sheets(committee=(95, 95), subdistrict=(70, 70), third_party=(40, 40)), NO_METRICS
    )
    # others keep 0.25 : 0.15, so their mean is (0.25×70 + 0.15×40) / 0.4 = 58.75
    assert result["sensitivity"] == [
        {"committee_weight": 0.5, "score": 76.88, "grade": "pass"},  # 0.5×95 + 0.5×58.75
        {"committee_weight": 1.0, "score": 95.0, "grade": "excellent"},
    ]
    assert result["grade"] == "good"


def test_sensitivity_at_the_current_weight_reproduces_the_score():
    scheme = parse_definition(two_indicator_definition("0.5", "0.3", "0.2"))
    result = compute_result(
        scheme, sheets(committee=(55, 65), subdistrict=(90, 70), third_party=(30, 50)), NO_METRICS
    )
    assert result["sensitivity"][0] == {
        "committee_weight": 0.5,
        "score": result["score"],
        "grade": result["grade"],
    }


def test_committee_alone_has_no_minimum_end_of_the_sensitivity_line():
    definition = two_indicator_definition()
    definition["parties"] = [{"party": "committee", "weight": "1"}]
    result = compute_result(parse_definition(definition), sheets(committee=(70, 70)), NO_METRICS)
    assert result["sensitivity"] == [
        {"committee_weight": 0.5, "score": None, "grade": None},
        {"committee_weight": 1.0, "score": 70.0, "grade": "pass"},
    ]


def _metrics(**values):
    base = {"satisfaction_count": Decimal(40), "satisfaction_mean": Decimal("4.2")}
    base.update({k: None if v is None else Decimal(str(v)) for k, v in values.items()})
    return base


def _template_sheets(score="80"):
    scheme = parse_definition(template())
    codes = scheme.party_indicators()
    return scheme, {
        party: {"m1": {code: Decimal(score) for code in codes}}
        for party in ("committee", "subdistrict", "third_party")
    }


def test_metric_indicators_enter_every_partys_sheet_and_survey_comes_from_ratings():
    scheme, filled = _template_sheets("80")
    result = compute_result(
        scheme,
        filled,
        _metrics(
            wait_p90_seconds=2250,
            case_on_time_rate="0.855",
            inspection_coverage=1,
            reopen_rate="0.05",
            satisfaction_mean="4.2",
        ),
    )
    indicators = {i["code"]: i for i in result["indicators"]}
    assert indicators["P3"]["score"] == 50.0  # (3600 − 2250) / (3600 − 900)
    assert indicators["O2"]["score"] == 90.0  # 0.855 / 0.95
    assert indicators["O3"]["score"] == 100.0
    assert indicators["E3"]["score"] == 100.0  # at the target
    assert indicators["S1"]["score"] == 91.43  # (4.2 − 1) / (4.5 − 1)
    assert indicators["P1"]["party_scores"]["resident_survey"] == 80.0  # (4.2 − 1) / 4
    survey = next(p for p in result["parties"] if p["party"] == "resident_survey")
    assert survey["computed"] is True
    assert result["survey"] == {
        "mode": "ratings",
        "ratings": 40,
        "mean": 4.2,
        "score": 80.0,
        "min_responses": 30,
    }


def test_metric_without_data_scores_zero_and_says_so():
    scheme, filled = _template_sheets()
    result = compute_result(scheme, filled, _metrics(wait_p90_seconds=None))
    p3 = next(i for i in result["indicators"] if i["code"] == "P3")
    assert p3["score"] == 0.0 and p3["metric"]["no_data"] is True


def test_too_few_resident_ratings_block_the_result():
    scheme, filled = _template_sheets()
    with pytest.raises(ScoresIncomplete) as caught:
        compute_result(scheme, filled, _metrics(satisfaction_count=29))
    assert "at least 30" in caught.value.detail and "29 were recorded" in caught.value.detail


def test_entered_survey_needs_entered_scores():
    definition = template(survey={"mode": "entered", "min_responses": 30})
    scheme = parse_definition(definition)
    _, filled = _template_sheets()
    with pytest.raises(ScoresIncomplete) as caught:
        compute_result(scheme, filled, _metrics())
    assert list(caught.value.errors) == ["resident_survey"]
