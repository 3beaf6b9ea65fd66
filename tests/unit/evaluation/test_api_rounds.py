"""Rounds through the HTTP API: open, score as one's own party, close, publish, read."""

import pytest

from tests.support.helpers import assert_problem
from tests.unit.evaluation.conftest import close_round, create_scheme, open_round, score


@pytest.fixture
def opened(evaluation, people):
    scheme = create_scheme(evaluation.client, people["committee"])
    return open_round(evaluation.client, people["committee"], scheme["id"])


def fill(client, people, round_id, **by_party):
    for party, (who, a, b) in by_party.items():
        response = score(client, people[who], round_id, party, A=a, B=b)
        assert response.status_code == 200, response.get_json()


def fill_all(client, people, round_id):
    fill(
        client,
        people,
        round_id,
        committee=("committee", 90, 100),
        subdistrict=("subdistrict", 60, 80),
        third_party=("evaluator", 40, 40),
    )


def scores_unchanged(harness, rows, events):
    assert harness.count("round_scores") == rows
    assert harness.count("outbox") == events


def test_opening_freezes_the_scheme_and_publishes_round_opened(evaluation, people):
    scheme = create_scheme(evaluation.client, people["committee"])
    opened = open_round(evaluation.client, people["subdistrict"], scheme["id"])
    assert (opened["status"], opened["scheme_version"]) == ("open", 1)
    assert (opened["period_start"], opened["period_end"]) == ("2026-01-01", "2026-12-31")
    [event] = evaluation.outbox()
    assert event["type"] == "evaluation.round.opened.v1"
    assert event["data"] == {
        "round_id": opened["id"],
        "scheme_id": scheme["id"],
        "scheme_version": 1,
        "contract_id": None,
        "year": 2026,
        "period_start": "2026-01-01",
        "period_end": "2026-12-31",
        "committee_weight": 0.5,
        "opened_at": event["data"]["opened_at"],
    }
    assert opened["progress"][0] == {
        "party": "committee",
        "computed": False,
        "members": 0,
        "indicators_scored": 0,
        "indicators_total": 2,
    }


def test_second_round_for_the_same_series_is_409(evaluation, people, opened):
    response = evaluation.client.post(
        "/rounds", json={"scheme_id": opened["scheme_id"]}, headers=people["committee"]
    )
    assert_problem(response, 409, type_suffix=":round-exists")
    assert evaluation.count("rounds") == 1


@pytest.mark.parametrize("who", ["resident", "staff", "evaluator", "chiwan_committee"])
def test_only_committee_or_subdistrict_of_the_community_open(evaluation, people, who):
    scheme = create_scheme(evaluation.client, people["committee"])
    response = evaluation.client.post("/rounds", json={"scheme_id": scheme["id"]}, headers=people[who])
    assert_problem(response, 403)
    assert evaluation.count("rounds") == 0 and evaluation.count("outbox") == 0


def test_period_ending_before_it_starts_is_422(evaluation, people):
    scheme = create_scheme(evaluation.client, people["committee"])
    response = evaluation.client.post(
        "/rounds",
        headers=people["committee"],
        json={"scheme_id": scheme["id"], "period_start": "2026-06-01", "period_end": "2026-05-31"},
    )
    assert_problem(response, 422, field="period_end")
    assert evaluation.count("rounds") == 0
    assert (
        evaluation.client.get(f"/schemes/{scheme['id']}", headers=people["committee"]).get_json()["status"]
        == "draft"
    )


def test_each_member_scores_as_their_own_party_and_may_revise(evaluation, people, opened):
    first = score(evaluation.client, people["committee"], opened["id"], "committee", A=70, B=80)
    assert first.status_code == 200
    assert [(s["indicator"], s["score"]) for s in first.get_json()] == [("A", 70.0), ("B", 80.0)]
    revised = score(evaluation.client, people["committee"], opened["id"], "committee", A=75.5)
    assert [(s["indicator"], s["score"]) for s in revised.get_json()] == [("A", 75.5), ("B", 80.0)]
    assert evaluation.count("round_scores") == 2
    submitted = [e["data"] for e in evaluation.outbox() if e["type"] == "evaluation.score.submitted.v1"]
    assert [(d["indicator"], d["revised"]) for d in submitted] == [("A", False), ("B", False), ("A", True)]
    assert set(submitted[0]) == {"round_id", "party", "indicator", "revised", "submitted_at"}
    assert "committee-1" not in str(evaluation.outbox())
    mine = evaluation.client.get(f"/rounds/{opened['id']}/scores/mine", headers=people["committee"])
    assert [s["score"] for s in mine.get_json()] == [75.5, 80.0]
    round_view = evaluation.client.get(f"/rounds/{opened['id']}", headers=people["committee"])
    assert round_view.get_json()["status"] == "scoring"


