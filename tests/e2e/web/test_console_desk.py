"""The window desk: a clerk calls and completes a ticket (keyboard), and the hall display shows it."""

from __future__ import annotations

from datetime import datetime, timedelta

from playwright.sync_api import expect

from tests.support.helpers import wait_for

from . import scenarios
from .support import check_accessibility, screenshot, sign_in_as_demo


def test_window_clerk_calls_and_completes_a_ticket(platform, desktop, output_dir):
    page = desktop
    setup = scenarios.desk(platform)
    ticket = scenarios.walk_in_ticket(setup)

    sign_in_as_demo(page, f"{platform.url}/console/desk", "window_clerk")
    expect(page.locator("h1")).to_have_text("窗口工作台")
    page.get_by_label("我的窗口").select_option(setup["window"]["id"])
    queue = page.locator(".desk-queue")
    expect(queue.get_by_role("cell", name=ticket["number"], exact=True)).to_be_visible()
    check_accessibility(page)
    screenshot(page, output_dir, "1-queue")

    expect(page.locator('.ticket-panel.idle button[data-action="call-next"]')).to_be_enabled()
    page.keyboard.press("c")  # call next
    panel = page.locator(".ticket-panel")
    expect(panel.locator(".big-number")).to_have_text(ticket["number"])
    expect(panel).to_have_attribute("data-status", "called")
    expect(page.locator("#flash")).to_contain_text(ticket["number"])
    page.keyboard.press("s")  # start serving
    expect(panel).to_have_attribute("data-status", "serving")
    expect(panel.get_by_text("花果山 3 栋 502")).to_be_visible()
    screenshot(page, output_dir, "2-serving")

    panel.get_by_role("button", name="办结").click()
    expect(page.locator(".ticket-panel.idle")).to_be_visible()
    expect(page.locator("#flash")).to_contain_text(f"{ticket['number']} 已办结")
    done = setup["staff"].get(f"/intake/tickets/{ticket['id']}")
    assert done["status"] == "completed"
    assert [step["action"] for step in done["steps"]] == ["issue", "call", "start", "complete"]
    check_accessibility(page)
    screenshot(page, output_dir, "3-completed")

    page.get_by_role("button", name="English").click()
    expect(page.locator("h1")).to_have_text("Window desk")
    assert page.evaluate("document.documentElement.lang") == "en"
    check_accessibility(page)
    screenshot(page, output_dir, "4-english")


def test_hall_display_shows_the_called_ticket_in_large_type(platform, browser, output_dir):
    setup = scenarios.desk(platform)
    ticket = scenarios.walk_in_ticket(setup)
    setup["staff"].post(f"/intake/windows/{setup['window']['id']}/call", {"ticket_id": ticket["id"]})

    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(f"{platform.url}/display/huaguoshan")  # public: no sign-in
        card = page.locator(f'.window-card[data-window="{setup["window"]["number"]}"]')
        expect(card.locator(".called-number")).to_have_text(ticket["number"])
        expect(card).to_have_class("window-card fresh")
        size = "parseFloat(getComputedStyle(document.querySelector('.called-number')).fontSize)"
        assert page.evaluate(size) >= 64
        check_accessibility(page)
        screenshot(page, output_dir, "display")
    finally:
        context.close()


