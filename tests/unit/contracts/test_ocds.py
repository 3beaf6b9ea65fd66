"""The OCDS 1.1 export of a whole story validates against the vendored schemas."""

import json
from datetime import datetime
from decimal import Decimal

import pytest
from jsonschema import Draft4Validator

from services.chassis import open_data
from services.contracts.api import ocds_export
from tests.support.helpers import assert_problem
from tests.unit.contracts import ocds_schema
from tests.unit.contracts.story import evaluation_event
from tests.unit.contracts.test_evaluation_and_due import _process


def test_the_format_checker_really_checks_dates_and_uris():
    checker = Draft4Validator.FORMAT_CHECKER
    assert "date-time" in checker.checkers and "uri" in checker.checkers
    bad = {
        "uri": "not a uri",
        "version": "1.1",
        "publisher": {"name": "x"},
        "publishedDate": "yesterday",
        "releases": [{}],
    }
    found = ocds_schema.errors("release-package-schema.json", bad)
    assert any("publishedDate" in e for e in found) and any(e.startswith("uri") for e in found)
    assert any("releases/0" in e for e in found)  # the $ref into release-schema is followed


def _full_story(story):
    """Tender to final payment, pass-through, with an amendment and an evaluation."""
    story.setup("pass_through")
    contract = story.active_contract(amount_fen=1_000_000_01)
    cid = contract["id"]
    story.ok(story.allocate(contract, 1_000_000_01), 201)
    story.ok(story.pay(contract, 1, 300_000_00), 201)
    story.ok(story.pay(contract, 2, 400_000_00), 201)
    _process(story, evaluation_event(cid, "pass", 80.0))
    contract = story.ok(story.client.get(f"/contracts/{cid}", headers=story.officer))
    final = contract["milestones"][2]["payable_fen"]
    story.ok(story.pay(contract, 3, final), 201)
    return story.ok(story.client.get(f"/contracts/{cid}", headers=story.officer))


def test_full_story_release_package_is_valid_ocds(story):
    contract = _full_story(story)
    assert contract["status"] == "completed"
    response = story.client.get("/ocds/releases?community=huaguoshan&page_size=100")
    assert response.status_code == 200 and response.mimetype == "application/json"
    package = ocds_schema.parse(response.get_data(as_text=True))
    assert ocds_schema.errors("release-package-schema.json", package) == []
    tags = [r["tag"] for r in package["releases"]]
    assert tags[:4] == [["planning"], ["tender"], ["award"], ["contract"]]
    assert tags[4:] == [["implementation"]] * (len(tags) - 4)
    last = package["releases"][-1]
    assert last["ocid"].startswith("ocds-zsjd01-")
    assert all(r["ocid"] == last["ocid"] for r in package["releases"])
    roles = {p["id"]: p["roles"] for p in last["parties"]}
    # payee too: the part withheld after the evaluation went back to the subdistrict
    assert roles["subdistrict-zhaoshang"] == ["buyer", "funder", "payee", "payer", "procuringEntity"]
    assert roles["committee-huaguoshan"] == ["payee", "payer", "reviewBody"]
    supplier = next(p for p in last["parties"] if "supplier" in p["roles"])
    assert supplier["roles"] == ["payee", "supplier", "tenderer"]
    assert supplier["identifier"]["scheme"] == "CN-USCC"
    implementation = last["contracts"][0]["implementation"]
    payments = [t for t in implementation["transactions"] if t["id"].startswith("ZF-")]
    assert [t["value"]["amount"] for t in payments] == [
        Decimal("300000.00"),
        Decimal("400000.00"),
        Decimal("240000.00"),
    ]
    assert all(t["value"]["currency"] == "CNY" for t in implementation["transactions"])
    assert last["contracts"][0]["value"]["amount"] == Decimal("1000000.01")
    assert [m["status"] for m in implementation["milestones"]] == ["met", "met", "partiallyMet"]
    # each payment publishes its record: the row in that month's open-data payments file
    assert [d["id"] for d in implementation["documents"]] == [f"{t['id']}-record" for t in payments]
    for document, transaction in zip(implementation["documents"], payments, strict=True):
        assert document["documentType"] == "financialProgressReport"
        assert document["datePublished"] == transaction["date"]
        month = open_data.month_of(datetime.fromisoformat(transaction["date"]))
        assert document["url"] == f"http://localhost:8080/open-data/payments/{month}.csv"
    assert last["contracts"][0]["status"] == "terminated"  # OCDS: closed, here by completion
    text = response.get_data(as_text=True)
    for private in ("7559000012345678", "13800138000", "王小明"):
        assert private not in text


