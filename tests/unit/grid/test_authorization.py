"""Who may do what: assigned cells, communities, departments, reporters, the public view."""

import pytest

from tests.support.helpers import assert_problem, bearer
from tests.unit.grid.conftest import HGS_LAT, HGS_LON


@pytest.fixture
def two_cells(make_cell):
    make_cell("HGS-01", workers=("worker-1",))
    make_cell("HGS-02", lon=HGS_LON + 0.002, workers=("worker-2",))


@pytest.fixture
def case(two_cells, report):
    return report().get_json()  # in HGS-01


def step(client, case, action, headers, **body):
    return client.post(f"/cases/{case['id']}/{action}", json=body, headers=headers)


def test_a_grid_worker_acts_only_in_assigned_cells(client, case, token):
    other = bearer(token("grid_worker", community="huaguoshan", sub="worker-2"))
    assert_problem(
        step(client, case, "accept", other), 403, detail_contains="a grid worker acts in assigned cells only"
    )
    mine = bearer(token("grid_worker", community="huaguoshan", sub="worker-1"))
    assert step(client, case, "accept", mine).status_code == 200


def test_center_staff_of_another_community_cannot_act(client, case, token):
    chiwan = bearer(token("center_staff", community="chiwan"))
    assert_problem(step(client, case, "accept", chiwan), 403)


def test_a_resident_cannot_take_staff_steps(client, case, resident):
    assert_problem(step(client, case, "accept", resident), 403, detail_contains="center_staff, grid_worker")


def test_the_committee_verifies_but_does_not_accept(client, case, token, staff):
    committee = bearer(token("committee_member", community="huaguoshan"))
    assert_problem(step(client, case, "accept", committee), 403)
    step(client, case, "accept", staff)
    step(client, case, "resolve", staff, note="fixed")
    assert step(client, case, "verify", committee).status_code == 200


def test_a_department_acts_only_on_cases_referred_to_it(client, case, token, staff):
    fire = bearer(token("department", community=None, department="fire", sub="fire-desk"))
    health = bearer(token("department", community=None, department="health"))
    unlabelled = bearer(token("department", community=None))
    assert_problem(
        step(client, case, "resolve", fire, note="x1"),
        403,
        detail_contains="a department acts on cases referred to it",
    )
    step(client, case, "refer", staff, department="fire", note="needs enforcement")
    assert_problem(step(client, case, "resolve", health, note="x1"), 403)
    assert_problem(step(client, case, "resolve", unlabelled, note="x1"), 403)
    assert step(client, case, "resolve", fire, note="done").status_code == 200


def test_the_subdistrict_works_on_escalated_cases_only(client, case, token, staff):
    officer = bearer(token("subdistrict_officer", community="huaguoshan"))
    assert_problem(
        step(client, case, "start", officer), 403, detail_contains="the subdistrict acts on escalated cases"
    )
    step(client, case, "escalate", staff, note="needs the subdistrict")
    assert step(client, case, "start", officer).status_code == 200


def test_residents_see_their_own_cases_in_full_and_others_publicly(client, case, token):
    assert client.get(
        f"/cases/{case['id']}", headers=bearer(token("resident", community="huaguoshan", sub="resident-1"))
    ).get_json()["description"]
    public = client.get(
        f"/cases/{case['id']}", headers=bearer(token("resident", community="huaguoshan", sub="neighbour"))
    ).get_json()
    assert public["public"] is True and public["mine"] is False
    assert public["description"] is None and public["photos"] is None
    assert public["address"] is None and public["source_ref"] is None
    assert public["lon"] == round(case["lon"], 3)


def test_the_public_view_hides_where_a_dispute_is(client, two_cells, report, token):
    dispute = report(category="dispute_family", description="Shouting next door").get_json()
    public = client.get(
        f"/cases/{dispute['id']}", headers=bearer(token("resident", community="huaguoshan", sub="neighbour"))
    ).get_json()
    assert public["lon"] is None and public["lat"] is None


def test_history_is_for_those_who_see_the_case_in_full(client, case, token):
    neighbour = bearer(token("resident", community="huaguoshan", sub="neighbour"))
    assert_problem(client.get(f"/cases/{case['id']}/history", headers=neighbour), 403)


def test_lists_follow_the_scope_of_each_role(client, two_cells, report, token, staff):
    first = report().get_json()
    other = bearer(token("resident", community="huaguoshan", sub="resident-2"))
    second = report(headers=other, lon=HGS_LON + 0.003, lat=HGS_LAT + 0.001).get_json()  # HGS-02
    step(client, second, "refer", staff, department="housing", note="landlord issue")

    def ids(headers, query=""):
        response = client.get(f"/cases{query}", headers=headers)
        assert response.status_code == 200, response.get_json()
        return {c["id"] for c in response.get_json()}

    assert ids(staff) == {first["id"], second["id"]}

    def holder(role, **claims):
        return bearer(token(role, **claims))

    assert ids(holder("resident", community="huaguoshan", sub="resident-1")) == {first["id"]}
    assert ids(holder("grid_worker", community="huaguoshan", sub="worker-2")) == {second["id"]}
    assert ids(holder("department", community=None, department="housing")) == {second["id"]}
    assert ids(holder("department", community=None, department="fire")) == set()
    assert ids(bearer(token("center_staff", community="chiwan"))) == set()
    assert ids(staff, "?cell_code=HGS-02") == {second["id"]}
    assert ids(staff, "?status=referred") == {second["id"]}
    assert ids(staff, "?status=open&category=hazard_fire") == {first["id"], second["id"]}
    public = client.get("/cases/public?community=huaguoshan", headers=other).get_json()
    assert {c["id"] for c in public} == {first["id"], second["id"]}
    assert all(c["description"] is None for c in public)


def test_bad_list_filters_are_422(client, staff):
    body = assert_problem(client.get("/cases?status=pending", headers=staff), 422, field="query.status")
    assert "Use open, closed" in body["errors"]["query.status"][0]
    assert_problem(client.get("/cases?cell_code=HGS-99", headers=staff), 422, field="cell_code")