@pytest.mark.parametrize(
    "who, party",
    [
        ("committee", "subdistrict"),
        ("subdistrict", "committee"),
        ("evaluator", "committee"),
        ("admin", "committee"),
        ("staff", "committee"),
        ("resident", "committee"),
        ("chiwan_committee", "committee"),
    ],
)
def test_nobody_scores_for_a_party_they_are_not_a_member_of(evaluation, people, opened, who, party):
    response = score(evaluation.client, people[who], opened["id"], party, A=90)
    problem = assert_problem(response, 403, type_suffix=":forbidden")
    assert problem["detail"].startswith(f"Only members of the {party} party")
    scores_unchanged(evaluation, 0, 1)


def test_the_computed_resident_survey_cannot_be_entered(evaluation, people):
    from tests.unit.evaluation.samples import template

    scheme = create_scheme(evaluation.client, people["committee"], template())
    opened = open_round(evaluation.client, people["committee"], scheme["id"])
    response = score(evaluation.client, people["evaluator"], opened["id"], "resident_survey", P1=90)
    assert_problem(response, 422, type_suffix=":score-refused", field="party")
    scores_unchanged(evaluation, 0, 1)


@pytest.mark.parametrize(
    "scores, field, message",
    [
        ({"Z": 50}, "scores.0.indicator", "No indicator 'Z' in this scheme."),
        ({"A": 50.123}, "scores.0.score", "Scores carry at most 2 decimals."),
    ],
)
def test_bad_scores_are_refused_by_field(evaluation, people, opened, scores, field, message):
    response = score(evaluation.client, people["committee"], opened["id"], "committee", **scores)
    problem = assert_problem(response, 422, type_suffix=":score-refused", field=field)
    assert problem["errors"][field] == [message]
    scores_unchanged(evaluation, 0, 1)


@pytest.mark.parametrize(
    "sheet, field",
    [
        ({"party": "committee", "scores": [{"indicator": "A", "score": 100.5}]}, "scores"),
        ({"party": "committee", "scores": [{"indicator": "A", "score": -1}]}, "scores"),
        ({"party": "committee", "scores": []}, "scores"),
        ({"party": "mayor", "scores": [{"indicator": "A", "score": 1}]}, "party"),
        ({"party": "committee", "scores": [{"indicator": "A", "score": "NaN"}]}, "scores"),
    ],
)
def test_malformed_sheets_are_422(evaluation, people, opened, sheet, field):
    response = evaluation.client.post(
        f"/rounds/{opened['id']}/scores", json=sheet, headers=people["committee"]
    )
    assert_problem(response, 422, type_suffix=":validation-failed", field=field)
    scores_unchanged(evaluation, 0, 1)


def test_duplicate_indicator_in_one_sheet_is_refused(evaluation, people, opened):
    response = evaluation.client.post(
        f"/rounds/{opened['id']}/scores",
        headers=people["committee"],
        json={
            "party": "committee",
            "scores": [{"indicator": "A", "score": 1}, {"indicator": "A", "score": 2}],
        },
    )
    problem = assert_problem(response, 422, type_suffix=":score-refused")
    assert problem["errors"] == {"scores.1.indicator": ["A is scored twice in this sheet."]}
    scores_unchanged(evaluation, 0, 1)


def test_closing_with_missing_scores_is_409_and_changes_nothing(evaluation, people, opened):
    fill(evaluation.client, people, opened["id"], committee=("committee", 90, 100))
    response = close_round(evaluation.client, people["committee"], opened["id"])
    problem = assert_problem(response, 409, type_suffix=":scores-incomplete")
    assert problem["errors"] == {"subdistrict": ["A", "B"], "third_party": ["A", "B"]}
    assert (
        evaluation.client.get(f"/rounds/{opened['id']}", headers=people["committee"]).get_json()["status"]
        == "scoring"
    )
    assert "evaluation.round.completed.v1" not in evaluation.outbox_types()


