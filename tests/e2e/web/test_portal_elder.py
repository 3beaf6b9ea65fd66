"""The portal's elder-friendly mode (适老化): a header switch turns on larger type and higher
contrast, is remembered on the device, and the page still passes axe-core; and it takes a
ticket in fewer steps — one tap on the start page for a matter with nothing to fill in, the
form with the matter already chosen for the others."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from . import scenarios
from .support import check_accessibility, open_signed_in, screenshot


def test_elder_mode_enlarges_the_portal_and_is_remembered(platform, phone, output_dir):
    page = phone
    open_signed_in(page, f"{platform.url}/", platform.token("resident"))
    switch = page.get_by_role("button", name="长辈模式")
    expect(switch).to_have_attribute("aria-pressed", "false")
    size = "() => getComputedStyle(document.documentElement).fontSize"
    normal = page.evaluate(size)
    switch.click()
    expect(switch).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("() => document.documentElement.classList.contains('elder')")
    assert (normal, page.evaluate(size)) == ("16px", "20px")
    check_accessibility(page)
    screenshot(page, output_dir, "elder")
    page.reload()
    expect(page.get_by_role("button", name="长辈模式")).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("() => document.documentElement.classList.contains('elder')")


class Steps:
    """What the resident does, one entry per tap or field filled (the count 适老化 asks to cut)."""

    def __init__(self) -> None:
        self.taken: list[str] = []

    def tap(self, locator) -> None:
        self.taken.append("tap")
        locator.click()

    def fill(self, locator, value: str) -> None:
        self.taken.append("fill")
        if locator.evaluate("e => e.tagName") == "SELECT":
            locator.select_option(value)
        else:
            locator.fill(value)


def _ticket_page(page, resident, code: str) -> dict:
    expect(page).to_have_url(re.compile(r"/tickets/[0-9a-f-]{36}$"))
    ticket = resident.get(f"/intake/tickets/{page.url.rsplit('/', 1)[1]}")
    assert (ticket["business_type"], ticket["channel"], ticket["status"]) == (code, "portal", "waiting")
    expect(page.locator(".big-number")).to_have_text(ticket["number"])
    return ticket


def test_elder_mode_takes_a_ticket_in_fewer_steps(platform, phone, output_dir):
    page = phone
    setup = scenarios.desk(platform)
    plain, with_form = setup["other"], setup["type"]  # nothing to fill in; a two-field form
    resident = platform.api(platform.token("resident"))
    open_signed_in(page, f"{platform.url}/", platform.token("resident"))
    quick = page.get_by_role("heading", name="一键取号")
    expect(quick).to_be_hidden()  # only in the elder mode

    # the usual way, from the start page: the tile, the business type, the button
    usual = Steps()
    usual.tap(page.get_by_role("link", name="网上取号").first)
    usual.fill(page.get_by_label("办理事项"), plain["code"])
    usual.tap(page.get_by_role("button", name="取号"))
    _ticket_page(page, resident, plain["code"])

    # in the elder mode: one tap on the start page takes the same ticket
    page.goto(f"{platform.url}/")
    page.get_by_role("button", name="长辈模式").click()
    expect(quick).to_be_visible()
    check_accessibility(page)
    screenshot(page, output_dir, "quick-take")
    elder = Steps()
    elder.tap(page.get_by_role("button", name=f"取号：{plain['name_zh']}", exact=True))
    _ticket_page(page, resident, plain["code"])
    assert (len(usual.taken), len(elder.taken)) == (3, 1)

    # a matter with a form: its button opens the form with the matter already chosen
    page.goto(f"{platform.url}/")
    form_steps = Steps()
    form_steps.tap(page.get_by_role("link", name=f"填写并取号：{with_form['name_zh']}"))
    expect(page.get_by_label("办理事项")).to_have_value(with_form["code"])
    form_steps.fill(page.get_by_label("房屋地址"), "花果山 7 栋 1201")
    form_steps.fill(page.get_by_label("租住类型"), "rent")
    check_accessibility(page)
    form_steps.tap(page.get_by_role("button", name="取号"))
    _ticket_page(page, resident, with_form["code"])
    assert form_steps.taken == ["tap", "fill", "fill", "tap"]  # the usual way also picks the matter: 5
