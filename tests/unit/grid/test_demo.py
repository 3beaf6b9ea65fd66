"""Reference data: the seven communities' cells around Shekou, the checklist, planned rounds."""

from deploy.demo import grid_reference as demo
from services.chassis.config import COMMUNITIES
from services.grid import worker  # noqa: F401  (the worker module imports cleanly)
from services.grid.usecases import geometry


def test_cells_are_valid_and_never_overlap_even_across_communities():
    cells = [
        (code, geometry.parse_boundary(polygon))
        for community in COMMUNITIES
        for code, _, polygon in demo.cell_polygons(community)
    ]
    assert len(cells) == 30
    for index, (code, shape) in enumerate(cells):
        assert 30_000 < geometry.area_m2(shape) < 250_000, code  # a few blocks
        assert geometry.overlaps(shape, cells[index + 1 :]) == {}


def test_cells_lie_on_the_shekou_peninsula():
    for community in COMMUNITIES:
        for code, _, polygon in demo.cell_polygons(community):
            lon, lat = geometry.parse_boundary(polygon).centroid.coords[0]
            assert 113.87 < lon < 113.95 and 22.46 < lat < 22.52, code
    huaguoshan = geometry.parse_boundary(demo.cell_polygons("huaguoshan")[0][2]).centroid
    assert abs(huaguoshan.x - 113.91) < 0.01 and abs(huaguoshan.y - 22.49) < 0.01


def test_loading_twice_changes_nothing(grid, client, token):
    demo.load_reference_data(grid.runtime)
    counts = {
        t: grid.count(t)
        for t in ("cells", "cell_workers", "checklist_items", "inspection_plans", "cells_version", "outbox")
    }
    assert counts["cells"] == 30 and counts["checklist_items"] == len(demo.CHECKLIST)
    assert counts["inspection_plans"] == 60  # this month and next, per cell
    with grid.runtime.database.engine.connect() as connection:
        version = connection.exec_driver_sql("SELECT version FROM cells_version").scalar()
    demo.load_reference_data(grid.runtime)
    assert {t: grid.count(t) for t in counts} == counts
    with grid.runtime.database.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT version FROM cells_version").scalar() == version
    located = client.get("/cells/locate?lon=113.909&lat=22.490").get_json()
    assert located["community"] == "huaguoshan"


def test_demo_workers_walk_two_cells_each(grid, client):
    demo.load_reference_data(grid.runtime)
    cells = client.get("/cells?community=chiwan", headers={}).get_json()
    assert [c["code"] for c in cells] == ["CW-01", "CW-02", "CW-03", "CW-04"]
    assert demo.worker_for("chiwan", 1) == demo.worker_for("chiwan", 2) == "gw-chiwan-1"


def test_a_cell_the_district_drew_stays_and_no_reference_cell_overlaps_it(grid):
    """`community bootstrap` on a platform in use: the district's own cell stays and the
    reference cell it overlaps is not drawn; every other reference cell is."""
    from sqlalchemy import select

    from services.grid.models import Cell
    from services.grid.usecases import cells

    reference = demo.cell_polygons("huaguoshan")
    with grid.runtime.unit_of_work() as uow:
        cells.create_cell(
            uow,
            demo.DEMO,
            {
                "code": "HGS-OWN",
                "community": "huaguoshan",
                "name": "自划网格",
                "boundary": reference[0][2],
                "workers": [],
            },
        )
        uow.commit()
    demo.load_reference_data(grid.runtime)
    demo.load_reference_data(grid.runtime)
    with grid.runtime.unit_of_work() as uow:
        drawn = uow.session.execute(select(Cell.community, Cell.code)).all()
    mine = sorted(code for community, code in drawn if community == "huaguoshan")
    assert mine == sorted(["HGS-OWN", *(code for code, _, _ in reference[1:])])
    assert len(drawn) == 30