def test_closing_publishes_the_result_and_round_completed(evaluation, people, opened):
    fill_all(evaluation.client, people, opened["id"])
    response = close_round(evaluation.client, people["committee"], opened["id"])
    assert response.status_code == 200, response.get_json()
    result = response.get_json()
    # committee 95, subdistrict 70, third party 40 → 0.5×95 + 0.3×70 + 0.2×40 = 76.5
    assert (result["score"], result["grade"], result["committee_weight"]) == (76.5, "pass", 0.5)
    assert result["sensitivity"] == [
        {"committee_weight": 0.5, "score": 76.5, "grade": "pass"},
        {"committee_weight": 1.0, "score": 95.0, "grade": "excellent"},
    ]
    completed = evaluation.outbox()[-1]
    assert completed["type"] == "evaluation.round.completed.v1"
    assert completed["subject"] == opened["id"] and completed["community"] == "huaguoshan"
    assert completed["data"] == {
        "round_id": opened["id"],
        "scheme_id": opened["scheme_id"],
        "contract_id": None,
        "year": 2026,
        "score": 76.5,
        "grade": "pass",
        "committee_weight": 0.5,
        "completed_at": completed["data"]["completed_at"],
        "party_weights": {"committee": 0.5, "subdistrict": 0.3, "third_party": 0.2},
        "period_start": "2026-01-01",
        "period_end": "2026-12-31",
        "opened_at": completed["data"]["opened_at"],
        "closed_via": "single_manager",
        "closers": 1,
    }
    assert result["closed_at"] is not None
    assert "committee-1" not in response.get_data(as_text=True)


def test_closed_round_refuses_scores_and_a_second_close(evaluation, people, opened):
    fill_all(evaluation.client, people, opened["id"])
    close_round(evaluation.client, people["committee"], opened["id"])
    events = evaluation.count("outbox")
    late = score(evaluation.client, people["committee"], opened["id"], "committee", A=10)
    problem = assert_problem(late, 409, type_suffix=":illegal-transition")
    assert (problem["transition"], problem["current_status"]) == ("round.score", "closed")
    assert problem["detail"] == (
        "Cannot score a round that is closed (allowed from: open, scoring): "
        "its result is final and published."
    )
    again = close_round(evaluation.client, people["committee"], opened["id"])
    assert_problem(again, 409, type_suffix=":illegal-transition")
    cancel = evaluation.client.post(f"/rounds/{opened['id']}/cancel", headers=people["committee"])
    assert_problem(cancel, 409, type_suffix=":illegal-transition")
    scores_unchanged(evaluation, 6, events)


def test_residents_read_only_published_results_of_their_community(evaluation, people, opened):
    url = f"/rounds/{opened['id']}"
    assert_problem(evaluation.client.get(url, headers=people["resident"]), 403, type_suffix=":not-published")
    assert evaluation.client.get("/rounds", headers=people["resident"]).get_json() == []
    early = evaluation.client.get(f"{url}/result", headers=people["committee"])
    assert_problem(early, 409, type_suffix=":result-not-ready")
    fill_all(evaluation.client, people, opened["id"])
    close_round(evaluation.client, people["committee"], url.rsplit("/", 1)[-1])
    seen = evaluation.client.get(f"{url}/result", headers=people["resident"])
    assert seen.status_code == 200 and seen.get_json()["grade"] == "pass"
    listed = evaluation.client.get("/rounds?status=closed", headers=people["staff"]).get_json()
    assert [r["id"] for r in listed] == [opened["id"]] and "progress" not in listed[0]
    assert_problem(evaluation.client.get(f"{url}/result", headers=people["chiwan_committee"]), 403)
    for secret in ("committee-1", "officer-1", "evaluator-1"):
        assert secret not in seen.get_data(as_text=True)


def test_cancelled_round_frees_the_series_for_a_new_round(evaluation, people, opened):
    cancelled = evaluation.client.post(f"/rounds/{opened['id']}/cancel", headers=people["subdistrict"])
    assert cancelled.get_json()["status"] == "cancelled"
    again = open_round(evaluation.client, people["committee"], opened["scheme_id"])
    assert again["id"] != opened["id"]


