"""One story across the platform, through the gateway only, on the local stack.

A resident takes a ticket at Huaguoshan's generalist window and rates the service; a
hazard reported at the window is referred to grid, resolved there, and the resolution
comes back to the desk; the year's service-center contract is tendered, approved by the
residents' committee's resolutions (the award after its public notice), signed by the
three parties and paid through the committee; the
annual evaluation is scored (committee 50 %) and closed, and contracts releases the
final milestone, which the committee then pays. Each service's state is read back
through the API and each step's CloudEvents are checked on the exchange.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from services.chassis.config import COMMUNITY_NAMES
from tests.support.helpers import wait_for

from .community_setup import (
    CELLS,
    YEAR,
    Community,
    decide_when_recorded,
    hazard_case_at_the_window,
    notice_of,
    pass_resolution,
    seat_committee,
    set_up_cell,
    set_up_desk,
    set_up_purchasing,
)
from .gateway_client import Gateway, check_event, money_key, of_type

pytestmark = [pytest.mark.postgres, pytest.mark.rabbitmq]
PERSONAL = "13800138000"  # a personal attribute value: must never reach an event


def published(
    events: Any, name: str, timeout: float = 30.0, count: int = 1, **data: Any
) -> list[dict[str, Any]]:
    """Wait until `count` events `name` (with these data values) were seen on the exchange."""
    return wait_for(
        lambda: (lambda found: found if len(found) >= count else None)(of_type(events.events, name, **data)),
        timeout=timeout,
        message=f"{count} x {name}",
    )


def test_ticket_referral_purchase_and_evaluation_through_the_gateway(
    stack, gateway, exchange_events, stack_clock
):
    hgs = Community("huaguoshan", stack)
    set_up_desk(gateway, hgs)
    set_up_cell(gateway, hgs)
    set_up_purchasing(gateway, hgs)

    ticket = a_resident_is_served_at_the_generalist_window(gateway, hgs, exchange_events)
    a_hazard_goes_to_grid_and_comes_back_resolved(gateway, hgs, exchange_events)
    contract = the_contract_is_bought_signed_and_paid(gateway, hgs, exchange_events, stack_clock)
    the_evaluation_releases_the_final_milestone(gateway, hgs, exchange_events, contract)

    story = [e for e in exchange_events.events if e["community"] == "huaguoshan"]
    assert {e["type"].split(".")[0] for e in story} == {
        "intake",
        "grid",
        "contracts",
        "evaluation",
        "governance",
    }
    for event in exchange_events.events:
        check_event(event)
    raw = b"\n".join(exchange_events.raw)
    assert PERSONAL.encode() not in raw and "楼道".encode() not in raw
    assert ticket["id"].encode() in raw  # ids travel, personal data does not


def a_resident_is_served_at_the_generalist_window(gw: Gateway, hgs: Community, events: Any) -> dict[str, Any]:
    """issue → call → serve → complete → feedback."""
    ticket = gw.post(
        "/api/intake/tickets",
        hgs.resident,
        {
            "community": hgs.code,
            "business_type": "elderly_health_check",
            "channel": "portal",
            "attributes": hgs.answers("elderly_health_check"),
        },
    ).ok(201)
    issued_by = gw.last_request_id()
    assert ticket["status"] == "waiting" and ticket["number"] == "C001"
    called = gw.post(f"/api/intake/windows/{hgs.ids['window']}/call-next", hgs.staff).ok()
    assert called["ticket"]["id"] == ticket["id"] and called["window_number"] == 1
    gw.post(f"/api/intake/tickets/{ticket['id']}/start", hgs.staff).ok()
    gw.post(f"/api/intake/tickets/{ticket['id']}/complete", hgs.staff, {"note": "已预约"}).ok()
    rated = gw.post(
        "/api/intake/feedback", hgs.resident, {"target_kind": "ticket", "target_id": ticket["id"], "score": 5}
    ).ok(201)
    rated_by = gw.last_request_id()
    assert rated["channel"] == "portal"

    mine = gw.get(f"/api/intake/tickets/{ticket['id']}", hgs.resident).ok()
    assert mine["status"] == "completed"
    assert [s["action"] for s in mine["steps"]] == ["issue", "call", "start", "complete"]
    again = gw.post(
        "/api/intake/feedback", hgs.resident, {"target_kind": "ticket", "target_id": ticket["id"], "score": 4}
    )
    assert again.status == 409 and again.body["type"].endswith("feedback-exists")

    issued = published(events, "intake.ticket.issued", ticket_id=ticket["id"])[0]
    assert issued["correlationid"] == issued_by and issued["subject"] == ticket["id"]
    completed = published(events, "intake.ticket.completed", ticket_id=ticket["id"])[0]
    assert completed["data"]["window_id"] == hgs.ids["window"]
    assert [e["sequence"] for e in (issued, completed)] == ["1", "3"]
    feedback = published(events, "intake.feedback.recorded", target_id=ticket["id"])[0]
    assert feedback["data"]["score"] == 5 and feedback["correlationid"] == rated_by
    return ticket


def a_hazard_goes_to_grid_and_comes_back_resolved(gw: Gateway, hgs: Community, events: Any) -> None:
    """A hazard reported at the window: intake refers it, grid resolves it, intake learns."""
    ticket, case = hazard_case_at_the_window(
        gw, hgs, {"kind": "fire_exit", "phone_note": PERSONAL}, "楼道堆放杂物堵塞安全出口"
    )
    lon, lat = hgs.point
    referred = gw.post(
        f"/api/intake/cases/{case['id']}/refer",
        hgs.staff,
        {"target": "grid", "category": "hazard_fire", "severity": "high", "lon": lon, "lat": lat},
    ).ok()
    referral_request = gw.last_request_id()
    assert referred["status"] == "referred"

    reported = published(events, "grid.case.reported", source_ref=case["id"])[0]
    assert reported["data"]["source"] == "intake" and reported["data"]["cell_code"] == CELLS[hgs.code][0]
    assert reported["correlationid"] == referral_request  # one story across services
    grid_case = reported["data"]["case_id"]
    for action, who in (("accept", hgs.worker), ("start", hgs.worker)):
        gw.post(f"/api/grid/cases/{grid_case}/{action}", who).ok()
    gw.post(f"/api/grid/cases/{grid_case}/resolve", hgs.worker, {"note": "已清理通道"}).ok()
    own = gw.post(f"/api/grid/cases/{grid_case}/verify", hgs.worker)
    assert own.status == 403  # the resolver does not verify their own work
    gw.post(f"/api/grid/cases/{grid_case}/verify", hgs.staff).ok()
    closed = gw.post(f"/api/grid/cases/{grid_case}/close", hgs.staff).ok()
    assert closed["status"] == "closed"

    resolved = published(events, "grid.case.resolved", case_id=grid_case)[0]
    assert resolved["data"]["source_ref"] == case["id"] and resolved["data"]["on_time"]
    back = published(events, "intake.case.resolved", case_id=case["id"])[0]
    assert back["data"]["resolved_by"] == "grid"
    desk_case = wait_for(
        lambda: (lambda c: c if c["status"] == "resolved" else None)(
            gw.get(f"/api/intake/cases/{case['id']}", hgs.staff).ok()
        ),
        message="intake resolved",
    )
    assert desk_case["grid_case_number"] == reported["data"]["case_number"]
    assert [s["action"] for s in desk_case["steps"]] == ["open", "refer", "resolve"]


def _contract_path(contract: dict[str, Any]) -> str:
    return f"/api/contracts/contracts/{contract['id']}"


def _allocate(gw: Gateway, hgs: Community, contract: dict[str, Any], milestone: dict[str, Any]) -> Any:
    """The officer allocates the milestone's amount to the contract (a fresh idempotency key)."""
    return gw.post(
        f"{_contract_path(contract)}/allocations",
        hgs.officer,
        {"amount_fen": milestone["amount_fen"]},
        headers=money_key(),
    )


