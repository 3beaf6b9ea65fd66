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
    for party, how in (("subdistrict", "subdistrict_officer"), ("committee", "committee_member"),
                       ("provider", story["signatory"])):
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
