"""Cells over HTTP: drawing, redrawing with If-Match, refusals that change nothing, lookup."""

from services.chassis.runtime import Runtime
from services.grid import models
from services.grid.app import create_app
from tests.support.helpers import assert_problem, bearer
from tests.unit.grid.conftest import HGS_LAT, HGS_LON, square


def post_cell(client, headers, code, boundary, **fields):
    """POST /cells as `headers` say: cell `code` of huaguoshan named "x" with this boundary, and `fields`."""
    return client.post(
        "/cells",
        json={"code": code, "community": "huaguoshan", "name": "x", "boundary": boundary, **fields},
        headers=headers,
    )


def nothing_changed(grid):
    assert grid.count("cells") == 0
    assert grid.count("cell_workers") == 0
    with grid.runtime.database.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT version FROM cells_version").scalar() == 0


def test_a_cell_is_drawn_with_area_workers_and_etag(client, staff, grid):
    response = post_cell(
        client,
        staff,
        "HGS-01",
        square(HGS_LON, HGS_LAT),
        name="花果山社区第1网格",
        workers=["worker-1", "worker-2"],
    )
    assert response.status_code == 201
    body = response.get_json()
    assert body["code"] == "HGS-01" and body["workers"] == ["worker-1", "worker-2"]
    assert 45_000 < body["area_m2"] < 46_500
    assert response.headers["ETag"] == f'"cell-{body["id"][:8]}-1"'
    assert grid.count("cell_workers") == 2


def test_an_invalid_boundary_is_422_on_boundary_and_nothing_is_stored(client, staff, grid):
    open_ring = square(HGS_LON, HGS_LAT)
    open_ring["coordinates"][0].pop()
    response = post_cell(client, staff, "HGS-01", open_ring)
    body = assert_problem(response, 422, type_suffix="invalid-boundary", field="boundary")
    assert body["errors"]["boundary"] == [
        "the exterior ring is not closed (its first and last positions differ)."
    ]
    nothing_changed(grid)


def test_an_overlapping_cell_is_409_naming_the_other_cell(client, staff, make_cell, grid):
    make_cell("HGS-01")
    response = post_cell(client, staff, "HGS-02", square(HGS_LON + 0.001, HGS_LAT))
    body = assert_problem(response, 409, type_suffix="overlapping-cells")
    assert body["overlapping_cells"] == ["HGS-01"]
    assert "HGS-01 (22" in body["detail"] and "m²" in body["detail"]
    assert grid.count("cells") == 1


def test_cells_of_different_communities_may_overlap(client, token, make_cell):
    make_cell("HGS-01")
    chiwan = bearer(token("center_staff", community="chiwan"))
    make_cell("CW-01", community="chiwan", headers=chiwan, workers=())


def test_a_duplicate_code_is_409(client, staff, make_cell, grid):
    make_cell("HGS-01")
    response = post_cell(client, staff, "HGS-01", square(HGS_LON + 0.01, HGS_LAT))
    assert_problem(response, 409, type_suffix="duplicate-code")
    assert grid.count("cells") == 1


def test_bad_fields_are_422_by_field(client, staff, grid):
    response = client.post(
        "/cells",
        json={"code": "hgs 1", "community": "shekou", "name": "", "boundary": square(HGS_LON, HGS_LAT)},
        headers=staff,
    )
    body = assert_problem(response, 422, type_suffix="validation-failed")
    assert set(body["errors"]) == {"code", "community", "name"}
    nothing_changed(grid)


def test_staff_of_another_community_may_not_draw_here(client, token, grid):
    chiwan = bearer(token("center_staff", community="chiwan"))
    response = post_cell(client, chiwan, "HGS-01", square(HGS_LON, HGS_LAT))
    assert_problem(response, 403, detail_contains="does not cover the community 'huaguoshan'")
    nothing_changed(grid)


