"""Administration in the console, on a platform that holds only what the bootstrap loads (the
communities' reference data, no demo history): an administrator sets up reference data without
the API — a business type with a form, two windows, a holiday, a provider (an invalid credit
code shows its check-digit error beside the field), an Open311 key issued once and revoked —
and a service is bought end to end in the console — a committee budget with an autonomy-fund
line, a package, a provider, the purchase approved and awarded by the committee, the bid by the
provider's signatory, the contract signed by the three parties, an amendment they re-sign —
each person signed in as themselves. Each result is read back through the API; axe-core runs
on the pages visited."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from services.contracts.domain.purchase import uscc_check_character

from .conftest import serve
from .support import axe_violations, check_accessibility, open_signed_in, screenshot, unique


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    """The embedded platform after `community bootstrap` (reference data only), served here."""
    with serve(tmp_path_factory.mktemp("web-admin"), reference_data=True) as running:
        yield running


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


def _sign_in(page, url: str, token: str) -> None:
    open_signed_in(page, url, token)
    expect(page.locator(".page-header h1")).to_be_visible()


def _take_step(page, action: str, **fields: str) -> None:
    """Open one of the purchase's steps on its page, fill its form and send it."""
    page.locator(f"button[data-action={action}]").click()
    form = page.locator(".action-form form")
    for label, value in fields.items():
        control = form.get_by_label(label)
        if control.evaluate("e => e.tagName") == "SELECT":
            control.select_option(value)
        else:
            control.fill(value)
    form.locator("button[type=submit]").click()


