"""Schemes through the HTTP API: creation, validation problems, versions, ETags, AHP."""

import pytest

from tests.support.helpers import assert_problem
from tests.unit.evaluation.conftest import create_scheme, open_round
from tests.unit.evaluation.samples import template, two_indicator_definition
from tests.unit.evaluation.test_ahp import HOUSE_CRITERIA, YARD_SPACE, _with_ahp


def body(definition=None, **fields):
    return {"community": "huaguoshan", "year": 2026, **(definition or two_indicator_definition()), **fields}


def nothing_stored(harness):
    assert harness.count("schemes") == 0
    assert harness.count("outbox") == 0


def test_committee_member_creates_the_default_template(evaluation, people):
    created = create_scheme(evaluation.client, people["committee"], template())
    assert created["version"] == 1 and created["status"] == "draft"
    assert created["contract_id"] is None
    assert created["parties"][0] == {"party": "committee", "weight": 0.5}
    process = created["dimensions"][0]
    assert (process["code"], process["weight"]) == ("process", 0.2)
    assert process["children"][2]["metric"] == "wait_p90_seconds"
    assert created["grade_bands"] == {"excellent": 90.0, "good": 80.0, "pass": 60.0}
    assert created["survey"] == {"mode": "ratings", "min_responses": 30}


def test_committee_weight_049_is_422_naming_the_rule_and_stores_nothing(evaluation, people):
    definition = two_indicator_definition(committee="0.49", subdistrict="0.31")
    response = evaluation.client.post("/schemes", json=body(definition), headers=people["committee"])
    problem = assert_problem(response, 422, type_suffix=":committee-weight-at-least-half")
    assert problem["detail"] == ("The residents' committee's weight must be at least 0.5 (got 0.49).")
    assert problem["errors"] == {"parties": [problem["detail"]]}
    assert problem["rules"] == ["committee-weight-at-least-half"]
    nothing_stored(evaluation)


def test_party_weights_summing_to_more_than_one_are_422(evaluation, people):
    response = evaluation.client.post(
        "/schemes", headers=people["committee"], json=body(two_indicator_definition("0.5", "0.3", "0.3"))
    )
    problem = assert_problem(response, 422, type_suffix=":party-weights-sum-to-one")
    assert problem["detail"] == "Party weights must sum to exactly 1 (they sum to 1.1)."
    nothing_stored(evaluation)


def test_indicator_weights_summing_to_less_than_one_are_422(evaluation, people):
    definition = two_indicator_definition()
    definition["dimensions"][0]["children"][0]["weight"] = 0.25
    response = evaluation.client.post("/schemes", json=body(definition), headers=people["committee"])
    problem = assert_problem(response, 422, type_suffix=":indicator-weights-sum-to-one")
    assert problem["errors"] == {
        "dimensions.d": ["The weights under dimensions.d must sum to exactly 1 (they sum to 0.75)."]
    }
    nothing_stored(evaluation)


@pytest.mark.parametrize(
    "change, field",
    [
        ({"community": "atlantis"}, "community"),
        ({"year": 2010}, "year"),
        ({"year": "2026"}, "year"),
        ({"colour": "red"}, "colour"),
        ({"contract_id": "not-a-uuid"}, "contract_id"),
        ({"parties": [{"party": "mayor", "weight": 1}]}, "parties"),
        ({"dimensions": []}, "dimensions"),
        ({"title": ""}, "title"),
    ],
)
def test_malformed_bodies_are_422_by_field(evaluation, people, change, field):
    response = evaluation.client.post("/schemes", json={**body(), **change}, headers=people["committee"])
    assert_problem(response, 422, type_suffix=":validation-failed", field=field)
    nothing_stored(evaluation)


def test_indicator_code_with_a_dot_is_422(evaluation, people):
    definition = two_indicator_definition()
    definition["dimensions"][0]["children"][0]["code"] = "A.1"
    response = evaluation.client.post("/schemes", json=body(definition), headers=people["committee"])
    problem = assert_problem(response, 422, field="dimensions")
    assert problem["errors"]["dimensions"] == {
        "0": {"children": {"0": {"code": ["1-40 letters, digits, '_' or '-'."]}}}
    }


