"""The reference data: a realistic catalogue for every community, loaded idempotently."""

from __future__ import annotations

from deploy.demo.intake_catalogue import CATALOGUE
from deploy.demo.intake_reference import load_reference_data
from services.intake.domain import attributes
from tests.support.helpers import bearer


def test_reference_data_loads_once_for_all_seven_communities(service, token):
    harness = service("intake")
    load_reference_data(harness.runtime)
    counts = {t: harness.count(t) for t in ("business_types", "windows", "outbox")}
    load_reference_data(harness.runtime)
    assert {t: harness.count(t) for t in counts} == counts
    assert counts["business_types"] == 7 * len(CATALOGUE) and len(CATALOGUE) >= 20
    staff = bearer(token("center_staff", community="chiwan"))
    windows = harness.client.get("/windows?community=chiwan", headers=staff).get_json()
    assert {w["mode"] for w in windows} == {"dedicated"}
    covered = {code for w in windows for code in w["skills"]}
    assert covered == {row[0] for row in CATALOGUE}
    hgs = bearer(token("center_staff", community="huaguoshan"))
    windows = harness.client.get("/windows?community=huaguoshan", headers=hgs).get_json()
    assert {w["mode"] for w in windows} == {"generalist"} and len(windows) == 5


def test_every_catalogue_form_is_a_valid_definition():
    for row in CATALOGUE:
        attributes.check_definitions(row[8])
        assert row[1] and row[2] and row[7] != "V"


def test_the_reference_catalogue_lists_with_every_form_field(service, token):
    harness = service("intake")
    load_reference_data(harness.runtime)
    staff = bearer(token("center_staff", community="huaguoshan"))
    response = harness.client.get("/business-types?community=huaguoshan&page_size=100", headers=staff)
    assert response.status_code == 200, response.get_json()
    listed = response.get_json()
    assert len(listed) == len(CATALOGUE)
    for business_type in listed:
        for field in business_type["attributes"]:
            assert isinstance(field["values"], list)  # a text field has no values, not a 500
