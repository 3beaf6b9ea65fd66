"""Administration in the console: an administrator sets up reference data without the API —
a business type with a form, two windows, a holiday, a provider (an invalid credit code shows
its check-digit error beside the field), an Open311 key issued once and revoked — and each
result is read back through the API. axe-core runs on every page visited."""

from __future__ import annotations

import random
from pathlib import Path

from playwright.sync_api import expect

from services.contracts.domain.purchase import uscc_check_character

from . import scenarios
from .support import axe_violations, check_accessibility, open_signed_in, screenshot, unique


def _valid_uscc() -> str:
    body = f"52440305MJ{random.randrange(10**7):07d}"
    return body + uscc_check_character(body)


def test_an_administrator_sets_up_reference_data_in_the_console(platform, desktop, output_dir):
    page = desktop
    roles = ["subdistrict_officer", "center_staff"]
    token = platform.mint(unique("web-admin-"), roles, ["huaguoshan"], "管理员")
    api = platform.api(token)
    console = f"{platform.url}/console"

    # a business type with a two-field form
    code = unique("admin_")
    open_signed_in(page, f"{console}/admin", token)
    page.get_by_role("link", name="事项与表单").first.click()
    new = page.locator("details", has=page.locator("summary", has_text="新增事项"))
    new.get_by_label("代码").first.fill(code)
    new.get_by_label("中文名称").fill("居住证明开具")
    new.get_by_label("英文名称").fill("Residence certificate")
    new.locator("[data-field=department] select").select_option("civil_affairs")
    new.get_by_label("所需材料（办事指南）").fill("身份证原件\n户口簿")
    new.get_by_role("button", name="添加字段").click()
    new.get_by_role("button", name="添加字段").click()
    new.locator("[data-field='attributes.0.code'] input").fill("applicant_name")
    new.locator("[data-field='attributes.0.description'] input").fill("申请人姓名")
    new.locator("[data-field='attributes.0.required'] input").check()
    new.locator("[data-field='attributes.0.personal'] input").check()
    new.locator("[data-field='attributes.1.code'] input").fill("purpose")
    new.locator("[data-field='attributes.1.description'] input").fill("用途")
    new.locator("[data-field='attributes.1.datatype'] select").select_option("singlevaluelist")
    new.locator("[data-field='attributes.1.values'] input").fill("school:入学; job:就业")
    check_accessibility(page)
    new.get_by_role("button", name="保存事项").click()
    expect(page.get_by_role("cell", name=code)).to_be_visible()
    types = api.get("/intake/business-types", community="huaguoshan", page_size=100)
    created = {t["code"]: t for t in types}[code]
    assert [(a["code"], a["required"], a["personal"]) for a in created["attributes"]] == [
        ("applicant_name", True, True),
        ("purpose", False, False),
    ]
    choices = [{"key": "school", "name": "入学"}, {"key": "job", "name": "就业"}]
    assert created["attributes"][1]["values"] == choices
    assert created["required_documents"] == ["身份证原件", "户口簿"]
    with page.expect_download() as download:
        page.get_by_role("button", name="下载 CSV").click()
    assert download.value.suggested_filename == "business-types.csv"
    text = Path(download.value.path()).read_bytes().decode("utf-8")
    assert text.startswith("\ufeffid,") and code in text and "居住证明开具" in text

    # two windows
    page.goto(f"{console}/admin/windows")
    numbers = random.sample(range(100, 999), 2)
    for number in numbers:
        form = page.locator("details", has=page.locator("summary", has_text="新增窗口"))
        form.get_by_label("窗口号").fill(str(number))
        form.get_by_label("窗口名称").fill(f"{number}号窗口")
        form.get_by_role("button", name="保存窗口").click()
        expect(page.locator("[role=status]").first).to_contain_text(f"已保存：{number}")
    check_accessibility(page)
    windows = {w["number"]: w for w in api.get("/intake/windows", community="huaguoshan", page_size=100)}
    assert all(windows[n]["status"] == "open" for n in numbers)

    # a holiday
    page.goto(f"{console}/admin/calendar?year=2026")
    mark = page.locator("details", has=page.locator("summary", has_text="标记一天"))
    mark.get_by_label("日期").fill("2026-12-24")
    mark.get_by_label("名称").fill("社区活动日")
    mark.get_by_role("button", name="保存").click()
    expect(page.get_by_role("cell", name="社区活动日")).to_be_visible()
    check_accessibility(page)
    days = {d["day"]: d for d in api.get("/intake/calendar", year=2026)}
    assert days["2026-12-24"]["kind"] == "holiday" and days["2026-12-24"]["name"] == "社区活动日"

    # a provider: the check-digit error beside the field, then a valid code
    page.goto(f"{console}/admin/providers")
    register = page.locator("details", has=page.locator("summary", has_text="登记服务机构"))
    name = unique("深圳市南山区测试社工服务社")
    register.get_by_label("名称").fill(name)
    valid = _valid_uscc()
    wrong = valid[:-1] + ("0" if valid[-1] != "0" else "1")
    register.get_by_label("统一社会信用代码").fill(wrong)
    register.get_by_role("button", name="登记").click()
    error = register.locator("[data-field=uscc] .field-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("check")
    expect(register.get_by_label("统一社会信用代码")).to_have_attribute("aria-invalid", "true")
    screenshot(page, output_dir, "1-provider-error")
    register.get_by_label("统一社会信用代码").fill(valid)
    register.get_by_role("button", name="登记").click()
    expect(page.get_by_role("cell", name=valid)).to_be_visible()
    check_accessibility(page)
    assert [p["name"] for p in api.get("/contracts/providers", q=name[:20])] == [name]

    # an Open311 key, shown once, then revoked
    page.goto(f"{console}/admin/open311")
    app_name = unique("街坊随手拍")
    page.get_by_label("应用名称").fill(app_name)
    page.get_by_role("button", name="签发").click()
    key = page.locator("code.api-key")
    expect(key).to_contain_text("o311_")
    check_accessibility(page)
    client = next(c for c in api.get("/grid/open311-clients") if c["name"] == app_name)
    assert client["revoked_at"] is None and "api_key" not in client
    page.locator(f"[data-revoke='{client['id']}']").click()
    expect(page.locator("[role=status]").first).to_contain_text(f"已吊销：{app_name}")
    client = next(c for c in api.get("/grid/open311-clients") if c["name"] == app_name)
    assert client["revoked_at"] is not None
    screenshot(page, output_dir, "2-open311")

    # packages and the checklist: listed, their forms there, nothing for axe to object to
    for path, heading in (("packages", "服务项目"), ("checklist", "巡查清单")):
        page.goto(f"{console}/admin/{path}")
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
        page.locator("details.card > summary").click()
        check_accessibility(page)

    # the audit page, and axe itself fails on a violation (an image without a text alternative)
    page.goto(f"{console}/admin/audit")
    expect(page.get_by_role("heading", name="个人信息查阅记录")).to_be_visible()
    check_accessibility(page)
    page.evaluate(
        "() => document.querySelector('main').append("
        "Object.assign(document.createElement('img'), {src: '/static/web/icon.svg'}))"
    )
    assert "image-alt" in {v["id"] for v in axe_violations(page)}


def test_a_budget_with_an_autonomy_fund_line_and_an_amendment_the_three_parties_sign(platform, desktop):
    page = desktop
    officer_token = platform.token("subdistrict_officer")
    officer = platform.api(officer_token)
    year = random.randrange(2031, 2099)

    open_signed_in(page, f"{platform.url}/console/admin/budgets", officer_token)
    new = page.locator("details", has=page.locator("summary", has_text="设定年度预算"))
    new.get_by_label("年度").fill(str(year))
    new.get_by_label("购买服务经费（元）").fill("abc")
    new.get_by_label("社区自治基金（元）").fill("20000")
    new.get_by_role("button", name="保存预算").click()
    expect(new.locator("[data-field=services] .field-error")).to_be_visible()
    new.get_by_label("购买服务经费（元）").fill("100000")
    new.get_by_role("button", name="保存预算").click()
    budget = page.locator("article.budget", has_text=f"{year} 年度")
    expect(budget).to_be_visible()
    budget.locator("summary", has_text="拨付").click()
    budget.get_by_label("预算科目").select_option("autonomy_fund")
    budget.get_by_label("拨付金额（元）").fill("5000")
    budget.get_by_role("button", name="拨付").click()
    expect(page.get_by_text("已拨付 ¥5,000.00。")).to_be_visible()
    check_accessibility(page)
    [saved] = officer.get("/contracts/budgets", community="huaguoshan", fiscal_year=year)
    lines = {line["line"]: line for line in saved["lines"]}
    assert saved["mode"] == "committee_budget"
    assert lines["autonomy_fund"]["planned_fen"] == 2_000_000
    assert lines["autonomy_fund"]["allocated_fen"] == 500_000
    assert lines["services"]["planned_fen"] == 10_000_000

    story = scenarios.active_contract(platform)
    contract_id = story["contract"]["id"]
    url = f"{platform.url}/console/contracts/{contract_id}"
    page.goto(url)
    page.locator("[data-action=amend]").click()
    page.get_by_label("理由").fill("增加长者助餐服务点")
    page.get_by_label("变更后合同金额（元）").fill("120000")
    page.locator("form").get_by_role("button", name="提出合同变更").click()
    expect(page.locator(".page-header .badge")).to_have_text("变更签署中")
    check_accessibility(page)
    signers = {
        "subdistrict": officer_token,
        "committee": platform.token("committee_member_chiwan"),
        "provider": story["signatory"],
    }
    for party, token in signers.items():
        open_signed_in(page, url, token)
        page.locator(f"[data-sign={party}]").click()
        expect(page.locator(f".signature[data-party={party}] .signed-mark")).to_be_visible()
    expect(page.locator(".page-header .badge")).to_have_text("生效")
    contract = officer.get(f"/contracts/contracts/{contract_id}")
    amended = story["contract"]["revision"] + 1
    assert contract["status"] == "active" and contract["revision"] == amended
    assert contract["value_fen"] == 12_000_000
    assert {s["party"] for s in contract["signatures"] if s["revision"] == amended} == set(signers)
