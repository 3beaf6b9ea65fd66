"""A token's communities bound every grid read: a worker's `sub`, a department's code and a
registration's conflict never reach past them (issue 15, medium findings)."""

from tests.support.helpers import assert_problem, bearer
from tests.unit.grid.conftest import ID_NUMBER, person_body


def test_a_worker_sub_in_a_token_of_another_community_reads_nothing_there(client, person, token):
    impostor = bearer(token("grid_worker", community="chiwan", sub="worker-1"))
    assert_problem(client.get(f"/persons/{person['id']}", headers=impostor), 403)
    assert_problem(client.get("/persons?cell_code=HGS-01", headers=impostor), 403)
    revealed = client.post(
        f"/persons/{person['id']}/reveal", json={"purpose": "Home visit"}, headers=impostor
    )
    assert_problem(revealed, 403)


def test_a_department_lists_referred_cases_of_its_communities_only(client, make_cell, report, staff, token):
    make_cell("HGS-01")
    case = report().get_json()
    referred = client.post(
        f"/cases/{case['id']}/refer", json={"department": "housing", "note": "landlord issue"}, headers=staff
    )
    assert referred.status_code == 200, referred.get_json()
    elsewhere = bearer(token("department", community="chiwan", department="housing"))
    listed = client.get("/cases", headers=elsewhere)
    assert listed.status_code == 200 and listed.get_json() == []
    here = bearer(token("department", community="huaguoshan", department="housing"))
    assert [c["id"] for c in client.get("/cases", headers=here).get_json()] == [case["id"]]


def test_registering_a_number_held_outside_ones_cells_answers_like_the_lookup(
    client, person, make_cell, token, grid
):
    chiwan_staff = bearer(token("center_staff", community="chiwan"))
    make_cell(
        "CW-01", lon=113.885, lat=22.475, community="chiwan", workers=("worker-cw",), headers=chiwan_staff
    )
    worker_cw = bearer(token("grid_worker", community="chiwan", sub="worker-cw"))
    building = client.post(
        "/buildings",
        json={"cell_code": "CW-01", "address": "赤湾大厦 1 座", "floors": 6, "use": "residential"},
        headers=worker_cw,
    ).get_json()
    chiwan_household = client.post(
        "/households",
        json={"building_id": building["id"], "unit": "3A", "tenure": "owned"},
        headers=worker_cw,
    ).get_json()
    lookup = client.post("/persons/lookup", json={"id_number": ID_NUMBER}, headers=worker_cw)
    register = client.post("/persons", json=person_body(chiwan_household, name="别人"), headers=worker_cw)
    assert_problem(lookup, 404)
    assert_problem(register, 404)
    assert register.get_json()["detail"] == lookup.get_json()["detail"]
    assert grid.count("persons") == 1
