"""Analytics in the console: waits by business type and hour, utilisation, and the pooling report."""

from __future__ import annotations

from playwright.sync_api import expect

from . import scenarios
from .support import check_accessibility, screenshot, sign_in_as_demo


def test_analytics_show_waits_utilisation_and_the_pooling_report(platform, desktop, output_dir):
    page = desktop
    setup = scenarios.desk(platform)
    staff, window = setup["staff"], setup["window"]
    for _ in range(3):
        ticket = scenarios.walk_in_ticket(setup)
        staff.post(f"/intake/windows/{window['id']}/call", {"ticket_id": ticket["id"]})
        staff.post(f"/intake/tickets/{ticket['id']}/start", {})
        staff.post(f"/intake/tickets/{ticket['id']}/complete", {})

    sign_in_as_demo(page, f"{platform.url}/console/analytics", "committee_member")
    expect(page.locator("h1")).to_have_text("统计分析")
    summary = page.locator("section", has=page.get_by_role("heading", name="窗口服务概况"))
    expect(summary.locator(".tile").first).to_contain_text("取号数")
    assert int(summary.locator(".tile .tile-number").first.inner_text()) >= 3
    expect(summary.locator("figcaption", has_text="各事项平均等候")).to_be_visible()
    expect(summary.locator("figure.chart", has_text="房屋租赁登记（测试）")).to_be_visible()
    expect(summary.locator("figcaption", has_text="窗口利用率")).to_be_visible()
    expect(summary.locator("figure.chart", has_text="办理 3 人")).to_be_visible()

    pooling = page.locator("section", has=page.get_by_role("heading", name="一窗式综合受理效果（排队模型）"))
    chart = pooling.locator("figure.chart")
    expect(chart.locator("figcaption")).to_have_text("平均等候时间：分设窗口 vs 综合窗口 vs 实测")
    expect(chart.locator("svg text.axis")).to_have_count(3)  # dedicated, pooled, measured
    expect(pooling.locator("table.data caption")).to_have_text("分设窗口时的各队列")
    check_accessibility(page)
    screenshot(page, output_dir, "analytics")

    page.get_by_label("开始日期").fill("2020-01-01")
    page.get_by_label("结束日期").fill("2020-01-31")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_text("所选期间没有数据。")).to_have_count(2)  # empty period: no chart breaks
    screenshot(page, output_dir, "empty-period")