def _pay(
    gw: Gateway, hgs: Community, contract: dict[str, Any], milestone: dict[str, Any], key: dict[str, str]
) -> Any:
    """The committee member pays the milestone's amount under this idempotency key."""
    return gw.post(
        f"{_contract_path(contract)}/milestones/{milestone['id']}/payments",
        hgs.member,
        {"amount_fen": milestone["amount_fen"]},
        headers=key,
    )


def the_contract_is_bought_signed_and_paid(
    gw: Gateway, hgs: Community, events: Any, stack_clock: Any
) -> dict[str, Any]:
    """Tender → the committee's resolution → approval → bids → award → resolution, public
    notice of five working days (the stack's clock moved past it) → approval → contract →
    three signatures → the subdistrict allocates → the committee pays."""
    winner, rival = hgs.ids["providers"]
    tender = gw.post(
        "/api/contracts/tenders",
        hgs.officer,
        {
            "community": hgs.code,
            "fiscal_year": YEAR,
            "title": f"{YEAR}年度社区服务中心运营服务",
            "method": "competitive_negotiation",
            "invited_provider_ids": [winner, rival],
            "package_codes": ["center_operation"],
            "estimated_value_fen": 2_500_000_00,
        },
    ).ok(201)
    path = f"/api/contracts/tenders/{tender['id']}"
    gw.post(f"{path}/submission", hgs.officer, {"reason": "提请居委会审议"}).ok()
    early = gw.post(f"{path}/publication", hgs.officer, {})
    assert early.status == 409  # nothing is published before the committee approves
    seats = seat_committee(gw, hgs)  # five members; the fifth recuses for the winner
    pass_resolution(gw, seats, "approve_tender", tender["id"], hgs.ids["usccs"][0])
    decide_when_recorded(gw, hgs.member, path, "tender", "resolution-required").ok()
    gw.post(f"{path}/publication", hgs.officer, {}).ok()
    bids = [
        gw.post(f"{path}/bids", hgs.signatory(provider), {"provider_id": provider, "amount_fen": amount}).ok(
            201
        )
        for provider, amount in ((winner, 2_380_000_00), (rival, 2_450_000_00))
    ]
    gw.post(f"{path}/closing", hgs.officer, {}).ok()
    gw.post(
        f"{path}/award",
        hgs.officer,
        {
            "bid_id": bids[0]["id"],
            "reason": "方案最优",
            "scores": [{"bid_id": bids[0]["id"], "score": 90}, {"bid_id": bids[1]["id"], "score": 82}],
        },
    ).ok()
    award = pass_resolution(gw, seats, "approve_award", tender["id"], hgs.ids["usccs"][0])
    notice = notice_of(gw, hgs.code, award["id"])
    stack_clock(datetime.fromisoformat(notice["ends_at"]) - datetime.now(UTC) + timedelta(minutes=1))
    gw.post(f"/api/governance/notices/{notice['id']}/conclusion", seats[0]["token"]).ok()
    awarded = decide_when_recorded(gw, hgs.member2, path, "award", "notice-pending").ok()
    stack_clock(timedelta(0))  # the rest of the story happens today
    passed = published(events, "governance.resolution.passed", count=2, subject_id=tender["id"])
    assert {e["data"]["subject_kind"] for e in passed} == {"approve_tender", "approve_award"}
    assert all(len(e["data"]["recused_member_ids"]) == 1 for e in passed)
    published(events, "governance.notice.concluded", resolution_id=award["id"])
    assert awarded["status"] == "awarded" and awarded["award_value_fen"] == 2_380_000_00

    contract = gw.post(
        "/api/contracts/contracts",
        hgs.officer,
        {
            "tender_id": tender["id"],
            "period_start": f"{YEAR}-01-01",
            "period_end": f"{YEAR}-12-31",
            "milestones": [
                {"name": "签约首期款 30%", "kind": "signing", "share_bp": 3000},
                {
                    "name": "年度评估后尾款 70%",
                    "kind": "evaluation",
                    "due_date": f"{YEAR + 1}-01-31",
                    "share_bp": 7000,
                    "evaluation_year": YEAR,
                },
            ],
        },
    ).ok(201)
    for party, token in (
        ("committee", hgs.member),
        ("subdistrict", hgs.officer),
        ("provider", hgs.signatory(winner)),
    ):
        etag = gw.get(_contract_path(contract), hgs.officer).headers["ETag"]
        signed = gw.post(
            f"{_contract_path(contract)}/signatures", token, {"party": party}, headers={"If-Match": etag}
        ).ok()
    assert signed["status"] == "active" and sorted(signed["parties_signed"]) == [
        "committee",
        "provider",
        "subdistrict",
    ]
    first, final = signed["milestones"]
    assert (first["amount_fen"], final["amount_fen"]) == (714_000_00, 1_666_000_00)
    assert first["status"] == "payable"

    _allocate(gw, hgs, contract, first).ok(201)
    key = money_key()
    paid = _pay(gw, hgs, contract, first, key).ok(201)
    replay = _pay(gw, hgs, contract, first, key)
    assert replay.status == 201 and replay.headers.get("Idempotent-Replayed") == "true"
    assert replay.body["id"] == paid["id"]
    account = next(
        a
        for a in gw.get(f"/api/contracts/accounts?community={hgs.code}", hgs.officer).ok()
        if a["kind"] == "committee"
    )
    assert account["balance_fen"] == 0  # the money passed through the committee's account
    entries = gw.get(f"/api/contracts/accounts/{account['id']}/entries", hgs.member).ok()
    assert sorted((e["kind"], e["amount_fen"], e["debit_account_id"] == account["id"]) for e in entries) == [
        ("allocation", 714_000_00, True),
        ("payment", 714_000_00, False),
    ]

    assert len(published(events, "contracts.bid.submitted", count=2, tender_id=tender["id"])) == 2
    published(events, "contracts.award.made", tender_id=tender["id"], provider_id=winner)
    assert len(published(events, "contracts.contract.signed", count=3, contract_id=contract["id"])) == 3
    published(events, "contracts.contract.activated", contract_id=contract["id"])
    published(events, "contracts.funds.allocated", contract_id=contract["id"])
    made = published(events, "contracts.payment.made", contract_id=contract["id"])
    assert len(made) == 1 and made[0]["data"]["amount_fen"] == 714_000_00  # replay: no 2nd
    return signed


