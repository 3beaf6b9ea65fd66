"""Departments' subscriptions in the console: an administrator grants event types; the
department subscribes (the secret shown once), pauses, and reads the delivery log."""

from __future__ import annotations

from playwright.sync_api import expect

from .support import check_accessibility, screenshot, sign_in_as_demo, sign_out


def test_an_administrator_grants_and_the_department_subscribes(platform, desktop, output_dir):
    page = desktop
    sign_in_as_demo(page, f"{platform.url}/console/subscriptions", "admin")
    expect(page.locator("h1")).to_have_text("部门事件订阅")
    grants = page.locator("section", has=page.get_by_role("heading", name="授权（管理员）"))
    grants.get_by_label("部门").fill("city_management")
    grants.get_by_label("事件类型").fill("grid.case.*")
    grants.get_by_role("button", name="授权").click()
    expect(grants.locator("tr", has_text="city_management")).to_contain_text("grid.case.*")
    screenshot(page, output_dir, "admin-grants")

    sign_out(page)
    sign_in_as_demo(page, f"{platform.url}/console/subscriptions", "department")
    expect(page.locator("h1")).to_have_text("部门事件订阅")
    page.get_by_text("新建订阅").click()
    creating = page.locator("details", has_text="新建订阅")
    creating.get_by_label("名称").fill("网格案件推送")
    creating.get_by_label("事件类型").fill("intake.case.referred")
    creating.get_by_label("回调地址").fill("https://93.184.215.14/hooks/community")
    creating.get_by_role("button", name="创建").click()
    expect(creating).to_contain_text("未授权订阅这些事件类型：intake.case.referred")
    creating.get_by_label("事件类型").fill("grid.case.*")
    creating.get_by_role("button", name="创建").click()
    expect(page.locator(".shown-once code.secret")).to_contain_text("whsec_")
    row = page.locator("tr", has_text="网格案件推送")
    expect(row).to_contain_text("推送中")
    row.get_by_role("button", name="暂停").click()
    expect(page.locator("tr", has_text="网格案件推送")).to_contain_text("已暂停")
    check_accessibility(page)
    screenshot(page, output_dir, "department-subscriptions")

    page.locator("a", has_text="网格案件推送").click()
    expect(page.locator("h1")).to_have_text("推送记录")
    expect(page.get_by_text("尚无推送记录")).to_be_visible()
