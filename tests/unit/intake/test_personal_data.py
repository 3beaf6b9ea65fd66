"""Intake's personal data: personal because collected as such, sealed at rest with the
chassis cipher, masked on read except for its owner, revealed to staff with an audit."""

from __future__ import annotations

from sqlalchemy import text

from services.chassis.protection import PersonalDataCipher
from services.intake.models import Ticket
from services.intake.usecases import personal_data
from tests.support.helpers import assert_problem, bearer
from tests.unit.intake.test_access import PASSPORT

PHONE = "13800138000"


def passport_ticket(desk):
    return desk.ticket(
        "passport", headers=desk.resident, channel="portal", contact_phone=PHONE, attributes=PASSPORT
    )


def dump(desk, table: str) -> str:
    with desk.harness.runtime.database.engine.connect() as connection:
        return repr(connection.execute(text(f"SELECT * FROM {table}")).all())


def test_the_database_holds_no_id_number_or_phone_in_clear(desk):
    ticket = passport_ticket(desk)
    desk.post(
        "/cases",
        {"community": "huaguoshan", "business_type": "general", "summary": "x", "contact_phone": PHONE},
    )
    stored = dump(desk, "tickets") + dump(desk, "cases")
    assert PASSPORT["applicant_id"] not in stored and PHONE not in stored
    assert "138****8000" in stored  # the mask is kept beside the ciphertext
    own = desk.client.get(f"/tickets/{ticket['id']}", headers=desk.resident).get_json()
    assert own["attributes"] == PASSPORT and own["contact_phone"] == PHONE


def test_staff_read_masks_and_reveal_with_a_purpose_that_is_audited(desk, token):
    ticket = passport_ticket(desk)
    shown = desk.client.get(f"/tickets/{ticket['id']}", headers=desk.staff).get_json()
    assert shown["attributes"]["applicant_id"] == "***" and shown["contact_phone"] == "138****8000"
    response = desk.client.post(
        f"/tickets/{ticket['id']}/reveal",
        json={"purpose": "Checking the applicant's identity card at window 2"},
        headers={**desk.staff, "X-Request-ID": "req-intake-reveal"},
    )
    assert response.status_code == 200, response.get_json()
    revealed = response.get_json()
    assert revealed["attributes"] == PASSPORT and revealed["contact_phone"] == PHONE
    assert revealed["masked"] is False
    committee = bearer(token("committee_member", community="huaguoshan"))
    [entry] = desk.client.get("/audit/personal-data?community=huaguoshan", headers=committee).get_json()
    assert entry["record_kind"] == "ticket" and entry["record_id"] == ticket["id"]
    assert entry["fields"] == "contact_phone,applicant_id" and entry["request_id"] == "req-intake-reveal"


def test_a_case_phone_is_revealed_to_staff_only_and_audited(desk, token):
    case = desk.post(
        "/cases",
        {"community": "huaguoshan", "business_type": "general", "summary": "x", "contact_phone": PHONE},
    ).get_json()
    assert case["contact_phone"] == "138****8000"
    committee = bearer(token("committee_member", community="huaguoshan"))
    refused = desk.client.post(
        f"/cases/{case['id']}/reveal", json={"purpose": "just curious"}, headers=committee
    )
    assert_problem(refused, 403, detail_contains="may not read personal data unmasked")
    assert desk.harness.count("personal_data_access") == 0
    response = desk.client.post(
        f"/cases/{case['id']}/reveal", json={"purpose": "Call back"}, headers=desk.staff
    )
    assert response.get_json()["contact_phone"] == PHONE
    assert desk.harness.count("personal_data_access") == 1


def test_revealing_needs_a_purpose(desk):
    ticket = passport_ticket(desk)
    response = desk.client.post(f"/tickets/{ticket['id']}/reveal", json={}, headers=desk.staff)
    assert_problem(response, 422, field="purpose")
    assert desk.harness.count("personal_data_access") == 0


def test_unflagging_personal_in_the_catalogue_unmasks_no_stored_id_number(desk, token):
    """High #1: a value is personal because it was collected as such."""
    ticket = passport_ticket(desk)
    types = desk.client.get(
        "/business-types?community=huaguoshan&page_size=100", headers=desk.staff
    ).get_json()
    passport = next(t for t in types if t["code"] == "passport")
    current = desk.client.get(f"/business-types/{passport['id']}", headers=desk.staff)
    unflagged = [{**a, "personal": False} for a in passport["attributes"]]
    officer = bearer(token("subdistrict_officer", community="huaguoshan"))
    response = desk.client.patch(
        f"/business-types/{passport['id']}",
        json={"attributes": unflagged},
        headers={**officer, "If-Match": current.headers["ETag"]},
    )
    assert response.status_code == 200, response.get_json()
    for role in ("committee_member", "subdistrict_officer", "evaluator", "center_staff"):
        reader = bearer(token(role, community="huaguoshan"))
        shown = desk.client.get(f"/tickets/{ticket['id']}", headers=reader).get_json()
        assert shown["attributes"]["applicant_id"] == "***", role
        listed = desk.client.get("/tickets?community=huaguoshan", headers=reader).get_json()
        assert PASSPORT["applicant_id"] not in repr(listed), role


def test_reseal_seals_clear_values_from_before_and_moves_to_a_rotated_key(desk):
    ticket = passport_ticket(desk)
    legacy = '{"applicant_id": "440305199001011234", "household_size": 2, "kind": "new"}'
    with desk.harness.runtime.database.engine.begin() as connection:  # a row as stored before sealing
        connection.execute(
            text(
                "UPDATE tickets SET contact_phone = :phone, contact_phone_sealed = NULL, "
                "personal_attributes_sealed = NULL, attributes = :attributes WHERE id = :id"
            ),
            {"phone": PHONE, "attributes": legacy, "id": ticket["id"]},
        )
    shown = desk.client.get(f"/tickets/{ticket['id']}", headers=desk.staff).get_json()
    assert shown["attributes"]["applicant_id"] == "***"  # masked by the recorded names meanwhile
    first, second = b"a" * 32, b"b" * 32
    with desk.harness.runtime.unit_of_work() as uow:
        assert personal_data.reseal(uow, PersonalDataCipher(first)) == 1
        uow.commit()
    assert PASSPORT["applicant_id"] not in dump(desk, "tickets") and PHONE not in dump(desk, "tickets")
    rotated = PersonalDataCipher(second, retired=[first])
    with desk.harness.runtime.unit_of_work() as uow:
        assert personal_data.reseal(uow, rotated) == 1
        assert personal_data.reseal(uow, rotated) == 0  # nothing left on the old key
        uow.commit()
    only_new = PersonalDataCipher(second)
    with desk.harness.runtime.unit_of_work() as uow:
        row = uow.session.get(Ticket, ticket["id"])
        assert personal_data.phone_of(only_new, row) == PHONE
        assert personal_data.unmasked_attributes(only_new, row) == PASSPORT