@pytest.mark.parametrize(
    "who, status", [("staff", 403), ("resident", 403), ("chiwan_committee", 403), ("evaluator", 403)]
)
def test_only_committee_and_subdistrict_of_the_community_create(evaluation, people, who, status):
    response = evaluation.client.post("/schemes", json=body(), headers=people[who])
    assert_problem(response, status, type_suffix=":forbidden")
    nothing_stored(evaluation)


def test_second_scheme_for_the_same_year_is_409_pointing_to_versions(evaluation, people):
    first = create_scheme(evaluation.client, people["committee"])
    response = evaluation.client.post("/schemes", json=body(), headers=people["subdistrict"])
    problem = assert_problem(response, 409, type_suffix=":scheme-exists")
    assert f"/schemes/{first['id']}/versions" in problem["detail"]
    assert evaluation.count("schemes") == 1


def test_contract_scheme_is_its_own_series(evaluation, people):
    create_scheme(evaluation.client, people["committee"])
    contract = create_scheme(
        evaluation.client, people["committee"], contract_id="0b6a3c58-7a0e-4d0e-b0a5-2f0b1c9d6e77"
    )
    assert contract["version"] == 1
    listed = evaluation.client.get(
        "/schemes?community=huaguoshan&contract_id=0b6a3c58-7a0e-4d0e-b0a5-2f0b1c9d6e77",
        headers=people["resident"],
    )
    assert [s["id"] for s in listed.get_json()] == [contract["id"]]
    assert listed.headers["X-Pagination"]


def test_draft_is_edited_with_if_match(evaluation, people):
    created = create_scheme(evaluation.client, people["committee"])
    url = f"/schemes/{created['id']}"
    fetched = evaluation.client.get(url, headers=people["committee"])
    etag = fetched.headers["ETag"]
    changed = two_indicator_definition("0.6", "0.2", "0.2")
    missing = evaluation.client.put(url, json=changed, headers=people["committee"])
    assert_problem(missing, 428)
    stale = evaluation.client.put(url, json=changed, headers={**people["committee"], "If-Match": '"stale"'})
    assert_problem(stale, 412)
    updated = evaluation.client.put(url, json=changed, headers={**people["committee"], "If-Match": etag})
    assert updated.status_code == 200
    assert updated.get_json()["parties"][0] == {"party": "committee", "weight": 0.6}


def test_frozen_scheme_cannot_change_and_a_new_version_is_made(evaluation, people):
    created = create_scheme(evaluation.client, people["committee"])
    open_round(evaluation.client, people["committee"], created["id"])
    url = f"/schemes/{created['id']}"
    frozen = evaluation.client.get(url, headers=people["committee"])
    assert frozen.get_json()["status"] == "frozen"
    response = evaluation.client.put(
        url,
        json=two_indicator_definition("0.6", "0.2", "0.2"),
        headers={**people["committee"], "If-Match": frozen.headers["ETag"]},
    )
    problem = assert_problem(response, 409, type_suffix=":scheme-frozen")
    assert f"POST /schemes/{created['id']}/versions to make version 2" in problem["detail"]
    second = evaluation.client.post(
        f"{url}/versions", headers=people["subdistrict"], json=two_indicator_definition("0.6", "0.2", "0.2")
    )
    assert second.status_code == 201
    assert (second.get_json()["version"], second.get_json()["status"]) == (2, "draft")
    again = evaluation.client.post(
        f"{url}/versions", headers=people["subdistrict"], json=two_indicator_definition()
    )
    assert_problem(again, 409, type_suffix=":scheme-superseded")
    assert evaluation.client.get(url, headers=people["committee"]).get_json()["parties"][0] == {
        "party": "committee",
        "weight": 0.5,
    }


def test_new_version_is_validated_like_the_first(evaluation, people):
    created = create_scheme(evaluation.client, people["committee"])
    response = evaluation.client.post(
        f"/schemes/{created['id']}/versions",
        headers=people["committee"],
        json=two_indicator_definition("0.4", "0.4", "0.2"),
    )
    assert_problem(response, 422, type_suffix=":committee-weight-at-least-half")
    assert evaluation.count("schemes") == 1