def test_a_service_bought_and_amended_in_the_console(platform, desktop, output_dir):
    """Budget, package, provider, purchase, award, contract, amendment: every step in the
    console, each person signed in as themselves, each result read back through the API."""
    page = desktop
    officer_token = platform.token("subdistrict_officer")
    officer = platform.api(officer_token)
    member_a = platform.token("committee_member")
    member_b = platform.mint(unique("web-cm-"), ["committee_member"], ["huaguoshan"], "居委会委员乙")
    year = random.randrange(2031, 2099)
    console = f"{platform.url}/console"

    # the committee's fixed budget with an autonomy-fund line, a tranche allocated to it
    open_signed_in(page, f"{console}/admin/budgets", officer_token)
    new = page.locator("details", has=page.locator("summary", has_text="设定年度预算"))
    new.get_by_label("年度").fill(str(year))
    new.get_by_label("购买服务经费（元）").fill("abc")
    new.get_by_label("社区自治基金（元）").fill("20000")
    new.get_by_role("button", name="保存预算").click()
    expect(new.locator("[data-field=services] .field-error")).to_be_visible()
    new.get_by_label("购买服务经费（元）").fill("200000")
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
    assert lines["services"]["planned_fen"] == 20_000_000

    # a service package with one deliverable
    page.goto(f"{console}/admin/packages")
    package_code = unique("elder_care_")
    page.locator("details.card > summary").click()
    package_form = page.locator("details.card form")
    package_form.locator("[data-field=code] input").fill(package_code)
    package_form.locator("[data-field=name] input").fill("长者助餐服务")
    package_form.locator("[data-field='deliverables.0.code'] input").fill("meals")
    package_form.locator("[data-field='deliverables.0.description'] input").fill("助餐")
    package_form.locator("[data-field='deliverables.0.quantity'] input").fill("600")
    package_form.locator("[data-field='deliverables.0.unit'] input").fill("份")
    package_form.get_by_role("button", name="保存服务项目").click()
    expect(page.get_by_role("cell", name=package_code)).to_be_visible()
    [package] = [
        p
        for p in officer.get("/contracts/packages", community="huaguoshan", page_size=100)
        if p["code"] == package_code
    ]
    assert [(d["code"], d["quantity"], d["unit"]) for d in package["deliverables"]] == [("meals", 600, "份")]

    # the provider of Huaguoshan
    page.goto(f"{console}/admin/providers")
    register = page.locator("details", has=page.locator("summary", has_text="登记服务机构"))
    provider_name = unique("深圳市南山区长者服务社")
    register.get_by_label("名称").fill(provider_name)
    register.get_by_label("统一社会信用代码").fill(_valid_uscc())
    register.get_by_label("所属社区").select_option("huaguoshan")
    register.get_by_role("button", name="登记").click()
    expect(page.get_by_role("cell", name=provider_name)).to_be_visible()
    [provider] = officer.get("/contracts/providers", q=provider_name)
    assert provider["community"] == "huaguoshan" and provider["status"] == "active"
    signatory = platform.mint(
        unique("web-sign-"), ["provider_signatory"], ["huaguoshan"], "签约代表", provider_id=provider["id"]
    )

    # a committee member drafts the single-source purchase and puts it before the committee
    _sign_in(page, f"{console}/contracts", member_a)
    page.locator("details.card > summary", has_text="起草新的采购").click()
    draft = page.locator("details.card form")
    draft.get_by_label("名称").fill("长者助餐服务采购")
    draft.get_by_label("财年").fill(str(year))
    draft.get_by_label("采购方式").select_option("single_source")
    draft.get_by_label("预算金额（元）").fill("120000")
    draft.get_by_label("长者助餐服务").check()
    draft.get_by_label(provider_name).check()
    draft.get_by_label("单一来源理由").fill("社区内唯一具备助餐资质的机构")
    check_accessibility(page)
    draft.get_by_role("button", name="起草采购").click()
    expect(page).to_have_url(re.compile(r"/console/contracts/tenders/[0-9a-f-]{36}$"))
    tender_url = page.url
    tender_id = tender_url.rsplit("/", 1)[1]
    expect(page.locator(".page-header .badge")).to_have_text("草稿")
    tender = officer.get(f"/contracts/tenders/{tender_id}")
    assert (tender["buyer"], tender["fiscal_year"]) == ("committee", year)
    assert tender["estimated_value_fen"] == 12_000_000
    assert tender["package_codes"] == [package_code]
    _take_step(page, "submit")
    expect(page.locator(".page-header .badge")).to_have_text("待居委会审批")
    # the proposer may not approve their own purchase (four eyes): the service says why, in the form
    _take_step(page, "approve_tender", 理由="我提出的采购，我来批准。")
    expect(page.locator(".action-form .form-problem [role=alert]")).to_be_visible()
    assert officer.get(f"/contracts/tenders/{tender_id}")["status"] == "pending_approval"

    # another member approves it (four eyes), the buyer publishes it
    _sign_in(page, tender_url, member_b)
    _take_step(page, "approve_tender", 理由="经居民议事会讨论，同意采购长者助餐服务。")
    expect(page.locator(".page-header .badge")).to_have_text("已批准")
    assert officer.get(f"/contracts/tenders/{tender_id}")["status"] == "approved"
    _sign_in(page, tender_url, member_a)
    _take_step(page, "publish")
    expect(page.locator(".page-header .badge")).to_have_text("已发布")

    # the provider bids, signed in as its own signatory
    _sign_in(page, tender_url, signatory)
    expect(page.locator("button[data-action]")).to_have_count(1)
    _take_step(page, "bid", **{"投标金额（元）": "115000", "方案说明": "每周五天午餐配送"})
    expect(page.locator("#flash")).to_contain_text("投标")
    expect(page.locator(".page-header .badge")).to_have_text("已发布")
    check_accessibility(page)
    [bid] = platform.api(signatory).get(f"/contracts/tenders/{tender_id}/bids")
    assert bid["amount_fen"] == 11_500_000 and bid["provider_id"] == provider["id"]

    # the buyer closes the bidding and proposes the award; the other member approves it
    _sign_in(page, tender_url, member_a)
    _take_step(page, "close_bidding")
    expect(page.locator(".page-header .badge")).to_have_text("评审中")
    _take_step(page, "propose_award", 投标=bid["id"], 理由="唯一来源，报价合理")
    expect(page.locator(".page-header .badge")).to_have_text("中标待审批")
    _sign_in(page, tender_url, member_b)
    _take_step(page, "approve_award", 理由="同意定标")
    expect(page.locator(".page-header .badge")).to_have_text("已定标")
    tender = officer.get(f"/contracts/tenders/{tender_id}")
    assert tender["status"] == "awarded" and tender["award_value_fen"] == 11_500_000

    # the buyer drafts the contract; the three parties sign it, each as itself
    _sign_in(page, tender_url, member_a)
    page.locator("section", has=page.get_by_role("heading", name="起草合同")).get_by_role(
        "button", name="起草合同"
    ).click()
    expect(page).to_have_url(re.compile(r"/console/contracts/[0-9a-f-]{36}$"))
    contract_url = page.url
    contract_id = contract_url.rsplit("/", 1)[1]
    signers = {"subdistrict": officer_token, "committee": member_b, "provider": signatory}
    for party, token in signers.items():
        _sign_in(page, contract_url, token)
        expect(page.locator("button[data-sign]")).to_have_count(1)
        page.locator(f"[data-sign={party}]").click()
        expect(page.locator(f".signature[data-party={party}] .signed-mark")).to_be_visible()
    expect(page.locator(".page-header .badge")).to_have_text("生效")
    contract = officer.get(f"/contracts/contracts/{contract_id}")
    assert contract["status"] == "active" and contract["value_fen"] == 11_500_000
    assert contract["provider_id"] == provider["id"]
    assert {s["party"] for s in contract["signatures"]} == set(signers)
    amended = contract["revision"] + 1

    # an amendment, proposed in the console and re-signed by the three parties
    _sign_in(page, contract_url, officer_token)
    page.locator("[data-action=amend]").click()
    amend = page.locator(".action-form form")
    amend.get_by_label("变更后合同金额（元）").fill("abc")
    amend.get_by_label("理由").fill("增加长者助餐服务点")
    amend.get_by_role("button", name="提出合同变更").click()
    expect(amend.locator("[data-field=value] .field-error")).to_be_visible()
    amend.get_by_label("变更后合同金额（元）").fill("130000")
    amend.get_by_role("button", name="提出合同变更").click()
    expect(page.locator(".page-header .badge")).to_have_text("变更签署中")
    check_accessibility(page)
    screenshot(page, output_dir, "1-amending")
    for party, token in signers.items():
        _sign_in(page, contract_url, token)
        expect(page.locator("button[data-sign]")).to_have_count(1)
        page.locator(f"[data-sign={party}]").click()
        expect(page.locator(f".signature[data-party={party}] .signed-mark")).to_be_visible()
    expect(page.locator(".page-header .badge")).to_have_text("生效")
    screenshot(page, output_dir, "2-amended")
    contract = officer.get(f"/contracts/contracts/{contract_id}")
    assert contract["status"] == "active" and contract["revision"] == amended
    assert contract["value_fen"] == 13_000_000
    assert {s["party"] for s in contract["signatures"] if s["revision"] == amended} == set(signers)
