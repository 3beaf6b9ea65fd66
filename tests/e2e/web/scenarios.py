"""Data the browser tests need, created through the API (never the demo data)."""

from __future__ import annotations

import random
from typing import Any

from services.contracts.domain import uscc_check_character

from .support import Platform, unique


def desk(platform: Platform, community: str = "huaguoshan", follow_up: bool = False) -> dict[str, Any]:
    """A business type of its own (and a second one, with follow-up, to transfer to) and a
    dedicated window serving only them (so 'call next' calls this test's tickets even if
    other tickets wait)."""
    staff = platform.api(platform.token("window_clerk"))
    code = unique("webtest_")
    other = staff.post(
        "/intake/business-types",
        {
            "community": community,
            "code": unique("webcase_"),
            "name_zh": "住房困难求助（测试）",
            "name_en": "Housing hardship (test)",
            "department": "housing",
            "typical_minutes": 15,
            "needs_follow_up": True,
            "sla_days": 5,
            "ticket_prefix": "D",
            "attributes": [],
        },
    )
    business_type = staff.post(
        "/intake/business-types",
        {
            "community": community,
            "code": code,
            "name_zh": "房屋租赁登记（测试）",
            "name_en": "Lease registration (test)",
            "department": "housing",
            "typical_minutes": 8,
            "needs_follow_up": follow_up,
            "sla_days": 3 if follow_up else 0,
            "ticket_prefix": "D",
            "attributes": [
                {
                    "code": "place",
                    "datatype": "string",
                    "required": True,
                    "order": 1,
                    "description": "房屋地址",
                    "description_en": "Address of the home",
                },
                {
                    "code": "tenure",
                    "datatype": "singlevaluelist",
                    "required": True,
                    "order": 2,
                    "description": "租住类型",
                    "description_en": "Tenure",
                    "values": [{"key": "rent", "name": "租赁"}, {"key": "own", "name": "自有"}],
                },
            ],
        },
    )
    taken = {w["number"] for w in staff.get("/intake/windows", community=community, page_size=100)}
    window = staff.post(
        "/intake/windows",
        {
            "community": community,
            "number": random.choice([n for n in range(900, 1000) if n not in taken]),
            "label": "测试窗口",
            "status": "open",
            "mode": "dedicated",
            "skills": [code, other["code"]],
        },
    )
    return {"type": business_type, "other": other, "window": window, "staff": staff}


def walk_in_ticket(setup: dict[str, Any], community: str = "huaguoshan") -> dict[str, Any]:
    return setup["staff"].post(
        "/intake/tickets",
        {
            "community": community,
            "business_type": setup["type"]["code"],
            "channel": "walk_in",
            "attributes": {"place": "花果山 3 栋 502", "tenure": "rent"},
        },
    )


def grid_cell(platform: Platform, community: str = "huaguoshan") -> dict[str, Any]:
    """A cell of its own, away from the demo cells, walked by the demo grid worker."""
    staff = platform.api(platform.token("window_clerk"))
    lon, lat = 113.93 + random.randint(0, 40) * 0.004, 22.52 + random.randint(0, 40) * 0.004
    ring = [[lon, lat], [lon + 0.003, lat], [lon + 0.003, lat + 0.0025], [lon, lat + 0.0025], [lon, lat]]
    return staff.post(
        "/grid/cells",
        {
            "community": community,
            "code": unique("WEB-").upper(),
            "name": "测试网格",
            "boundary": {"type": "Polygon", "coordinates": [ring]},
            "workers": [platform.identities["grid_worker"]["sub"]],
        },
    )


def provider(platform: Platform, community: str) -> dict[str, Any]:
    officer = platform.api(platform.token("subdistrict_officer"))
    first17 = f"52440305MJ{random.randint(0, 9_999_999):07d}"
    return officer.post(
        "/contracts/providers",
        {
            "name": f"测试社工服务社{first17[-4:]}",
            "uscc": first17 + uscc_check_character(first17),
            "kind": "social_service_agency",
            "community": community,
        },
    )


def submitted_tender(platform: Platform, community: str = "huaguoshan") -> dict[str, Any]:
    """A single-source purchase drafted by its buyer and put before the committee."""
    officer = platform.api(platform.token("subdistrict_officer"))
    year = 2026
    budgets = officer.get("/contracts/budgets", community=community, fiscal_year=year)
    if not budgets:
        budgets = [
            officer.post(
                "/contracts/budgets",
                {
                    "community": community,
                    "fiscal_year": year,
                    "mode": "pass_through",
                    "services_fen": 300_000_000,
                    "autonomy_fund_fen": 20_000_000,
                },
            )
        ]
    committee_buys = budgets[0]["mode"] == "committee_budget"
    # The committee buys with its quota; then another member must approve (four eyes).
    member_b = platform.mint(unique("web-cm-"), ["committee_member"], [community], "居委会委员乙")
    buyer = platform.api(member_b) if committee_buys else officer
    supplier = provider(platform, community)
    package = officer.post(
        "/contracts/packages",
        {
            "community": community,
            "code": unique("web_pkg_"),
            "name": "长者关爱服务（测试）",
            "deliverables": [
                {"code": "visits", "description": "上门探访", "quantity": 40, "unit": "次", "period": "month"}
            ],
        },
    )
    tender = buyer.post(
        "/contracts/tenders",
        {
            "community": community,
            "fiscal_year": year,
            "title": "长者关爱服务采购（测试）",
            "method": "single_source",
            "single_source_reason": "社区内唯一具备资质的机构",
            "invited_provider_ids": [supplier["id"]],
            "package_codes": [package["code"]],
            "estimated_value_fen": 12_000_000,
        },
    )
    buyer.post(f"/contracts/tenders/{tender['id']}/submission", {})
    return {"tender": tender, "buyer": buyer, "provider": supplier}


