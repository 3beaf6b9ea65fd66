"""A subdistrict officer draws grid cells on the map (Leaflet-Geoman); the grid service refuses
an overlapping one and its message is shown beside the map. With no base map configured, no
request leaves for another host."""

from __future__ import annotations

from playwright.sync_api import expect

from . import scenarios
from .support import check_accessibility, open_signed_in, screenshot, unique

MAP = ".leaflet-box"


def click_at(page, lon: float, lat: float) -> None:
    """Click the map at a longitude/latitude (through Leaflet's own projection)."""
    x, y = page.evaluate(
        "([lat, lon]) => { const p = document.querySelector('.leaflet-box').leafletMap"
        ".latLngToContainerPoint([lat, lon]); return [p.x, p.y]; }",
        [lat, lon],
    )
    box = page.locator(MAP).bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)


def draw_polygon(page, corners: list[tuple[float, float]]) -> None:
    page.locator(".leaflet-pm-icon-polygon").click()
    for lon, lat in corners:
        click_at(page, lon, lat)
    click_at(page, *corners[0])  # closing on the first corner finishes the shape


def test_an_officer_draws_a_cell_and_an_overlapping_one_is_refused_beside_the_map(
    platform, desktop, output_dir
):
    page = desktop
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(request.url.split("/")[2] if "://" in request.url else ""))
    cell = scenarios.grid_cell(platform)
    (west, south), (east, north) = (
        cell["boundary"]["coordinates"][0][0],
        cell["boundary"]["coordinates"][0][2],
    )
    token = platform.mint("officer-cells", ["subdistrict_officer"], ["huaguoshan"], "测试街道科员")
    open_signed_in(page, f"{platform.url}/console/grid/cells", token)
    expect(page.locator("h1")).to_have_text("网格划分")
    expect(page.locator(MAP)).to_have_attribute("data-ready", "true")
    page.evaluate(
        "([s, w, n, e]) => document.querySelector('.leaflet-box').leafletMap.fitBounds([[s, w], [n, e]])",
        [south, west - 0.001, north, east + 0.002],
    )

    # east of the test cell: scenario cells are 0.003° wide on a 0.004° grid, so this strip is free
    strip = [(east + 0.0002, south), (east + 0.0008, south), (east + 0.0008, north), (east + 0.0002, north)]
    draw_polygon(page, strip)
    side = page.locator("aside.map-side")
    code = unique("DRAW-").upper()
    side.get_by_label("网格编号").fill(code)
    side.get_by_label("网格名称").fill("新划网格")
    side.get_by_role("button", name="保存网格").click()
    expect(side).to_contain_text(f"网格 {code} 已创建。")
    officer = platform.api(token)
    drawn = officer.get(f"/grid/cells/{code}")
    lons = [lon for lon, _ in drawn["boundary"]["coordinates"][0]]
    # Geoman snaps a corner near the neighbour's border onto it (shared borders, no slivers)
    assert east - 1e-9 <= min(lons) <= east + 0.00021 and abs(max(lons) - (east + 0.0008)) < 2e-5
    screenshot(page, output_dir, "1-drawn")

    # redraw: drag the new cell's north-east corner 0.0002° further east, saved with If-Match
    click_at(page, east + 0.0006, (south + north) / 2)
    expect(side.locator("h2")).to_have_text(f"调整 {code} 的边界")
    corner = page.evaluate(
        "([lat, lon]) => { const p = document.querySelector('.leaflet-box').leafletMap"
        ".latLngToContainerPoint([lat, lon]); return [p.x, p.y]; }",
        [north, east + 0.0008],
    )
    box = page.locator(MAP).bounding_box()
    page.mouse.move(box["x"] + corner[0], box["y"] + corner[1])
    page.mouse.down()
    target = page.evaluate(
        "([lat, lon]) => { const p = document.querySelector('.leaflet-box').leafletMap"
        ".latLngToContainerPoint([lat, lon]); return [p.x, p.y]; }",
        [north, east + 0.0010],
    )
    page.mouse.move(box["x"] + target[0], box["y"] + target[1], steps=5)
    page.mouse.up()
    side.get_by_role("button", name="保存边界").click()
    expect(side).to_contain_text(f"网格 {code} 的边界已保存。")
    redrawn = officer.get(f"/grid/cells/{code}")
    assert redrawn["version"] == drawn["version"] + 1
    assert max(lon for lon, _ in redrawn["boundary"]["coordinates"][0]) > east + 0.0009

    overlapping = [
        (west + 0.001, south + 0.0005),
        (east + 0.0005, south + 0.0005),
        (east + 0.0005, north - 0.0005),
    ]
    draw_polygon(page, overlapping)
    side.get_by_label("网格编号").fill(unique("OVER-").upper())
    side.get_by_label("网格名称").fill("重叠网格")
    side.get_by_role("button", name="保存网格").click()
    problem = side.locator(".map-problem [role=alert]")
    expect(problem).to_have_attribute("data-problem", "urn:community:problem:overlapping-cells")
    expect(problem).to_contain_text("The boundary overlaps other cells of this community")
    expect(problem).to_contain_text(cell["code"])
    expect(problem).to_contain_text(code)
    map_box, side_box = page.locator(MAP).bounding_box(), side.bounding_box()
    assert side_box["x"] >= map_box["x"] + map_box["width"] - 1  # beside the map, not under it
    check_accessibility(page)
    screenshot(page, output_dir, "2-refused")
    assert hosts == {platform.url.split("/")[2]}, hosts
