"""Providers' contact person (name and phone): sealed at rest with the chassis cipher,
masked on read except for the provider itself, revealed to subdistrict officers with an
audit."""

from __future__ import annotations

from sqlalchemy import text

from services.contracts.usecases import personal_data
from tests.support.helpers import assert_problem
from tests.unit.contracts.story import uscc

NAME = "李四海"
PHONE = "13912345678"


def register(story, seed: int = 77) -> dict:
    return story.ok(
        story.client.post(
            "/providers",
            json={
                "name": f"海月社工服务社 {seed}",
                "uscc": uscc(seed),
                "kind": "social_service_agency",
                "contact_name": NAME,
                "contact_phone": PHONE,
            },
            headers=story.officer,
        ),
        201,
    )


def dump(story, table: str) -> str:
    with story.harness.runtime.database.engine.connect() as connection:
        return repr(connection.execute(text(f"SELECT * FROM {table}")).all())


def test_the_database_holds_no_contact_name_or_phone_in_clear(story):
    provider = register(story)
    stored = dump(story, "providers")
    assert NAME not in stored and PHONE not in stored
    assert "139******78" in stored  # the mask is kept beside the ciphertext
    own = story.ok(story.client.get(f"/providers/{provider['id']}", headers=story.signatory(provider["id"])))
    assert own["contact_name"] == NAME and own["contact_phone"] == PHONE


def test_officers_read_masks_and_reveal_with_a_purpose_that_is_audited(story):
    provider = register(story)
    shown = story.ok(story.client.get(f"/providers/{provider['id']}", headers=story.officer))
    assert shown["contact_name"] == "李**" and shown["contact_phone"] == "139******78"
    assert shown["private_visible"] is True  # bank details, as before
    response = story.client.post(
        f"/providers/{provider['id']}/reveal",
        json={"purpose": "致电联系人核对年检材料"},
        headers={**story.officer, "X-Request-ID": "req-contracts-reveal"},
    )
    revealed = story.ok(response)
    assert revealed == {"id": provider["id"], "contact_name": NAME, "contact_phone": PHONE, "masked": False}
    [entry] = story.ok(story.client.get("/audit/personal-data?community=subdistrict", headers=story.officer))
    assert entry["record_kind"] == "provider" and entry["record_id"] == provider["id"]
    assert entry["fields"] == "contact_name,contact_phone" and entry["purpose"] == "致电联系人核对年检材料"
    assert entry["request_id"] == "req-contracts-reveal" and entry["accessor_roles"] == "subdistrict_officer"
    refused = story.client.get("/audit/personal-data?community=subdistrict", headers=story.member)
    assert_problem(refused, 403)
    assert story.ok(story.client.get("/audit/personal-data?community=huaguoshan", headers=story.member)) == []


def test_a_reveal_is_refused_to_those_who_may_not_see_the_contact_and_needs_a_purpose(story):
    provider = register(story)
    for headers in (story.member, story.resident, story.signatory("another-provider")):
        refused = story.client.post(
            f"/providers/{provider['id']}/reveal", json={"purpose": "just curious"}, headers=headers
        )
        assert_problem(refused, 403, detail_contains="may not read personal data unmasked")
    no_purpose = story.client.post(f"/providers/{provider['id']}/reveal", json={}, headers=story.officer)
    assert_problem(no_purpose, 422, field="purpose")
    assert story.harness.count("personal_data_access") == 0


def test_a_contact_stored_in_clear_before_sealing_is_masked_then_resealed(story):
    """A row from before the upgrade: masked on read; `community reseal contracts` seals it."""
    provider = register(story)
    with story.harness.runtime.database.engine.begin() as connection:
        connection.execute(
            text(
                "UPDATE providers SET contact_name = :name, contact_phone = :phone, "
                "contact_name_sealed = NULL, contact_phone_sealed = NULL, "
                "contact_name_masked = NULL, contact_phone_masked = NULL"
            ),
            {"name": NAME, "phone": PHONE},
        )
    shown = story.ok(story.client.get(f"/providers/{provider['id']}", headers=story.member))
    assert shown["contact_name"] == "李**" and shown["contact_phone"] == "139******78"
    own = story.ok(story.client.get(f"/providers/{provider['id']}", headers=story.signatory(provider["id"])))
    assert own["contact_name"] == NAME and own["contact_phone"] == PHONE
    cipher = story.harness.app.extensions["contracts.cipher"]
    with story.harness.runtime.unit_of_work() as uow:
        assert personal_data.reseal(uow, cipher) == 1
        uow.commit()
    stored = dump(story, "providers")
    assert NAME not in stored and PHONE not in stored
    with story.harness.runtime.unit_of_work() as uow:
        assert personal_data.reseal(uow, cipher) == 0  # already sealed with the current key
    own = story.ok(story.client.get(f"/providers/{provider['id']}", headers=story.signatory(provider["id"])))
    assert own["contact_name"] == NAME and own["contact_phone"] == PHONE