def test_window_desk_holds_resumes_recalls_marks_no_show_and_pauses(platform, desktop, output_dir):
    page = desktop
    setup = scenarios.desk(platform)
    first = scenarios.walk_in_ticket(setup)
    second = scenarios.walk_in_ticket(setup)

    sign_in_as_demo(page, f"{platform.url}/console/desk", "window_clerk")
    page.get_by_label("我的窗口").select_option(setup["window"]["id"])
    panel = page.locator(".ticket-panel")
    expect(page.locator('.ticket-panel.idle button[data-action="call-next"]')).to_be_enabled()
    page.keyboard.press("c")
    expect(panel.locator(".big-number")).to_have_text(first["number"])
    page.keyboard.press("h")  # a document is missing: set the ticket aside
    expect(page.locator(".ticket-panel.idle")).to_be_visible()
    held = page.locator("table.data", has=page.locator("caption", has_text="暂缓（1）"))
    expect(held).to_contain_text(first["number"])

    page.keyboard.press("c")
    expect(panel.locator(".big-number")).to_have_text(second["number"])
    page.keyboard.press("r")
    expect(page.locator("#flash")).to_contain_text(f"已重新叫号 {second['number']}")
    page.keyboard.press("x")
    expect(page.locator("#flash")).to_contain_text(f"{second['number']} 已过号")

    held.get_by_role("button", name="恢复排队").click()
    waiting = page.locator("table.data", has=page.locator("caption", has_text="等候中"))
    expect(waiting).to_contain_text(first["number"])
    screenshot(page, output_dir, "1-resumed")

    page.get_by_role("button", name="暂停窗口").click()
    expect(page.locator(".window-status .badge")).to_have_text("暂停")
    expect(page.locator('button[data-action="call-next"]')).to_be_disabled()
    check_accessibility(page)
    screenshot(page, output_dir, "2-paused")
    page.get_by_role("button", name="开放窗口").click()
    expect(page.locator('button[data-action="call-next"]')).to_be_enabled()

    staff = setup["staff"]
    assert staff.get(f"/intake/tickets/{first['id']}")["status"] == "waiting"
    steps = [s["action"] for s in staff.get(f"/intake/tickets/{second['id']}")["steps"]]
    assert steps == ["issue", "call", "recall", "no_show"]


def _in_feed(platform, name, ticket_id) -> bool:
    """Has the gateway's event feed seen `name` for this ticket (so a page open now is not told of it)?"""
    buffered = list(platform.built.gateway.feed.buffer)
    return any(entry.name == name and ticket_id in entry.json for entry in buffered)


def test_hall_display_is_told_of_a_call_and_refetches_once_without_polling(platform, browser, output_dir):
    setup = scenarios.desk(platform)
    ticket = scenarios.walk_in_ticket(setup)
    wait_for(lambda: _in_feed(platform, "intake.ticket.issued", ticket["id"]), message="the issue event")

    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    page = context.new_page()
    fetched: list[str] = []
    page.on("request", lambda sent: fetched.append(sent.url) if "/api/intake/display" in sent.url else None)
    try:
        # The page's timers stand still unless the test moves them: no poll and no debounced
        # refetch can happen by itself, only what the change stream sets off.
        page.clock.install()
        page.clock.pause_at(datetime.now() + timedelta(seconds=1))
        page.goto(f"{platform.url}/display/huaguoshan")
        root = page.locator("html")
        expect(root).to_have_attribute("data-live", "push")
        expect(page.locator(".live-mode")).to_contain_text("实时更新")
        card = page.locator(f'.window-card[data-window="{setup["window"]["number"]}"]')
        expect(card.locator(".called-number")).to_have_text("—")
        assert len(fetched) == 1  # the first load

        setup["staff"].post(f"/intake/windows/{setup['window']['id']}/call", {"ticket_id": ticket["id"]})
        expect(root).to_have_attribute("data-signals", "1")
        assert len(fetched) == 1  # told, but the refetch waits for its jitter (at most 2 s)
        page.clock.run_for(2_000)
        expect(card.locator(".called-number")).to_have_text(ticket["number"])
        assert len(fetched) == 2  # exactly one refetch, set off by the signal

        page.clock.run_for(30_000)  # half a minute of quiet: polling every 3 s would fetch ten times
        with page.expect_request("**/healthz"):  # every request sent before this one has been seen
            page.evaluate("fetch('/healthz')")
        assert len(fetched) == 2
        screenshot(page, output_dir, "display-pushed")
    finally:
        context.close()
