"""Evaluation in the console: the committee scores and closes a round and sees the result chart;
the scheme editor checks the committee ≥ 50 % rule as one types and shows the service's 422."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import expect

from . import scenarios
from .support import check_accessibility, open_signed_in, screenshot, sign_in_as_demo


def test_committee_submits_scores_and_the_result_chart_appears(platform, desktop, phone, output_dir):
    page = desktop
    story = scenarios.scheme_with_round(platform)
    round_id = story["round"]["id"]

    sign_in_as_demo(page, f"{platform.url}/console/evaluation/rounds/{round_id}", "committee_member")
    sheet = page.locator("form.score-sheet")
    expect(page.get_by_role("heading", name="评分表：居委会")).to_be_visible()
    sheet.get_by_label("Q1 服务态度").fill("101")
    sheet.get_by_label("Q2 服务成效").fill("90")
    sheet.get_by_role("button", name="以居委会身份提交评分").click()
    q1 = sheet.locator('[data-field="scores.0.score"]')
    expect(q1.locator(".field-error")).to_contain_text("less than or equal to 100")
    expect(sheet.locator('[data-field="scores.1.score"] .field-error')).to_be_hidden()
    check_accessibility(page)
    screenshot(page, output_dir, "1-score-error")

    sheet.get_by_label("Q1 服务态度").fill("95")
    sheet.get_by_role("button", name="以居委会身份提交评分").click()
    expect(page.locator("#flash")).to_contain_text("已保存 2 项评分")
    expect(page.get_by_text("2/2 项指标，1 人评分")).to_have_count(2)
    screenshot(page, output_dir, "2-scored")

    page.get_by_role("button", name="结束评分并计算结果").click()
    result = page.locator(".result")
    expect(result.locator(".score")).to_have_text("85.50")
    expect(result.locator(".score-line .badge")).to_have_text("良好")
    chart = result.locator("figure.chart").first
    expect(chart.locator("rect.bar")).to_have_count(2)  # the committee's and the subdistrict's contribution
    expect(chart.locator("figcaption")).to_have_text("各方对总分的贡献（分）")
    expect(chart.locator(".legend")).to_contain_text("居委会 (60%)")
    closed = platform.api(platform.token("committee_member")).get(f"/evaluation/rounds/{round_id}/result")
    assert (closed["score"], closed["grade"]) == (85.5, "good")
    contributions = {p["party"]: p["contribution"] for p in closed["parties"]}
    assert contributions == {"committee": 55.5, "subdistrict": 30.0}
    check_accessibility(page)
    screenshot(page, output_dir, "3-result")

    # The published result is public to the community's residents.
    open_signed_in(phone, f"{platform.url}/transparency", platform.token("resident"))
    results = phone.locator("section", has=phone.get_by_role("heading", name="年度评估结果"))
    results.get_by_role("link", name="长者关爱服务年度评估（测试）").click()
    expect(phone.locator(".result .score")).to_have_text("85.50")
    expect(phone.locator(".result figure.chart").first.locator("rect.bar")).to_have_count(2)
    check_accessibility(phone)
    screenshot(phone, output_dir, "4-resident-result")


def test_scheme_editor_checks_the_committee_rule_live_and_shows_the_services_answer(
    platform, desktop, output_dir
):
    page = desktop
    sign_in_as_demo(page, f"{platform.url}/console/evaluation/schemes/new", "committee_member")
    expect(page.locator("h1")).to_have_text("新建评估方案")
    page.get_by_label("方案名称").fill("社区服务中心年度评估（测试）")
    page.get_by_label("合同编号（选填）").fill(str(uuid.uuid4()))
    weights = (("居委会", "0.4"), ("街道办事处", "0.3"), ("居民满意度调查", "0.2"), ("第三方评估机构", "0.1"))
    for party, weight in weights:
        page.get_by_label(f"{party}权重").fill(weight)
    page.get_by_role("button", name="添加维度").click()
    dimension = page.locator("fieldset.dimension").first
    dimension.get_by_label("编码").first.fill("S")
    dimension.get_by_label("名称").first.fill("服务质量")
    dimension.get_by_label("权重").first.fill("1")
    for code, name, weight in (("S1", "服务态度", "0.6"), ("S2", "办事效率", "0.4")):
        dimension.get_by_role("button", name="添加指标").click()
        row = page.locator("fieldset.dimension").first.locator("fieldset.row-fields").last
        row.get_by_label("编码").fill(code)
        row.get_by_label("名称").fill(name)
        row.get_by_label("权重").fill(weight)

    rule = page.locator('.live-check li[data-rule="committee-weight-at-least-half"]')
    expect(rule).to_have_class("bad")
    expect(rule).to_contain_text("当前 40.00%")
    expect(page.locator('.live-check li[data-rule="party-weights-sum-to-one"]')).to_have_class("ok")
    check_accessibility(page)
    screenshot(page, output_dir, "1-live-check")

    page.get_by_role("button", name="创建方案").click()  # the service refuses it too: 422 by rule
    parties = page.locator('fieldset.parties[data-field="parties"] > .field-error')
    expect(parties).to_contain_text("at least 0.5 (got 0.4)")
    expect(page.locator(".form-problem [role=alert]")).to_have_attribute(
        "data-problem", "urn:community:problem:committee-weight-at-least-half"
    )
    screenshot(page, output_dir, "2-refused")

    page.get_by_label("居委会权重").fill("0.5")
    page.get_by_label("街道办事处权重").fill("0.2")
    expect(rule).to_have_class("ok")
    expect(page.locator(".live-check li.bad")).to_have_count(0)
    page.get_by_role("button", name="创建方案").click()
    expect(page).to_have_url(re.compile(r"/console/evaluation/schemes/[0-9a-f-]{36}$"))
    expect(page.locator("h1")).to_have_text("社区服务中心年度评估（测试） · v1")
    expect(page.get_by_role("button", name="开启评估轮次")).to_be_visible()
    screenshot(page, output_dir, "3-saved")
