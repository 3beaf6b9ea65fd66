"""Drives the contracts API through a purchase, for tests (tender → contract → money)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from services.chassis import clock
from services.contracts import domain
from tests.support.helpers import bearer

YEAR = 2026
PACKAGE = {
    "code": "grid_inspection",
    "name": "网格化排查和化解服务",
    "description": "Inspect every grid cell and resolve what is found.",
    "deliverables": [
        {
            "code": "inspections",
            "description": "每网格每月巡查",
            "quantity": 4,
            "unit": "次",
            "period": "month",
        }
    ],
}
MILESTONES = [
    {"name": "签约首付 30%", "kind": "signing", "share_bp": 3000},
    {"name": "中期 40%", "kind": "scheduled", "due_date": "2026-07-01", "share_bp": 4000},
    {"name": "年度评估后 30%", "kind": "evaluation", "due_date": "2027-01-31", "share_bp": 3000},
]


def uscc(seed: int) -> str:
    """A valid code (GB 32100 check character) for test providers."""
    body = f"5244030{seed:010d}"[:17]
    return body + domain.uscc_check_character(body)


def key() -> dict[str, str]:
    return {"Idempotency-Key": uuid.uuid4().hex}


@dataclass
class Story:
    """Tokens and ids of one community's purchase."""

    client: Any
    token: Any
    community: str = "huaguoshan"
    ids: dict[str, Any] = field(default_factory=dict)
    runtime: Any = None  # the service's runtime, to deliver other services' events

    def __post_init__(self) -> None:
        self.officer = bearer(self.token("subdistrict_officer", community=None))
        self.member = bearer(self.token("committee_member", community=self.community))
        self.member2 = bearer(self.token("committee_member", community=self.community))
        self.resident = bearer(self.token("resident", community=self.community))

    def ok(self, response: Any, status: int = 200) -> Any:
        assert response.status_code == status, response.get_data(as_text=True)
        return response.get_json()

    def signatory(self, provider_id: str) -> dict[str, str]:
        return bearer(self.token("provider_signatory", community=None, provider_id=provider_id))

    def setup(
        self,
        mode: str = "pass_through",
        services_fen: int = 10_000_000_00,
        autonomy_fen: int = 500_000_00,
        provider_seed: int = 1,
    ) -> Story:
        c = self.client
        if "package" not in self.ids:
            self.ids["package"] = self.ok(
                c.post("/packages", json={"community": self.community, **PACKAGE}, headers=self.officer), 201
            )
        if "budget" not in self.ids:
            self.ids["budget"] = self.ok(
                c.post(
                    "/budgets",
                    json={
                        "community": self.community,
                        "fiscal_year": YEAR,
                        "mode": mode,
                        "services_fen": services_fen,
                        "autonomy_fund_fen": autonomy_fen,
                    },
                    headers=self.officer,
                ),
                201,
            )
        provider = self.ok(
            c.post(
                "/providers",
                json={
                    "name": f"阳光家庭综合服务中心 {provider_seed}",
                    "uscc": uscc(provider_seed),
                    "kind": "social_service_agency",
                    "bank_name": "招商银行南山支行",
                    "bank_account": "7559000012345678",
                    "contact_name": "王小明",
                    "contact_phone": "13800138000",
                },
                headers=self.officer,
            ),
            201,
        )
        self.ids["provider"] = provider
        return self

    def buyer(self) -> dict[str, str]:
        mode = self.ids["budget"]["mode"]
        return self.member if mode == "committee_budget" else self.officer

    def tender(
        self, estimated_fen: int = 1_000_000_00, method: str = "single_source", line: str = "services"
    ) -> dict[str, Any]:
        provider_id = self.ids["provider"]["id"]
        body: dict[str, Any] = {
            "community": self.community,
            "fiscal_year": YEAR,
            "title": "网格化排查和化解服务 2026",
            "method": method,
            "package_codes": ["grid_inspection"],
            "estimated_value_fen": estimated_fen,
            "funding_line": line,
            "description": "The workstation's grid work, bought from a social organization.",
        }
        if method == "single_source":
            body.update(
                single_source_reason="The only organization running the center.",
                invited_provider_ids=[provider_id],
            )
        buyer = (
            self.member2
            if line == "autonomy_fund" or self.ids["budget"]["mode"] == "committee_budget"
            else self.officer
        )
        self.ids["buyer"] = buyer
        return self.ok(self.client.post("/tenders", json=body, headers=buyer), 201)

    def through_award(self, amount_fen: int = 1_000_000_00, **tender_args: Any) -> dict[str, Any]:
        c, buyer = self.client, None
        tender = self.tender(**tender_args)
        buyer = self.ids["buyer"]
        tid = tender["id"]
        self.ok(c.post(f"/tenders/{tid}/submission", json={"reason": "for the committee"}, headers=buyer))
        self.resolve(tid, "tender")
        self.ok(
            c.post(
                f"/tenders/{tid}/decisions",
                json={"step": "tender", "decision": "approve", "reason": "议事会议通过"},
                headers={**self.member, "If-Match": self.tender_etag(tid)},
            )
        )
        self.ok(c.post(f"/tenders/{tid}/publication", json={}, headers=buyer))
        provider_id = self.ids["provider"]["id"]
        bid = self.ok(
            c.post(
                f"/tenders/{tid}/bids",
                json={"provider_id": provider_id, "amount_fen": amount_fen, "proposal": "plan"},
                headers=self.signatory(provider_id),
            ),
            201,
        )
        self.ok(c.post(f"/tenders/{tid}/closing", json={}, headers=buyer))
        self.ok(
            c.post(
                f"/tenders/{tid}/award",
                json={
                    "bid_id": bid["id"],
                    "reason": "best plan",
                    "scores": [{"bid_id": bid["id"], "score": 88}],
                },
                headers=buyer,
            )
        )
        self.resolve(tid, "award")
        self.ok(
            c.post(
                f"/tenders/{tid}/decisions",
                json={"step": "award", "decision": "approve", "reason": "居委会同意"},
                headers={**self.member, "If-Match": self.tender_etag(tid)},
            )
        )
        return tender

    def resolve(self, tender_id: str, step: str, *, concluded: bool = True) -> str:
        """The committee's meeting passed a resolution on this step (and an award's notice
        concluded): governance's events, delivered through the real consumer."""
        passed, notice = resolution_events(tender_id, step)
        deliver(self.runtime, passed, *([notice] if concluded and notice else []))
        return passed["data"]["resolution_id"]

    def contract(
        self,
        amount_fen: int = 1_000_000_00,
        milestones: list[dict[str, Any]] | None = None,
        **tender_args: Any,
    ) -> dict[str, Any]:
        tender = self.through_award(amount_fen, **tender_args)
        return self.ok(self.post_contract(tender["id"], milestones or MILESTONES, self.ids["buyer"]), 201)

    def post_contract(self, tender_id: str, milestones: list[dict[str, Any]], headers: dict[str, str]) -> Any:
        """POST /contracts: the tender's contract for the calendar year, with these milestones."""
        return self.client.post(
            "/contracts",
            json={
                "tender_id": tender_id,
                "period_start": "2026-01-01",
                "period_end": "2026-12-31",
                "milestones": milestones,
            },
            headers=headers,
        )

    def etag(self, contract_id: str) -> str:
        response = self.client.get(f"/contracts/{contract_id}", headers=self.officer)
        assert response.status_code == 200
        return response.headers["ETag"]

    def sign(self, contract_id: str, party: str, headers: dict[str, str] | None = None) -> Any:
        if headers is None:
            headers = {
                "subdistrict": self.officer,
                "committee": self.member,
                "provider": self.signatory(self.ids["provider"]["id"]),
            }[party]
        return self.conditional("post", contract_id, "/signatures", {"party": party}, headers)

    def tender_etag(self, tender_id: str) -> str:
        """The purchase's current ETag (read as the officer)."""
        return self.client.get(f"/tenders/{tender_id}", headers=self.officer).headers["ETag"]

    def conditional(
        self, method: str, contract_id: str, path: str, body: dict[str, Any], headers: dict[str, str]
    ) -> Any:
        """`method` /contracts/<id><path> with the contract's current ETag in If-Match."""
        return self.client.open(
            f"/contracts/{contract_id}{path}",
            method=method.upper(),
            json=body,
            headers={**headers, "If-Match": self.etag(contract_id)},
        )

    def active_contract(self, **kwargs: Any) -> dict[str, Any]:
        contract = self.contract(**kwargs)
        for party in domain.PARTIES:
            self.ok(self.sign(contract["id"], party))
        return self.ok(self.client.get(f"/contracts/{contract['id']}", headers=self.officer))

    def pay(
        self,
        contract: dict[str, Any],
        seq: int,
        amount: int,
        headers: dict[str, str] | None = None,
        idempotency: dict[str, str] | None = None,
    ) -> Any:
        milestone = contract["milestones"][seq - 1]["id"]
        return self.client.post(
            f"/contracts/{contract['id']}/milestones/{milestone}/payments",
            json={"amount_fen": amount},
            headers={**(headers or self.member), **(idempotency or key())},
        )

    def allocate(self, contract: dict[str, Any], amount: int) -> Any:
        return self.client.post(
            f"/contracts/{contract['id']}/allocations",
            json={"amount_fen": amount},
            headers={**self.officer, **key()},
        )

    def allocate_budget(self, funding_line: str, amount: int) -> Any:
        """The officer allocates from the story's budget to the committee's `funding_line` account."""
        return self.client.post(
            f"/budgets/{self.ids['budget']['id']}/allocations",
            json={"funding_line": funding_line, "amount_fen": amount},
            headers={**self.officer, **key()},
        )


