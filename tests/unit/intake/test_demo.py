"""The reference data: a realistic catalogue for every community, loaded idempotently."""

from __future__ import annotations

from services.chassis.testing import bearer
from services.intake import attributes
from services.intake.catalogue_data import CATALOGUE
from services.intake.demo import load_reference_data


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
