"""Grid work in the console: the cell map with open cases, and a grid worker resolving a case."""

from __future__ import annotations

from playwright.sync_api import expect

from . import scenarios
from .support import check_accessibility, screenshot, sign_in_as_demo


def test_grid_worker_resolves_a_case(platform, desktop, output_dir):
    page = desktop
    cell = scenarios.grid_cell(platform)
    ring = cell["boundary"]["coordinates"][0]
    lon, lat = (ring[0][0] + ring[2][0]) / 2, (ring[0][1] + ring[2][1]) / 2
    resident = platform.api(platform.token("resident"))
    case = resident.post(
        "/grid/cases",
        {
            "community": "huaguoshan",
            "category": "hazard_fire",
            "description": "消防通道被电动车堵塞。",
            "lon": lon,
            "lat": lat,
        },
    )

    sign_in_as_demo(page, f"{platform.url}/console/grid?cell_code={cell['code']}", "grid_worker")
    expect(page.locator("h1")).to_have_text("网格事件")
    marker = page.locator(f'.leaflet-box a.marker[href$="/grid/cases/{case["number"]}"]')
    expect(marker).to_have_count(1)
    expect(marker).to_have_class("marker severity-high")
    check_accessibility(page)
    screenshot(page, output_dir, "1-map")

    page.locator("table.data").get_by_role("link", name=case["number"]).click()
    expect(page.locator("h1")).to_have_text(case["number"])
    actions = page.locator("[data-action]")
    expect(actions).to_have_count(3)  # accept, mark as duplicate, escalate: what a grid worker may do now
    page.get_by_role("button", name="受理").click()
    page.locator(".action-form").get_by_label("紧急程度").select_option("critical")
    page.locator(".action-form").get_by_role("button", name="受理").click()
    expect(page.locator(".page-header .badge").first).to_have_text("已受理")

    page.get_by_role("button", name="处置完成").click()
    page.locator(".action-form").get_by_role("button", name="处置完成").click()
    note = page.locator('.action-form [data-field="note"]')
    expect(note.locator(".field-error")).to_be_visible()  # a resolution needs a note: shown beside it
    check_accessibility(page)
    note.locator("textarea").fill("已清理通道，张贴禁停提示。")
    page.locator(".action-form").get_by_role("button", name="处置完成").click()
    expect(page.locator(".page-header .badge").first).to_have_text("已处置")
    expect(page.locator(".timeline")).to_contain_text("已清理通道，张贴禁停提示。")
    done = platform.api(platform.token("grid_worker")).get(f"/grid/cases/{case['number']}")
    assert (done["status"], done["severity"]) == ("resolved", "critical")
    check_accessibility(page)
    screenshot(page, output_dir, "2-resolved")


def test_overdue_cases_are_highlighted_on_the_map_and_in_the_list(platform, desktop, output_dir):
    page = desktop
    cell = scenarios.grid_cell(platform)
    ring = cell["boundary"]["coordinates"][0]
    staff = platform.api(platform.token("window_clerk"))
    reports = (("hazard_gas", "critical", 0.0008), ("environment", "low", 0.002))
    cases = [
        staff.post(
            "/grid/cases",
            {
                "community": "huaguoshan",
                "category": category,
                "severity": severity,
                "description": "巡查发现的问题（测试）",
                "lon": ring[0][0] + dx,
                "lat": ring[0][1] + 0.001,
            },
        )
        for category, severity, dx in reports
    ]
    overdue = cases[0]["number"]

    def mark_overdue(route):
        # Time cannot be moved in the services: the answer of the list is marked as the
        # overdue sweep would, to check what the page makes of it.
        response = route.fetch()
        body = [{**item, "overdue": item["number"] == overdue} for item in response.json()]
        route.fulfill(response=response, json=body)

    page.route("**/api/grid/cases?*", mark_overdue)
    sign_in_as_demo(page, f"{platform.url}/console/grid?cell_code={cell['code']}", "window_clerk")
    marker = page.locator(f'.leaflet-box a.marker[href$="/grid/cases/{overdue}"]')
    expect(marker).to_have_class("marker severity-critical overdue")  # ringed (dashed outline)
    other = page.locator(f'.leaflet-box a.marker[href$="/grid/cases/{cases[1]["number"]}"]')
    expect(other).to_have_class("marker severity-low")
    row = page.locator("table.data tr", has=page.get_by_role("link", name=overdue))
    expect(row).to_have_class("overdue")
    expect(row).to_contain_text("已超期")
    check_accessibility(page)
    screenshot(page, output_dir, "overdue")
