"""Demo purchases of services, played through the contracts API (through the gateway).

The year's contracts of the seven communities, each along the whole purchase: a draft
by the buyer, the residents' committee's approval, publication, bids by the providers'
signatories, the award and the committee's approval of it, the contract, the three
signatures, the money allocated and the milestones paid by the committee. Huaguoshan
buys with its own quota (定额预算): a committee member drafts and another approves. Some
work is left open for the live demo: a contract awaiting two signatures, a tender
awaiting the committee's approval. The contracts service stamps every step with the
current time, so these purchases are dated at the first start.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from services.chassis.config import COMMUNITIES

from .api import Api
from .cast import Person, committee_member, officer, signatory
from .contracts_catalogue import CENTER_OPERATORS, PACKAGES

ALL_PACKAGES = [code for code, *_ in PACKAGES]
SIGNATORIES = {"huaguoshan": "provider-sunshine-1"}  # the offered demo identity's subject
VALUES_YUAN = {
    "huaguoshan": 2_380_000,
    "chiwan": 2_150_000,
    "shuiwan": 1_960_000,
    "yanshan": 1_720_000,
    "wenzhuyuan": 1_580_000,
    "haiyue": 2_290_000,
    "guiyuan": 1_890_000,
}


@dataclass
class Purchase:
    """One purchase to play, and how far."""

    community: str
    title: str
    packages: list[str]
    winner: str  # provider name
    value_fen: int
    milestones: list[dict[str, Any]]
    period: tuple[date, date]
    method: str = "single_source"
    rivals: list[tuple[str, int]] = field(default_factory=list)  # (provider, bid fen)
    line: str = "services"
    stop: str = "paid"  # "submitted" | "committee_signed" | "active" | "paid"
    pay_seqs: tuple[int, ...] = (1, 2)
    result: dict[str, Any] = field(default_factory=dict)


def operation_milestones(year: int) -> list[dict[str, Any]]:
    """30 % at signing, 30 % mid-year, 40 % after the annual evaluation."""
    return [
        {"name": "签约首期款 30%", "kind": "signing", "share_bp": 3000},
        {"name": "年中进度款 30%", "kind": "scheduled", "due_date": f"{year}-07-15", "share_bp": 3000},
        {
            "name": "年度绩效评估后尾款 40%",
            "kind": "evaluation",
            "due_date": f"{year + 1}-01-31",
            "share_bp": 4000,
            "evaluation_year": year,
        },
    ]


def purchases_of(year: int) -> list[Purchase]:
    """The year's purchases of the seven communities."""
    period = (date(year, 1, 1), date(year, 12, 31))
    found = []
    for community in COMMUNITIES:
        packages = (
            [p for p in ALL_PACKAGES if p != "grid_information"]
            if (community == "huaguoshan")
            else ALL_PACKAGES
        )
        value = VALUES_YUAN[community] * 100
        rivals: list[tuple[str, int]] = []
        method = "single_source"
        if community in ("huaguoshan", "chiwan"):
            method = "competitive_negotiation"
            others = [c for c in ("shuiwan", "haiyue", "yanshan") if c != community][:2]
            rivals = [(CENTER_OPERATORS[c], value + (i + 1) * 61_000_00) for i, c in enumerate(others)]
        found.append(
            Purchase(
                community,
                f"{year}年度社区服务中心运营服务",
                packages,
                CENTER_OPERATORS[community],
                value,
                operation_milestones(year),
                period,
                method,
                rivals,
            )
        )
    found += [
        Purchase(
            "huaguoshan",
            f"{year}年四海情老年大学社区教育课程",
            ["community_education"],
            "四海情老年大学",
            80_000_00,
            [
                {"name": "开课款 50%", "kind": "signing", "share_bp": 5000},
                {"name": "结业款 50%", "kind": "scheduled", "due_date": f"{year}-12-20", "share_bp": 5000},
            ],
            period,
            line="autonomy_fund",
            pay_seqs=(1,),
        ),
        Purchase(
            "huaguoshan",
            "网格化信息采集服务（十二个月）",
            ["grid_information"],
            CENTER_OPERATORS["huaguoshan"],
            360_000_00,
            [
                {"name": "签约款 50%", "kind": "signing", "share_bp": 5000},
                {
                    "name": "评估后尾款 50%",
                    "kind": "evaluation",
                    "due_date": f"{year + 1}-12-31",
                    "share_bp": 5000,
                    "evaluation_year": year + 1,
                },
            ],
            (date(year, 12, 1), date(year + 1, 11, 30)),
            stop="committee_signed",
        ),
        Purchase(
            "huaguoshan",
            f"{year}年长者助餐点运营补充服务",
            ["elderly_care"],
            "花果山社区乐龄互助社",
            45_000_00,
            [],
            period,
            line="autonomy_fund",
            stop="submitted",
        ),
    ]
    return found