def awarded_tender(
    platform: Platform, community: str = "huaguoshan", committee_key: str = "committee_member"
) -> dict[str, Any]:
    """A single-source purchase taken up to the committee's approval of the award."""
    story = submitted_tender(platform, community)
    tender, buyer, supplier = story["tender"], story["buyer"], story["provider"]
    committee = platform.api(platform.token(committee_key))
    _, read = committee.call("GET", f"/contracts/tenders/{tender['id']}")
    committee.post(
        f"/contracts/tenders/{tender['id']}/decisions",
        {"step": "tender", "decision": "approve", "reason": "同意采购"},
        headers={"If-Match": read["ETag"]},
    )
    buyer.post(f"/contracts/tenders/{tender['id']}/publication", {})
    signatory = platform.mint(
        unique("web-sign-"), ["provider_signatory"], [community], "签约代表", provider_id=supplier["id"]
    )
    bid = platform.api(signatory).post(
        f"/contracts/tenders/{tender['id']}/bids", {"provider_id": supplier["id"], "amount_fen": 11_500_000}
    )
    buyer.post(f"/contracts/tenders/{tender['id']}/closing", {})
    buyer.post(
        f"/contracts/tenders/{tender['id']}/award", {"bid_id": bid["id"], "reason": "唯一来源，报价合理"}
    )
    _, read = committee.call("GET", f"/contracts/tenders/{tender['id']}")
    committee.post(
        f"/contracts/tenders/{tender['id']}/decisions",
        {"step": "award", "decision": "approve", "reason": "同意定标"},
        headers={"If-Match": read["ETag"]},
    )
    return {**story, "signatory": signatory}


def scheme_with_round(platform: Platform, community: str = "huaguoshan") -> dict[str, Any]:
    """A two-party scheme (committee 0.6, subdistrict 0.4) of the year's work, no contract
    (a contract's evaluation needs a third party or the survey too), with an open round
    the subdistrict has already scored."""
    committee = platform.api(platform.token("committee_member"))
    officer = platform.api(platform.token("subdistrict_officer"))
    scheme = committee.post(
        "/evaluation/schemes",
        {
            "community": community,
            "year": 2025,
            "title": "长者关爱服务年度评估（测试）",
            "parties": [{"party": "committee", "weight": 0.6}, {"party": "subdistrict", "weight": 0.4}],
            "dimensions": [
                {
                    "code": "Q",
                    "name": "服务质量",
                    "weight": 1,
                    "children": [
                        {"code": "Q1", "name": "服务态度", "weight": 0.5, "source": "party"},
                        {"code": "Q2", "name": "服务成效", "weight": 0.5, "source": "party"},
                    ],
                }
            ],
        },
    )
    round_ = committee.post("/evaluation/rounds", {"scheme_id": scheme["id"]})
    officer.post(
        f"/evaluation/rounds/{round_['id']}/scores",
        {
            "party": "subdistrict",
            "scores": [{"indicator": "Q1", "score": 80}, {"indicator": "Q2", "score": 70}],
        },
    )
    return {"scheme": scheme, "round": round_}


def active_contract(
    platform: Platform, community: str = "chiwan", committee_key: str = "committee_member_chiwan"
) -> dict[str, Any]:
    """A contract drafted, signed by the three parties and in force (30 % due on signing)."""
    story = awarded_tender(platform, community, committee_key)
    contract, headers = story["buyer"].call(
        "POST",
        "/contracts/contracts",
        {
            "tender_id": story["tender"]["id"],
            "period_start": "2026-01-01",
            "period_end": "2026-12-31",
            "milestones": [
                {"name": "签约首付款", "kind": "signing", "share_bp": 3000},
                {"name": "年度评估款", "kind": "evaluation", "share_bp": 7000, "due_date": "2026-12-31"},
            ],
        },
    )
    signers = {
        "subdistrict": platform.api(platform.token("subdistrict_officer")),
        "committee": platform.api(platform.token(committee_key)),
        "provider": platform.api(story["signatory"]),
    }
    etag = headers["ETag"]
    for party, signer in signers.items():
        contract, headers = signer.call(
            "POST",
            f"/contracts/contracts/{contract['id']}/signatures",
            {"party": party},
            headers={"If-Match": etag},
        )
        etag = headers["ETag"]
    assert contract["status"] == "active", contract
    return {**story, "contract": contract}
