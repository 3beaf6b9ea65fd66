"""Contracts in the console: the buyer drafts the contract of an awarded purchase, and the three
parties (subdistrict office, residents' committee, provider) sign it."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from . import scenarios
from .support import check_accessibility, screenshot, sign_in_as_demo, sign_in_with_token, sign_out


def test_three_parties_sign_a_contract(platform, desktop, output_dir):
    page = desktop
    story = scenarios.awarded_tender(platform)
    tender = story["tender"]

    sign_in_with_token(page, f"{platform.url}/console/contracts/tenders/{tender['id']}", story["buyer"].token)
    expect(page.locator(".page-header .badge")).to_have_text("已定标")
    draft = page.locator("section", has=page.get_by_role("heading", name="起草合同"))
    draft.get_by_label("比例（%）").nth(0).fill("30")
    draft.get_by_label("比例（%）").nth(1).fill("30")
    draft.get_by_label("比例（%）").nth(2).fill("40")
    check_accessibility(page)
    screenshot(page, output_dir, "1-draft")
    draft.get_by_role("button", name="起草合同").click()
    expect(page).to_have_url(re.compile(r"/console/contracts/[0-9a-f-]{36}$"))
    contract_id = page.url.rsplit("/", 1)[1]
    expect(page.locator(".page-header .badge")).to_have_text("草稿")
    contract = story["buyer"].get(f"/contracts/contracts/{contract_id}")
    assert [m["share_bp"] for m in contract["milestones"]] == [3000, 3000, 4000]
    assert sum(m["amount_fen"] for m in contract["milestones"]) == contract["value_fen"] == 11_500_000
    sign_out(page)

    url = f"{platform.url}/console/contracts/{contract_id}"
    for party, how in (
        ("subdistrict", "subdistrict_officer"),
        ("committee", "committee_member"),
        ("provider", story["signatory"]),
    ):
        if how == story["signatory"]:
            sign_in_with_token(page, url, how)
        else:
            sign_in_as_demo(page, url, how)
        box = page.locator(f'.signature[data-party="{party}"]')
        expect(box).not_to_have_class(re.compile(r"\bsigned\b"))
        # Only one's own party can be signed.
        expect(page.locator("button[data-sign]")).to_have_count(1)
        box.locator(f'button[data-sign="{party}"]').click()
        expect(box).to_have_class(re.compile(r"\bsigned\b"))
        check_accessibility(page)
        screenshot(page, output_dir, f"2-signed-{party}")
        sign_out(page) if party != "provider" else None

    expect(page.locator(".page-header .badge")).to_have_text("生效")
    expect(page.locator(".signature.signed")).to_have_count(3)
    signed = platform.api(platform.token("subdistrict_officer")).get(f"/contracts/contracts/{contract_id}")
    assert signed["status"] == "active"
    assert sorted(s["party"] for s in signed["signatures"]) == ["committee", "provider", "subdistrict"]
    screenshot(page, output_dir, "3-active")


def test_committee_pays_a_milestone_and_residents_see_the_money(platform, desktop, output_dir):
    page = desktop
    story = scenarios.active_contract(platform)
    contract = story["contract"]
    signing = contract["milestones"][0]
    url = f"{platform.url}/console/contracts/{contract['id']}"

    # Pass-through: the subdistrict allocates the contract's money to the committee's account.
    sign_in_as_demo(page, url, "subdistrict_officer")
    page.get_by_role("button", name="拨付资金").click()
    page.get_by_label("拨付金额（元）").fill("34500.00")
    page.locator(".action-form").get_by_role("button", name="拨付资金").click()
    expect(page.locator("#flash")).to_contain_text("已拨付 ¥34,500.00")
    expect(page.locator("button", has_text="支付")).to_have_count(0)  # the subdistrict does not pay
    sign_out(page)

    # The committee pays the provider for the milestone due on signing.
    sign_in_as_demo(page, url, "committee_member_chiwan")
    row = page.locator("table.data tbody tr").first
    row.get_by_role("button", name="支付").click()
    form = page.locator(".action-form")
    expect(form.get_by_label("支付金额（元）")).to_have_value("34500.00")  # what is payable now
    form.get_by_label("支付金额（元）").fill("40000")
    form.get_by_role("button", name="支付").click()
    expect(form.locator(".form-problem [role=alert]")).to_be_visible()  # more than is payable: refused
    form.get_by_label("支付金额（元）").fill("34500.00")
    form.get_by_label("用途说明").fill("签约首付款")
    form.get_by_role("button", name="支付").click()
    expect(page.locator("#flash")).to_contain_text("已支付 ¥34,500.00")
    expect(row).to_contain_text("已支付")
    check_accessibility(page)
    screenshot(page, output_dir, "1-paid")
    paid = platform.api(platform.token("subdistrict_officer")).get(f"/contracts/contracts/{contract['id']}")
    assert paid["paid_fen"] == signing["amount_fen"] == 3_450_000

    page.get_by_role("link", name="资金").click()
    expect(page.locator("h1")).to_have_text("资金")
    expect(page.locator("table.data").first).to_contain_text("签约首付款")
    screenshot(page, output_dir, "2-money")
    sign_out(page)

    # Residents of Chiwan see the contract and the payment on the transparency page.
    # The page is public; a signed-in resident also gets the link to the contract in full.
    sign_in_as_demo(page, f"{platform.url}/", "resident_chiwan")
    page.get_by_role("button", name="退出登录").wait_for()
    page.goto(f"{platform.url}/transparency")
    expect(page.get_by_role("link", name=contract["number"])).to_be_visible()
    payments = page.locator("section", has=page.get_by_role("heading", name="付款记录"))
    expect(payments).to_contain_text("¥34,500.00")
    check_accessibility(page)
    screenshot(page, output_dir, "3-transparency")


def test_committee_approves_the_purchase_waiting_for_it(platform, desktop, output_dir):
    page = desktop
    story = scenarios.submitted_tender(platform, "chiwan")
    tender = story["tender"]

    sign_in_as_demo(page, f"{platform.url}/console/contracts", "committee_member_chiwan")
    waiting = page.locator("section", has=page.get_by_role("heading", name="等待居委会办理"))
    waiting.get_by_role("link", name=tender["number"]).click()
    expect(page.locator(".page-header .badge")).to_have_text("待居委会审批")
    expect(page.locator("button[data-action]")).to_have_count(3)  # approve, return, cancel
    page.get_by_role("button", name="居委会批准采购").click()
    form = page.locator(".action-form form")
    form.get_by_role("button", name="居委会批准采购").click()
    expect(form.locator('[data-field="reason"] .field-error')).to_be_visible()  # the reason is required
    form.get_by_label("理由").fill("经居民议事会讨论，同意采购长者关爱服务。")
    form.get_by_role("button", name="居委会批准采购").click()
    expect(page.locator(".page-header .badge")).to_have_text("已批准")
    step = page.locator(".timeline li").last
    expect(step).to_contain_text("批准采购")
    expect(step).to_contain_text("居委会委员")
    expect(step).to_contain_text("经居民议事会讨论，同意采购长者关爱服务。")
    check_accessibility(page)
    screenshot(page, output_dir, "approved")
    approved = platform.api(platform.token("subdistrict_officer")).get(f"/contracts/tenders/{tender['id']}")
    assert approved["status"] == "approved"