SCHEME = {
    "parties": [
        {"party": "committee", "weight": "0.5"},
        {"party": "subdistrict", "weight": "0.2"},
        {"party": "resident_survey", "weight": "0.2"},
        {"party": "third_party", "weight": "0.1"},
    ],
    "survey": {"mode": "entered"},  # the third-party evaluator ran the residents' survey
    "dimensions": [
        {
            "code": "service",
            "name": "服务",
            "weight": "0.6",
            "children": [
                {"code": "Q1", "name": "服务质量", "weight": "0.5", "source": "party"},
                {"code": "S1", "name": "居民评价", "weight": "0.5", "source": "party"},
            ],
        },
        {
            "code": "finance",
            "name": "财务合规",
            "weight": "0.4",
            "children": [{"code": "F1", "name": "资金按预算使用", "weight": "1", "source": "party"}],
        },
    ],
}
SHEETS = {
    "committee": {"Q1": 90, "S1": 100, "F1": 80},
    "subdistrict": {"Q1": 85, "S1": 100, "F1": 85},
    "third_party": {"Q1": 80, "S1": 100, "F1": 90},
    "resident_survey": {"Q1": 100, "S1": 100, "F1": 100},
}


def the_evaluation_releases_the_final_milestone(
    gw: Gateway, hgs: Community, events: Any, contract: dict[str, Any]
) -> None:
    """The committee's scheme (50 %) for a period that has ended, every party's sheet; one
    member alone cannot close it, two managers do; contracts releases."""
    title = f"{COMMUNITY_NAMES[hgs.code]}社区服务中心运营服务年度多元化绩效评估"
    scheme = gw.post(
        "/api/evaluation/schemes",
        hgs.member,
        {"community": hgs.code, "year": YEAR, "contract_id": contract["id"], "title": title, **SCHEME},
    ).ok(201)
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    period = {"period_start": str(today - timedelta(days=90)), "period_end": str(today - timedelta(days=1))}
    opened = gw.post("/api/evaluation/rounds", hgs.member, {"scheme_id": scheme["id"], **period}).ok(201)
    rounds = f"/api/evaluation/rounds/{opened['id']}"
    for party, token in (
        ("committee", hgs.member),
        ("subdistrict", hgs.officer),
        ("third_party", hgs.evaluator),
        ("resident_survey", hgs.evaluator),
    ):
        gw.post(
            f"{rounds}/scores",
            token,
            {
                "party": party,
                "scores": [{"indicator": code, "score": score} for code, score in SHEETS[party].items()],
            },
        ).ok()
    posing = gw.post(
        f"{rounds}/scores",
        hgs.member,
        {"party": "subdistrict", "scores": [{"indicator": "Q1", "score": 100}]},
    )
    assert posing.status == 403  # a party scores only as itself
    wait_for(
        lambda: (
            gw.get(f"/api/evaluation/measurements?community={hgs.code}&year={YEAR}", hgs.member).ok()[
                "metrics"
            ]["satisfaction_count"]
            >= 1
        ),
        timeout=30,
        message="the resident's rating in the read model",
    )

    # Money only by a fair evaluation: one manager alone does not close a contract's round.
    read = gw.get(rounds, hgs.member).headers["ETag"]
    alone = gw.post(f"{rounds}/close", hgs.member, headers={"If-Match": read})
    assert alone.status == 409 and alone.body["type"].endswith("second-manager-needed")
    gw.post(f"{rounds}/propose-close", hgs.member).ok()
    read = gw.get(rounds, hgs.officer).headers["ETag"]
    result = gw.post(f"{rounds}/close", hgs.officer, headers={"If-Match": read}).ok()  # four eyes
    # committee 0.3*90+0.3*100+0.4*80 = 89; subdistrict 89.5; the survey 100; third party
    # 90 -> 0.5*89 + 0.2*89.5 + 0.2*100 + 0.1*90 = 91.4
    assert (result["score"], result["grade"], result["committee_weight"]) == (91.4, "excellent", 0.5)
    committee = next(p for p in result["parties"] if p["party"] == "committee")
    assert committee["contribution"] == pytest.approx(44.5)  # half the score is the committee's

    completed = published(events, "evaluation.round.completed", round_id=opened["id"])[0]
    assert completed["data"]["contract_id"] == contract["id"] and completed["data"]["score"] == 91.4
    assert (completed["data"]["closed_via"], completed["data"]["closers"]) == ("four_eyes", 2)
    final = contract["milestones"][1]
    released = published(events, "contracts.payment.released", milestone_id=final["id"])[0]
    assert released["data"]["amount_fen"] == final["amount_fen"]
    assert released["data"]["grade"] == "excellent"
    assert released["correlationid"] == completed["correlationid"]
    now = wait_for(
        lambda: (lambda c: c if c["milestones"][1]["status"] == "payable" else None)(
            gw.get(_contract_path(contract), hgs.member).ok()
        ),
        message="the release",
    )
    assert now["milestones"][1]["payable_fen"] == final["amount_fen"]

    _allocate(gw, hgs, contract, final).ok(201)
    _pay(gw, hgs, contract, final, money_key()).ok(201)
    done = gw.get(_contract_path(contract), hgs.resident).ok()  # residents read it too
    assert done["status"] == "completed" and done["paid_fen"] == done["value_fen"]
    assert len(published(events, "contracts.payment.made", count=2, contract_id=contract["id"])) == 2