def milestones_to_pay(
    milestones: list[dict[str, Any]], seqs: tuple[int, ...], today: date
) -> list[dict[str, Any]]:
    """Of the milestones to pay, those payable by today: signing, or scheduled and due."""
    return [
        m
        for m in milestones
        if m["seq"] in seqs
        and (m["kind"] == "signing" or (m["kind"] == "scheduled" and m["due_date"] <= today.isoformat()))
    ]


class Purchasing:
    """Plays purchases through the contracts API."""

    def __init__(self, api: Api, year: int, today: date) -> None:
        self.api, self.year, self.today = api, year, today
        rows = api.get("/contracts/providers", officer(), page_size=100)
        self.providers = {row["name"]: row["id"] for row in rows}

    def signatory_of(self, provider: str, community: str) -> Person:
        provider_id = self.providers[provider]
        if provider == CENTER_OPERATORS.get(community) and community in SIGNATORIES:
            return signatory(provider_id, SIGNATORIES[community])
        return signatory(provider_id, f"provider-{provider_id[:8]}-1")

    def buyer_and_approver(self, purchase: Purchase) -> tuple[Person, Person]:
        budget = self.budget(purchase.community)
        approver = committee_member(purchase.community, 1)
        if budget["mode"] == "committee_budget" or purchase.line == "autonomy_fund":
            return committee_member(purchase.community, 2), approver
        return officer(), approver

    def budget(self, community: str) -> dict[str, Any]:
        return self.api.get("/contracts/budgets", officer(), community=community, fiscal_year=self.year)[0]

    def exists(self, purchase: Purchase) -> bool:
        tenders = self.api.get("/contracts/tenders", officer(), community=purchase.community, page_size=100)
        return any(t["title"] == purchase.title for t in tenders)

    def play(self, purchase: Purchase) -> dict[str, Any]:
        """Tender → approvals → bids → award → contract → signatures → money."""
        api, buyer_approver = self.api, self.buyer_and_approver(purchase)
        buyer, approver = buyer_approver
        winner_id = self.providers[purchase.winner]
        invited = [winner_id] + [self.providers[name] for name, _ in purchase.rivals]
        body: dict[str, Any] = {
            "community": purchase.community,
            "fiscal_year": self.year,
            "title": purchase.title,
            "funding_line": purchase.line,
            "method": purchase.method,
            "package_codes": purchase.packages,
            "invited_provider_ids": invited,
            "estimated_value_fen": purchase.value_fen + 100_000_00 * len(purchase.rivals),
            "description": "政府购买服务：" + "、".join(purchase.packages),
        }
        if purchase.method == "single_source":
            body["single_source_reason"] = "由本社区社会组织承接，延续已有服务，经居委会议事会议同意。"
        tender = api.post("/contracts/tenders", buyer, body)
        path = f"/contracts/tenders/{tender['id']}"
        api.post(f"{path}/submission", buyer, {"reason": "提请居委会审议"})
        purchase.result["tender"] = tender
        if purchase.stop == "submitted":
            return purchase.result
        api.post(
            f"{path}/decisions",
            approver,
            {"step": "tender", "decision": "approve", "reason": "居委会议事会议审议通过采购需求"},
            headers={"If-Match": api.etag(path, approver)},
        )
        api.post(f"{path}/publication", buyer, {"reason": "公告采购"})
        bids = [(purchase.winner, purchase.value_fen), *purchase.rivals]
        made = [
            api.post(
                f"{path}/bids",
                self.signatory_of(name, purchase.community),
                {
                    "provider_id": self.providers[name],
                    "amount_fen": amount,
                    "proposal": "服务方案及人员配置见附件",
                },
            )
            for name, amount in bids
        ]
        api.post(f"{path}/closing", buyer, {"reason": "报价截止"})
        scores = [{"bid_id": bid["id"], "score": 92 - 7 * i} for i, bid in enumerate(made)]
        api.post(
            f"{path}/award",
            buyer,
            {"bid_id": made[0]["id"], "scores": scores, "reason": "服务方案最优，居民评价良好"},
        )
        api.post(
            f"{path}/decisions",
            approver,
            {"step": "award", "decision": "approve", "reason": "居委会同意成交结果"},
            headers={"If-Match": api.etag(path, approver)},
        )
        start, end = purchase.period
        contract = api.post(
            "/contracts/contracts",
            buyer,
            {
                "tender_id": tender["id"],
                "period_start": start.isoformat(),
                "period_end": end.isoformat(),
                "milestones": purchase.milestones,
            },
        )
        purchase.result["contract"] = contract
        parties = [
            ("committee", approver),
            ("subdistrict", officer()),
            ("provider", self.signatory_of(purchase.winner, purchase.community)),
        ]
        if purchase.stop == "committee_signed":
            parties = parties[:1]
        for party, person in parties:
            self.sign(contract["id"], party, person)
        if purchase.stop in ("committee_signed", "active"):
            return purchase.result
        self.pay(purchase, contract["id"], approver)
        return purchase.result

    def sign(self, contract_id: str, party: str, person: Person) -> None:
        path = f"/contracts/contracts/{contract_id}"
        self.api.post(
            f"{path}/signatures", person, {"party": party}, headers={"If-Match": self.api.etag(path, person)}
        )

    def pay(self, purchase: Purchase, contract_id: str, payer: Person) -> None:
        """The money: allocated by the subdistrict, paid by the committee, milestone by milestone."""
        api = self.api
        contract = api.get(f"/contracts/contracts/{contract_id}", officer())
        due = milestones_to_pay(contract["milestones"], purchase.pay_seqs, self.today)
        if not due:
            return
        amount = sum(m["amount_fen"] for m in due)
        budget = self.budget(purchase.community)
        if budget["mode"] == "pass_through" and purchase.line == "services":  # earmarked
            api.post(
                f"/contracts/contracts/{contract_id}/allocations",
                officer(),
                {"amount_fen": amount, "memo": "按合同拨付至居委会账户"},
                money=True,
            )
        else:
            api.post(
                f"/contracts/budgets/{budget['id']}/allocations",
                officer(),
                {"funding_line": purchase.line, "amount_fen": amount, "memo": "拨付居委会定额预算"},
                money=True,
            )
        for milestone in due:
            api.post(
                f"/contracts/contracts/{contract_id}/milestones/{milestone['id']}/payments",
                payer,
                {"amount_fen": milestone["amount_fen"], "memo": milestone["name"]},
                money=True,
            )


def play_purchases(api: Api, today: date) -> dict[str, Any]:
    """This year's purchases not made yet; the results by (community, title)."""
    year = today.year
    purchasing = Purchasing(api, year, today)
    results = {}
    for purchase in purchases_of(year):
        if purchasing.exists(purchase):
            continue
        results[(purchase.community, purchase.title)] = purchasing.play(purchase)
    return results
