"""Information collection: ID numbers validated, stored encrypted, masked, audited when read."""

import pytest
from sqlalchemy import text

from services.grid.usecases.personal_data import iso7064_mod11_2
from tests.support.helpers import assert_problem, bearer
from tests.unit.grid.conftest import ID_NUMBER, NAME, PHONE, person_body


def test_a_person_is_answered_masked(person):
    assert person["id_number"] == "4403**********123X"
    assert person["name"] == "陈**" and person["phone"] == "138****5678"
    assert person["masked"] is True and person["cell_code"] == "HGS-01"


def test_the_database_holds_no_personal_data_in_clear(person, grid):
    with grid.runtime.database.engine.connect() as connection:
        rows = connection.execute(text("SELECT * FROM persons")).all()
    dumped = repr(rows)
    for secret in (ID_NUMBER, NAME, PHONE):
        assert secret not in dumped


def test_counts_per_cell_are_published_without_personal_data(person, grid, client, staff):
    events = [e for e in grid.outbox() if e["type"] == "grid.collection.updated.v1"]
    assert len(events) == 3  # building, household, person
    assert events[-1]["data"] == {
        "cell_id": events[-1]["subject"],
        "cell_code": "HGS-01",
        "buildings": 1,
        "households": 1,
        "persons": 1,
        "registered": 0,
        "floating": 1,
        "places": 0,
        "special_care": {
            "elderly_alone": 1,
            "disability": 0,
            "low_income": 0,
            "left_behind_child": 0,
            "entitled_group": 0,
        },
        "updated_at": events[-1]["data"]["updated_at"],
    }
    counts = client.get("/cells/HGS-01/collection", headers=staff).get_json()
    assert counts["persons"] == 1 and counts["special_care"]["elderly_alone"] == 1


def with_check(first17):
    return first17 + iso7064_mod11_2(first17)


@pytest.mark.parametrize(
    ("id_number", "message"),
    [
        (ID_NUMBER[:-1] + "1", "The check character of the ID number does not match."),
        (with_check("44030519990230123"), "The date of birth in the ID number is not a real date."),
        ("4403051990010112", "An ID number has 18 characters (got 16)."),
        ("44030519900101123XX", "An ID number has 18 characters (got 19)."),
    ],
)
def test_bad_id_numbers_are_422_and_nothing_is_stored(client, household, worker, grid, id_number, message):
    outbox = grid.count("outbox")
    response = client.post("/persons", json=person_body(household, id_number=id_number), headers=worker)
    body = assert_problem(response, 422, field="id_number")
    assert body["errors"]["id_number"] == [message]
    assert id_number not in response.get_data(as_text=True)
    assert grid.count("persons") == 0 and grid.count("outbox") == outbox


def test_a_bad_phone_is_422(client, household, worker, grid):
    response = client.post("/persons", json=person_body(household, phone="12345"), headers=worker)
    assert_problem(response, 422, field="phone")
    assert grid.count("persons") == 0


def test_an_id_number_is_registered_once(client, person, household, worker, grid):
    outbox = grid.count("outbox")
    again = client.post("/persons", json=person_body(household, name="别人"), headers=worker)
    assert_problem(again, 409, type_suffix="person-already-registered")
    assert grid.count("persons") == 1 and grid.count("outbox") == outbox


def test_center_staff_read_unmasked_with_a_purpose_and_it_is_audited(client, person, staff, token, grid):
    response = client.post(
        f"/persons/{person['id']}/reveal",
        json={"purpose": "Welfare visit to an elderly resident living alone"},
        headers={**staff, "X-Request-ID": "req-reveal-1"},
    )
    assert response.status_code == 200
    revealed = response.get_json()
    assert (revealed["name"], revealed["id_number"], revealed["phone"]) == (NAME, ID_NUMBER, PHONE)
    assert revealed["masked"] is False
    committee = bearer(token("committee_member", community="huaguoshan"))
    [entry] = client.get("/audit/personal-data?community=huaguoshan", headers=committee).get_json()
    assert entry["record_id"] == person["id"] and entry["accessor_sub"] == "staff-hgs"
    assert entry["purpose"] == "Welfare visit to an elderly resident living alone"
    assert entry["request_id"] == "req-reveal-1" and entry["fields"] == "name,id_number,phone"


def test_revealing_needs_a_purpose(client, person, staff, grid):
    response = client.post(f"/persons/{person['id']}/reveal", json={}, headers=staff)
    assert_problem(response, 422, field="purpose")
    assert grid.count("personal_data_access") == 0


def test_the_committee_sees_masked_data_only(client, person, token, grid):
    committee = bearer(token("committee_member", community="huaguoshan"))
    assert client.get(f"/persons/{person['id']}", headers=committee).get_json()["masked"] is True
    response = client.post(
        f"/persons/{person['id']}/reveal", json={"purpose": "curious about it"}, headers=committee
    )
    assert_problem(response, 403, detail_contains="may not read personal data unmasked")
    assert grid.count("personal_data_access") == 0


