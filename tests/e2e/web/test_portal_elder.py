"""The portal's elder-friendly mode (适老化): a header switch turns on larger type and higher
contrast, is remembered on the device, and the page still passes axe-core."""

from __future__ import annotations

from playwright.sync_api import expect

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