def test_record_package_is_valid_and_compiles_the_releases(story):
    _full_story(story)
    package = ocds_schema.parse(story.client.get("/ocds/releases").get_data(as_text=True))
    the_ocid = package["releases"][0]["ocid"]
    response = story.client.get(f"/ocds/records/{the_ocid}")
    record_package = ocds_schema.parse(response.get_data(as_text=True))
    assert ocds_schema.errors("record-package-schema.json", record_package) == []
    record = record_package["records"][0]
    assert record["ocid"] == the_ocid
    assert record["compiledRelease"]["tag"] == ["compiled"]
    assert (
        record["compiledRelease"]["contracts"][0]["implementation"]
        == record["releases"][-1]["contracts"][0]["implementation"]
    )
    assert ocds_schema.errors("release-schema.json", record["compiledRelease"]) == []


def test_since_filters_and_unknown_ocids_are_404(story):
    _full_story(story)
    everything = ocds_schema.parse(story.client.get("/ocds/releases").get_data(as_text=True))
    cut = everything["releases"][3]["date"]
    response = story.client.get("/ocds/releases", query_string={"since": cut})
    later = ocds_schema.parse(response.get_data(as_text=True))
    assert [r["id"] for r in later["releases"]] == [r["id"] for r in everything["releases"][3:]]
    assert_problem(story.client.get("/ocds/releases?community=chiwan"), 404)
    assert_problem(story.client.get("/ocds/records/ocds-zsjd01-nothing"), 404)
    assert_problem(story.client.get("/ocds/records/other-prefix-1"), 404)
    assert_problem(story.client.get("/ocds/releases?since=yesterday"), 422)


def test_ocid_prefix_is_a_setting(service, token):
    from tests.unit.contracts.story import Story

    harness = service("contracts", ocid_prefix="ocds-test99")
    s = Story(harness.client, token, runtime=harness.runtime)
    s.harness = harness
    s.setup()
    s.through_award()
    package = ocds_schema.parse(harness.client.get("/ocds/releases").get_data(as_text=True))
    assert package["releases"][0]["ocid"].startswith("ocds-test99-")


@pytest.mark.parametrize(
    ("fen", "text"), [(0, "0.00"), (1, "0.01"), (100, "1.00"), (123456789012345, "1234567890123.45")]
)
def test_fen_become_exact_yuan_at_the_edge(fen, text):
    converted = ocds_export.to_yuan({"value": {"amount_fen": fen, "currency": "CNY"}})
    assert ocds_export.dumps(converted) == '{"value":{"amount":' + text + ',"currency":"CNY"}}'


def test_merge_follows_the_ocds_rules():
    old = {"a": 1, "list": [{"id": "1", "x": 1}], "plain": [1, 2], "keep": "k"}
    new = {"a": 2, "list": [{"id": "1", "y": 2}, {"id": "2"}], "plain": [3]}
    assert ocds_export.merge(old, new) == {
        "a": 2,
        "list": [{"id": "1", "x": 1, "y": 2}, {"id": "2"}],
        "plain": [3],
        "keep": "k",
    }


def test_package_uris_come_from_the_public_base_url_never_the_host_header(service, token):
    from tests.unit.contracts.story import Story

    harness = service("contracts", public_base_url="https://open.zhaoshang.example")
    s = Story(harness.client, token, runtime=harness.runtime)
    s.harness = harness
    s.setup()
    s.through_award()
    forged = {
        "Host": "evil.example",
        "X-Forwarded-Host": "evil.example",
        "X-Forwarded-Prefix": "/api/contracts",
    }
    releases = harness.client.get("/ocds/releases?community=huaguoshan", headers=forged).get_json()
    assert (
        releases["uri"] == "https://open.zhaoshang.example/api/contracts/ocds/releases?community=huaguoshan"
    )
    ocid = releases["releases"][0]["ocid"]
    record = harness.client.get(f"/ocds/records/{ocid}", headers=forged).get_json()
    assert record["uri"] == f"https://open.zhaoshang.example/api/contracts/ocds/records/{ocid}"
    assert "evil" not in json.dumps(releases) + json.dumps(record)