def test_closing_the_default_template_scores_metrics_and_the_survey(evaluation, people, feed):
    from tests.unit.evaluation import story
    from tests.unit.evaluation.samples import template

    feed(*story.events())
    scheme = create_scheme(
        evaluation.client, people["committee"], template(survey={"mode": "ratings", "min_responses": 5})
    )
    opened = open_round(evaluation.client, people["committee"], scheme["id"])
    party_codes = ["P1", "P2", "O1", "E1", "E2", "S2", "F1", "F2"]
    for who, party in (
        ("committee", "committee"),
        ("subdistrict", "subdistrict"),
        ("evaluator", "third_party"),
    ):
        response = score(
            evaluation.client, people[who], opened["id"], party, **dict.fromkeys(party_codes, 80)
        )
        assert response.status_code == 200, response.get_json()
    result = close_round(evaluation.client, people["committee"], opened["id"]).get_json()
    indicators = {i["code"]: i for i in result["indicators"]}
    assert indicators["P3"]["metric"]["value"] == 1980.0
    assert indicators["P3"]["score"] == 60.0  # (3600 − 1980) / (3600 − 900)
    assert indicators["O2"]["score"] == 52.63  # 0.5 / 0.95
    assert indicators["O3"]["score"] == 15.0  # coverage 0.15 against 1
    assert indicators["E3"]["score"] == 0.0  # reopen rate 0.3333 beyond the worst 0.3
    assert indicators["S1"]["score"] == 91.43  # (4.2 − 1) / (4.5 − 1)
    assert indicators["P1"]["party_scores"]["resident_survey"] == 80.0
    assert result["metrics"] == story.EXPECTED
    assert result["survey"]["ratings"] == 5
    # Party indicators weigh 0.585 in all and everyone gave 80, the survey 80 too, so the
    # total is 0.585 × 80 + Σ metric weight × metric score.
    metric_part = sum(i["weight"] * i["score"] for i in result["indicators"] if i["source"] == "metric")
    assert result["score"] == pytest.approx(0.585 * 80 + metric_part, abs=0.01) == 67.76


def test_an_entered_survey_is_entered_by_the_evaluator_only(evaluation, people):
    from tests.unit.evaluation.samples import template

    definition = template(survey={"mode": "entered", "min_responses": 30})
    scheme = create_scheme(evaluation.client, people["committee"], definition)
    opened = open_round(evaluation.client, people["committee"], scheme["id"])
    by_committee = score(evaluation.client, people["committee"], opened["id"], "resident_survey", P1=90)
    assert_problem(by_committee, 403)
    by_evaluator = score(evaluation.client, people["evaluator"], opened["id"], "resident_survey", P1=90)
    assert by_evaluator.status_code == 200
    assert by_evaluator.get_json()[0]["party"] == "resident_survey"


def test_metric_indicator_cannot_be_scored_by_hand(evaluation, people):
    from tests.unit.evaluation.samples import template

    scheme = create_scheme(evaluation.client, people["committee"], template())
    opened = open_round(evaluation.client, people["committee"], scheme["id"])
    response = score(evaluation.client, people["committee"], opened["id"], "committee", P3=100)
    problem = assert_problem(response, 422, type_suffix=":score-refused")
    assert problem["errors"] == {"scores.0.indicator": ["P3 is computed from wait_p90_seconds."]}
    assert evaluation.count("round_scores") == 0


def test_a_retried_close_with_its_idempotency_key_gets_the_same_result(evaluation, people, opened):
    fill_all(evaluation.client, people, opened["id"])
    headers = {**people["committee"], "Idempotency-Key": f"close-{opened['id']}"}
    first = close_round(evaluation.client, headers, opened["id"])
    retry = close_round(evaluation.client, headers, opened["id"])
    assert (first.status_code, retry.status_code) == (200, 200)
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert retry.get_json() == first.get_json()
    assert evaluation.outbox_types().count("evaluation.round.completed.v1") == 1


def test_closing_names_the_round_as_read_not_any(evaluation, people, opened):
    fill_all(evaluation.client, people, opened["id"])
    url = f"/rounds/{opened['id']}"
    read = evaluation.client.get(url, headers=people["committee"]).headers["ETag"]
    assert_problem(evaluation.client.post(f"{url}/close", headers=people["committee"]), 428)
    anything = evaluation.client.post(f"{url}/close", headers={**people["committee"], "If-Match": "*"})
    assert "`*` is not accepted" in assert_problem(anything, 412)["detail"]
    revised = score(evaluation.client, people["committee2"], opened["id"], "committee", A=10, B=10)
    assert revised.status_code == 200
    stale = evaluation.client.post(f"{url}/close", headers={**people["committee"], "If-Match": read})
    assert "changed since you read it" in assert_problem(stale, 412)["detail"]
    assert evaluation.client.get(url, headers=people["committee"]).get_json()["status"] == "scoring"
    assert "evaluation.round.completed.v1" not in evaluation.outbox_types()
    assert close_round(evaluation.client, people["committee"], opened["id"]).status_code == 200