def resolution_events(tender_id: str, step: str) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """`governance.resolution.passed` on a tender or award, and an award's `notice.concluded`."""
    from services.chassis.events import build
    from services.governance.events import NOTICE_CONCLUDED, RESOLUTION_PASSED

    resolution_id, award = str(uuid.uuid4()), step == "award"
    subject_kind = f"approve_{step}"
    passed = build(
        RESOLUTION_PASSED,
        source="/services/governance",
        subject=resolution_id,
        community="huaguoshan",
        sequence=1,
        data={
            "resolution_id": resolution_id,
            "meeting_id": str(uuid.uuid4()),
            "subject_kind": subject_kind,
            "subject_id": tender_id,
            "rule": "simple",
            "votes_for": 3,
            "votes_against": 1,
            "abstentions": 0,
            "eligible": 4,
            "eligible_present": 4,
            "recused_member_ids": [str(uuid.uuid4())],
            "takes_effect_after_notice": award,
            "passed_at": clock.now().isoformat(),
        },
    )
    if not award:
        return passed, None
    notice_id = str(uuid.uuid4())
    concluded = build(
        NOTICE_CONCLUDED,
        source="/services/governance",
        subject=notice_id,
        community="huaguoshan",
        sequence=1,
        data={
            "notice_id": notice_id,
            "resolution_id": resolution_id,
            "subject_kind": subject_kind,
            "subject_id": tender_id,
            "objections": 0,
            "concluded_at": clock.now().isoformat(),
        },
    )
    return passed, concluded