def test_scheme_of_another_community_is_not_readable(evaluation, people):
    created = create_scheme(evaluation.client, people["committee"])
    response = evaluation.client.get(f"/schemes/{created['id']}", headers=people["chiwan_committee"])
    assert_problem(response, 403)


def test_ahp_endpoint_derives_weights(evaluation, people):
    response = evaluation.client.post("/ahp", json={"matrix": YARD_SPACE}, headers=people["committee"])
    assert response.status_code == 200
    result = response.get_json()
    assert result["weights"] == [0.6738, 0.1007, 0.2255]
    assert (result["lambda_max"], result["random_index"]) == (3.0858, 0.58)


def test_ahp_endpoint_refuses_saatys_inconsistent_house_criteria(evaluation, people):
    response = evaluation.client.post("/ahp", json={"matrix": HOUSE_CRITERIA}, headers=people["committee"])
    problem = assert_problem(response, 422, type_suffix=":ahp-consistency-ratio-below-0.1")
    assert problem["consistency_ratio"] == 0.1691
    assert problem["detail"].startswith(
        "The comparisons are too inconsistent: consistency ratio 0.169 is not below 0.1"
    )


def test_ahp_endpoint_refuses_a_non_reciprocal_matrix(evaluation, people):
    response = evaluation.client.post("/ahp", json={"matrix": [[1, 3], [3, 1]]}, headers=people["committee"])
    problem = assert_problem(response, 422, type_suffix=":ahp-matrix-invalid")
    assert "not reciprocal" in problem["detail"]


HOSTILE_NUMBERS = ["1e10000000", "1/1e10000000", "9" * 5000, " 1e-9999999 ", "1" + "0" * 80 + "/3"]


@pytest.mark.parametrize("hostile", HOSTILE_NUMBERS)
def test_ahp_endpoint_refuses_a_hostile_number_before_converting_it(evaluation, people, hostile):
    matrix = [[1, hostile], ["1/3", 1]]
    response = evaluation.client.post("/ahp", json={"matrix": matrix}, headers=people["resident"])
    problem = assert_problem(response, 422, type_suffix=":ahp-matrix-invalid")
    assert "number" in problem["detail"]


def test_scheme_creation_refuses_a_hostile_judgement_and_stores_nothing(evaluation, people):
    definition = _with_ahp([[1, "1e10000000", 5], ["1/3", 1, 1], ["1/5", 1, 1]])
    response = evaluation.client.post(
        "/schemes", json={"community": "huaguoshan", "year": 2026, **definition}, headers=people["committee"]
    )
    assert_problem(response, 422, type_suffix=":ahp-matrix-invalid")
    assert evaluation.client.get("/schemes", headers=people["committee"]).get_json() == []


def test_idempotency_key_replays_the_creation(evaluation, people):
    headers = {**people["committee"], "Idempotency-Key": "scheme-2026-huaguoshan"}
    first = evaluation.client.post("/schemes", json=body(), headers=headers)
    again = evaluation.client.post("/schemes", json=body(), headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json()["id"] == first.get_json()["id"]
    assert evaluation.count("schemes") == 1


def test_scheme_for_a_contract_of_another_community_is_422(evaluation, people, feed):
    from tests.unit.evaluation import producers, story

    contract = "0b6a3c58-7a0e-4d0e-b0a5-2f0b1c9d6e77"
    feed(
        producers.event(
            producers.CONTRACT_ACTIVATED,
            {
                "contract_id": contract,
                "provider_id": "5f0c0d5e-0a4b-4a53-9d71-3f2b8f0e9a11",
                "value_fen": 100,
                "period_start": "2026-01-01",
                "period_end": "2026-12-31",
                "package_codes": [],
                "activated_at": story.at(1, 2).isoformat(),
            },
            subject=contract,
            community="chiwan",
        )
    )
    response = evaluation.client.post(
        "/schemes", json=body(contract_id=contract), headers=people["committee"]
    )
    problem = assert_problem(response, 422, type_suffix=":contract-community", field="contract_id")
    assert problem["detail"] == f"Contract {contract} belongs to chiwan, not huaguoshan."
    assert evaluation.count("schemes") == 0