def test_a_grid_worker_may_not_draw_cells(client, worker, grid):
    response = post_cell(client, worker, "HGS-01", square(HGS_LON, HGS_LAT))
    assert_problem(response, 403, detail_contains="center_staff, committee_member")
    nothing_changed(grid)


def test_redrawing_needs_if_match_and_refuses_a_stale_etag(client, staff, make_cell):
    cell = make_cell("HGS-01")
    change = {"name": "renamed", "boundary": square(HGS_LON, HGS_LAT, 0.003)}
    assert_problem(client.put("/cells/HGS-01", json=change, headers=staff), 428)
    stale = '"cell-00000000-1"'
    assert_problem(client.put("/cells/HGS-01", json=change, headers={**staff, "If-Match": stale}), 412)
    etag = client.get("/cells/HGS-01").headers["ETag"]
    response = client.put("/cells/HGS-01", json=change, headers={**staff, "If-Match": etag})
    assert response.status_code == 200
    assert response.get_json()["name"] == "renamed" and response.get_json()["version"] == 2
    assert response.headers["ETag"] != etag
    assert_problem(client.put("/cells/HGS-01", json=change, headers={**staff, "If-Match": etag}), 412)
    assert cell["version"] == 1


def test_workers_are_shown_to_staff_only(client, make_cell, resident, staff):
    make_cell("HGS-01")
    assert client.get("/cells/HGS-01").get_json()["workers"] is None
    assert client.get("/cells/HGS-01", headers=resident).get_json()["workers"] is None
    assert client.get("/cells/HGS-01", headers=staff).get_json()["workers"] == ["worker-1"]
    listed = client.get("/cells?community=huaguoshan", headers=staff).get_json()
    assert [c["workers"] for c in listed] == [["worker-1"]]


def test_locate_finds_the_cell_or_answers_404(client, make_cell):
    make_cell("HGS-01")
    found = client.get(f"/cells/locate?lon={HGS_LON + 0.001}&lat={HGS_LAT + 0.001}")
    assert found.status_code == 200 and found.get_json()["code"] == "HGS-01"
    missing = client.get(f"/cells/locate?lon={HGS_LON + 0.5}&lat={HGS_LAT}")
    assert_problem(missing, 404, type_suffix="outside-every-cell")
    assert_problem(client.get("/cells/locate?lon=500&lat=22.49"), 422, field="query.lon")


def test_another_replica_sees_new_cells_through_the_version_row(grid, client, make_cell):
    other = create_app(runtime=Runtime(grid.runtime.settings, models.Base.metadata)).test_client()
    point = f"lon={HGS_LON + 0.001}&lat={HGS_LAT + 0.001}"
    assert other.get(f"/cells/locate?{point}").status_code == 404  # builds its (empty) index
    make_cell("HGS-01")  # drawn through the first replica
    assert other.get(f"/cells/locate?{point}").get_json()["code"] == "HGS-01"


def test_subdistrict_officers_draw_and_redraw_cells_of_their_communities(client, token):
    from tests.support.helpers import assert_problem, bearer
    from tests.unit.grid.conftest import HGS_LAT, HGS_LON, square

    officer = bearer(token("subdistrict_officer", community="huaguoshan", sub="officer-1"))
    body = {
        "code": "HGS-77",
        "community": "huaguoshan",
        "name": "新网格",
        "boundary": square(HGS_LON, HGS_LAT),
    }
    created = client.post("/cells", json=body, headers=officer)
    assert created.status_code == 201, created.get_json()
    redrawn = client.put(
        "/cells/HGS-77",
        json={"boundary": square(HGS_LON, HGS_LAT, 0.003)},
        headers={**officer, "If-Match": created.headers["ETag"]},
    )
    assert redrawn.status_code == 200
    elsewhere = bearer(token("subdistrict_officer", community="chiwan", sub="officer-2"))
    other = {**body, "code": "HGS-78", "boundary": square(HGS_LON + 0.01, HGS_LAT)}
    assert_problem(client.post("/cells", json=other, headers=elsewhere), 403)