def test_grid_workers_read_their_own_cells_only(client, person, worker, token):
    mine = client.post(
        f"/persons/{person['id']}/reveal", json={"purpose": "Home visit today"}, headers=worker
    )
    assert mine.status_code == 200 and mine.get_json()["masked"] is False
    other = bearer(token("grid_worker", community="huaguoshan", sub="worker-9"))
    assert_problem(client.get(f"/persons/{person['id']}", headers=other), 403)
    assert_problem(client.get("/persons?cell_code=HGS-01", headers=other), 403)


def test_lookup_by_id_number_in_the_body(client, person, staff, token):
    found = client.post("/persons/lookup", json={"id_number": ID_NUMBER.lower()}, headers=staff)
    assert found.status_code == 200 and found.get_json()["id"] == person["id"]
    assert found.get_json()["id_number"] == "4403**********123X"
    outsider = bearer(token("center_staff", community="chiwan"))
    assert_problem(client.post("/persons/lookup", json={"id_number": ID_NUMBER}, headers=outsider), 404)
    assert_problem(
        client.post("/persons/lookup", json={"id_number": "123"}, headers=staff), 422, field="id_number"
    )


def test_correcting_a_record_needs_if_match(client, person, worker, grid):
    change = {"residency": "registered", "phone": "0755-26881234"}
    assert_problem(client.patch(f"/persons/{person['id']}", json=change, headers=worker), 428)
    etag = client.get(f"/persons/{person['id']}", headers=worker).headers["ETag"]
    response = client.patch(f"/persons/{person['id']}", json=change, headers={**worker, "If-Match": etag})
    assert response.status_code == 200
    assert response.get_json()["phone"] == "075*****1234"
    assert grid.outbox()[-1]["data"]["registered"] == 1
    assert_problem(
        client.patch(f"/persons/{person['id']}", json=change, headers={**worker, "If-Match": etag}), 412
    )


def test_a_correction_that_changes_no_count_publishes_no_counts(client, person, worker, grid):
    def published():
        return len([e for e in grid.outbox() if e["type"] == "grid.collection.updated.v1"])

    before = published()
    etag = client.get(f"/persons/{person['id']}", headers=worker).headers["ETag"]
    response = client.patch(
        f"/persons/{person['id']}", json={"phone": "0755-26881234"}, headers={**worker, "If-Match": etag}
    )
    assert response.status_code == 200 and published() == before
    response = client.patch(
        f"/persons/{person['id']}",
        json={"residency": "registered"},
        headers={**worker, "If-Match": response.headers["ETag"]},
    )
    assert response.status_code == 200 and published() == before + 1


def test_if_match_may_list_several_tags(client, person, worker):
    etag = client.get(f"/persons/{person['id']}", headers=worker).headers["ETag"]
    response = client.patch(
        f"/persons/{person['id']}",
        json={"residency": "registered"},
        headers={**worker, "If-Match": f'"person-00000000-9", {etag}'},
    )
    assert response.status_code == 200, response.get_json()


def test_lists_are_masked_and_filtered(client, person, household, worker):
    listed = client.get("/persons?cell_code=HGS-01&special_care=elderly_alone", headers=worker).get_json()
    assert [p["id_number"] for p in listed] == ["4403**********123X"]
    assert client.get("/persons?cell_code=HGS-01&residency=registered", headers=worker).get_json() == []
    assert_problem(client.get("/persons", headers=worker), 422, field="query.cell_code")


def test_places_and_buildings_by_location(client, make_cell, worker, grid):
    make_cell("HGS-01")
    shop = client.post(
        "/places",
        json={"lon": 113.911, "lat": 22.491, "name": "花果山便利店", "kind": "shop"},
        headers=worker,
    )
    assert shop.status_code == 201
    outside = client.post(
        "/buildings",
        json={"lon": 113.99, "lat": 22.491, "address": "x road 1", "floors": 3, "use": "residential"},
        headers=worker,
    )
    assert_problem(outside, 422, field="lon")
    assert client.get("/places?cell_code=HGS-01", headers=worker).get_json()[0]["kind"] == "shop"


def test_the_special_care_filter_counts_in_the_database(client, person, household, worker):
    other = client.post(
        "/persons",
        json=person_body(
            household, name="李四", id_number="11010519491231002X", phone=None, special_care=["disability"]
        ),
        headers=worker,
    )
    assert other.status_code == 201
    response = client.get("/persons?cell_code=HGS-01&special_care=disability&page_size=1", headers=worker)
    assert [p["id"] for p in response.get_json()] == [other.get_json()["id"]]
    assert '"total": 1' in response.headers["X-Pagination"]