def deliver(runtime: Any, *events: dict[str, Any]) -> int:
    """Deliver events through contracts' real consumer path (inbox included), without a broker."""
    import json

    from services.chassis.consumer import EventProcessor
    from services.contracts import usecases

    processor = EventProcessor(runtime.settings, runtime.database, usecases.CONSUMED.handlers)
    return sum(processor.process(json.loads(json.dumps(e))) for e in events)


# The evaluation service's event, declared here as its producer declares it (docs/events.md).
def evaluation_round_completed_type() -> Any:
    from services.chassis.events import DATE, DATETIME, UUID, EventType, enum, integer, nullable, payload

    return EventType(
        "evaluation.round.completed",
        "An evaluation round was completed.",
        payload(
            {
                "round_id": UUID,
                "scheme_id": UUID,
                "contract_id": nullable(UUID),
                "year": integer(2011, 2100),
                "score": {"type": "number", "minimum": 0, "maximum": 100},
                "grade": enum("excellent", "good", "pass", "fail"),
                "committee_weight": {"type": "number", "minimum": 0.5, "maximum": 1},
                "completed_at": DATETIME,
            },
            optional={
                "party_weights": {"type": "object"},
                "period_start": DATE,
                "period_end": DATE,
                "opened_at": DATETIME,
                "closed_via": enum("single_manager", "four_eyes", "committee_resolution"),
                "closers": integer(1, 2),
            },
        ),
    )


# What a fair round states (docs/security.md: money only by a fair evaluation).
FAIR_ROUND = {
    "party_weights": {"committee": 0.5, "subdistrict": 0.3, "third_party": 0.2},
    "opened_at": "2026-03-01T02:00:00+00:00",
    "closed_via": "four_eyes",
    "closers": 2,
}


def evaluation_event(
    contract_id: str | None,
    grade: str,
    score: float,
    year: int = YEAR,
    round_id: str | None = None,
    **facts: Any,
) -> dict[str, Any]:
    """A completed round naming the contract; fair unless `facts` say otherwise (a fact
    given as None is left out, as in an event from before the rule)."""
    from services.chassis.events import build

    stated = {"period_start": f"{year}-01-01", "period_end": f"{year}-12-31", **FAIR_ROUND, **facts}

    return build(
        evaluation_round_completed_type(),
        source="/services/evaluation",
        subject=round_id or str(uuid.uuid4()),
        community="huaguoshan",
        sequence=1,
        data={
            "round_id": round_id or str(uuid.uuid4()),
            "scheme_id": str(uuid.uuid4()),
            "contract_id": contract_id,
            "year": year,
            "score": score,
            "grade": grade,
            "committee_weight": 0.5,
            "completed_at": "2027-01-20T08:00:00+00:00",
            **{name: value for name, value in stated.items() if value is not None},
        },
    )
