"""From the desk to a case: a clerk transfers a ticket, serves it, opens a follow-up case and
works it to closed; the resident follows it in the portal and rates it."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from . import scenarios
from .support import check_accessibility, open_signed_in, screenshot, sign_in_as_demo


def test_a_served_ticket_becomes_a_case_worked_to_closed_and_rated(platform, desktop, phone, output_dir):
    page = desktop
    setup = scenarios.desk(platform)
    resident = platform.api(platform.token("resident"))
    ticket = resident.post(
        "/intake/tickets",
        {
            "community": "huaguoshan",
            "business_type": setup["type"]["code"],
            "channel": "portal",
            "attributes": {"place": "花果山 9 栋 303", "tenure": "rent"},
        },
    )

    sign_in_as_demo(page, f"{platform.url}/console/desk", "window_clerk")
    page.get_by_label("我的窗口").select_option(setup["window"]["id"])
    expect(page.locator('.ticket-panel.idle button[data-action="call-next"]')).to_be_enabled()
    page.keyboard.press("c")
    expect(page.locator(".ticket-panel .big-number")).to_have_text(ticket["number"])
    page.keyboard.press("t")  # the resident's matter is another business type: transfer it
    transfer = page.locator(".ticket-panel form")
    transfer.get_by_label("办理事项").select_option(setup["other"]["code"])
    transfer.get_by_role("button", name="转办").click()
    expect(page.locator("#flash")).to_contain_text(f"{ticket['number']} 已转办")
    expect(page.locator(".ticket-panel.idle")).to_be_visible()

    page.keyboard.press("c")
    expect(page.locator(".ticket-panel")).to_have_attribute("data-status", "called")
    expect(page.locator(".ticket-panel")).to_contain_text("住房困难求助（测试）")
    page.keyboard.press("s")
    expect(page.locator(".ticket-panel")).to_have_attribute("data-status", "serving")
    page.keyboard.press("d")
    follow_up = page.locator(".follow-up")
    expect(follow_up).to_contain_text(f"{ticket['number']} 需要后续办理")
    follow_up.get_by_label("事项摘要").fill("租住房屋漏水，房东拒绝维修，申请协调。")
    check_accessibility(page)
    screenshot(page, output_dir, "1-follow-up")
    follow_up.get_by_role("button", name="开立办件").click()
    expect(page.locator("#flash")).to_contain_text(re.compile(r"已开立办件 IC-\d{4}-\d{6}"))
    number = re.search(r"IC-\d{4}-\d{6}", page.locator("#flash").inner_text()).group(0)

    page.get_by_role("link", name="办件管理").click()
    page.get_by_role("link", name=number).click()
    expect(page.locator(".page-header .badge").first).to_have_text("已受理")
    steps = (("开始办理", None), ("登记解决结果", "已联系房东，约定本周内维修。"), ("办结", None))
    for action, fill in steps:
        page.locator(f'button[data-action]:has-text("{action}")').click()
        form = page.locator(".action-form form")
        if fill:
            form.get_by_label("办理结果").fill(fill)
        form.get_by_role("button", name=action).click()
        expect(page.locator("#flash")).to_contain_text(number)
    expect(page.locator(".page-header .badge").first).to_have_text("已办结")
    expect(page.locator(".timeline li")).to_have_count(4)  # opened, started, resolved, closed
    check_accessibility(page)
    screenshot(page, output_dir, "2-case-closed")

    # The resident follows it on the phone and rates the case.
    open_signed_in(phone, f"{platform.url}/mine", platform.token("resident"))
    cases = phone.locator("section", has=phone.get_by_role("heading", name="我的办件"))
    row = cases.locator("tr", has=phone.get_by_role("link", name=number))
    expect(row).to_contain_text("已办结")
    check_accessibility(phone)
    screenshot(phone, output_dir, "3-my-matters")
    row.get_by_role("link", name="评价").click()
    phone.get_by_label("4 分 · 满意").check()
    phone.get_by_role("button", name="提交评价").click()
    expect(phone.get_by_text("您已评价：4 分。")).to_be_visible()
    screenshot(phone, output_dir, "4-case-rated")
    case_id = phone.url.rsplit("/", 1)[1]
    assert [
        (f["target_kind"], f["score"]) for f in resident.get("/intake/feedback") if f["target_id"] == case_id
    ] == [("case", 4)]
