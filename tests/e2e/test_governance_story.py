"""The committee decides as a body, through the gateway on RabbitMQ and PostgreSQL.

In Chiwan (where the committee decides by resolution) a meeting of five, one of them
recused for an interest in the bidding social organisation, passes the tender and then
the award; contracts hears of each resolution over the broker and approves only on it;
the award is posted publicly, a resident objects and the committee answers; while the
notice runs, contracts refuses to record the award; five working days later (the stack's
clock moved ahead) the notice concludes, contracts records the award and its OCDS release
shows it.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from .community_setup import (
    GOV,
    YEAR,
    Community,
    decide_when_recorded,
    pass_resolution,
    seat_committee,
    set_up_purchasing,
)
from .gateway_client import Gateway

pytestmark = [pytest.mark.postgres, pytest.mark.rabbitmq]


@pytest.fixture(scope="module")
def chiwan(stack, gateway: Gateway) -> Community:
    community = Community("chiwan", stack)
    set_up_purchasing(gateway, community, serials=(41, 42))
    return community


def test_a_meeting_with_one_recused_passes_the_award_recorded_after_its_notice(
    gateway: Gateway, stack, chiwan, stack_clock
):
    gw, winner_code = gateway, chiwan.ids["usccs"][0]
    seats = seat_committee(gw, chiwan)
    gw.post(
        f"{GOV}/members/{seats[4]['id']}/interests",
        seats[4]["token"],
        {"kind": "provider", "party": winner_code, "description": "任该机构理事"},
    ).ok(201)
    winner, rival = chiwan.ids["providers"]
    tender = gw.post(
        "/api/contracts/tenders",
        chiwan.officer,
        {
            "community": "chiwan",
            "fiscal_year": YEAR,
            "title": f"{YEAR}年度赤湾社区服务中心运营服务",
            "method": "competitive_negotiation",
            "invited_provider_ids": [winner, rival],
            "package_codes": ["center_operation"],
            "estimated_value_fen": 2_500_000_00,
        },
    ).ok(201)
    path = f"/api/contracts/tenders/{tender['id']}"
    gw.post(f"{path}/submission", chiwan.officer, {"reason": "提请居委会审议"}).ok()
    unresolved = gw.post(
        f"{path}/decisions",
        chiwan.member,
        {"step": "tender", "decision": "approve", "reason": "居委会同意采购"},
        headers={"If-Match": gw.get(path, chiwan.member).headers["ETag"]},
    )
    assert unresolved.status == 409 and unresolved.body["type"].endswith("resolution-required")

    pass_resolution(gw, seats, "approve_tender", tender["id"], winner_code)
    assert (
        decide_when_recorded(gw, chiwan.member, path, "tender", "resolution-required").ok()["status"]
        == "approved"
    )
    gw.post(f"{path}/publication", chiwan.officer, {}).ok()
    bids = [
        gw.post(f"{path}/bids", chiwan.signatory(p), {"provider_id": p, "amount_fen": amount}).ok(201)
        for p, amount in ((winner, 2_380_000_00), (rival, 2_450_000_00))
    ]
    gw.post(f"{path}/closing", chiwan.officer, {}).ok()
    gw.post(f"{path}/award", chiwan.officer, {"bid_id": bids[0]["id"], "reason": "方案最优"}).ok()

    award = pass_resolution(gw, seats, "approve_award", tender["id"], winner_code)
    notices = gw.get(f"{GOV}/notices?community=chiwan").ok()  # public, without signing in
    notice = next(n for n in notices if n["resolution_id"] == award["id"])
    objection = gw.post(
        f"{GOV}/notices/{notice['id']}/objections", chiwan.resident, {"text": "请公开评分"}
    ).ok(201)
    gw.call(
        "PUT", f"{GOV}/objections/{objection['id']}/answer", seats[1]["token"], {"answer": "评分已公开"}
    ).ok()

    pending = decide_when_recorded(gw, chiwan.member, path, "award", "resolution-required")
    assert pending.status == 409 and pending.body["type"].endswith("notice-pending"), pending.body
    assert pending.body["resolution_id"] == award["id"]
    assert gw.get(f"{GOV}/notices/{notice['id']}").ok()["objections"][0]["answer"] == "评分已公开"
    assert gw.get(f"{path}", chiwan.officer).ok()["status"] == "award_proposed"
    early = gw.post(f"{GOV}/notices/{notice['id']}/conclusion", seats[0]["token"])
    assert early.status == 409 and early.body["type"].endswith("notice-not-concluded"), early.body

    ends_at = datetime.fromisoformat(notice["ends_at"])
    stack_clock(ends_at - datetime.now(UTC) + timedelta(minutes=1))  # past the fifth working day
    concluded = gw.post(f"{GOV}/notices/{notice['id']}/conclusion", seats[0]["token"]).ok()
    assert concluded["concluded_at"] is not None and len(concluded["objections"]) == 1

    awarded = decide_when_recorded(gw, chiwan.member, path, "award", "notice-pending").ok()
    assert awarded["status"] == "awarded" and awarded["award_value_fen"] == 2_380_000_00
    releases = gw.get("/api/contracts/ocds/releases?community=chiwan&page_size=100").ok()["releases"]
    award_releases = [r for r in releases if "award" in r["tag"]]
    assert len(award_releases) == 1, [r["tag"] for r in releases]
    assert award_releases[0]["awards"][0]["value"]["amount"] == 2_380_000, award_releases[0]["awards"]


def _problem(reply: Any, status: int, kind: str) -> dict[str, Any]:
    assert reply.status == status and reply.body["type"].endswith(kind), (reply.status, reply.body)
    return reply.body


def test_an_autonomy_fund_round_grants_the_top_two_within_the_balance(gateway: Gateway, stack, stack_clock):
    gw = gateway
    seats = seat_committee(gw, Community("yanshan", stack), prefix="fund")
    chair = seats[0]["token"]
    now = datetime.now(UTC)
    fund_round = gw.post(
        f"{GOV}/fund/rounds",
        chair,
        {
            "community": "yanshan",
            "title": "沿山社区自治金",
            "balance_fen": 5_000_000,
            "cap_fen": 3_000_000,
            "max_choices": 2,
            "voting_opens_at": (now + timedelta(days=1)).isoformat(),
            "voting_closes_at": (now + timedelta(days=3)).isoformat(),
        },
    ).ok(201)
    rounds_path = f"{GOV}/fund/rounds/{fund_round['id']}"

    def resident(n: int) -> str:
        return stack.token("resident", communities=("yanshan",), sub=f"resident-yanshan-fund{n}")

    over = gw.post(
        f"{rounds_path}/proposals",
        resident(0),
        {"title": "大项目", "description": "超出上限", "place": "沿山", "estimate_fen": 3_000_001},
    )
    assert _problem(over, 422, "over-fund-cap")["cap_fen"] == 3_000_000
    estimates = [2_000_000, 2_500_000, 1_500_000, 1_000_000, 800_000, 900_000]
    proposals = [
        gw.post(
            f"{rounds_path}/proposals",
            resident(n),
            {"title": f"项目{n}", "description": "为居民办实事", "place": "沿山", "estimate_fen": e},
        ).ok(201)
        for n, e in enumerate(estimates)
    ]
    for n, proposal in enumerate(proposals):
        screening = {"eligible": n < 4, "reason": "符合用途" if n < 4 else "不属于自治事项"}
        gw.call("PUT", f"{GOV}/fund/proposals/{proposal['id']}/screening", chair, screening).ok()
    a, b, c, d = (p["id"] for p in proposals[:4])
    early = gw.post(f"{rounds_path}/ballots", resident(100), {"proposal_ids": [a]})
    assert _problem(early, 409, "outside-voting-window")["opens_at"] == fund_round["voting_opens_at"]

    stack_clock(timedelta(days=1, hours=1))
    choices = [[a, b]] * 14 + [[a, c]] * 10 + [[b]] * 4 + [[c, d]] * 2
    for n, chosen in enumerate(choices):
        gw.post(f"{rounds_path}/ballots", resident(100 + n), {"proposal_ids": chosen}).ok(201)
    twice = gw.post(f"{rounds_path}/ballots", resident(100), {"proposal_ids": [d]})
    _problem(twice, 409, "already-voted")

    stack_clock(timedelta(days=3, hours=1))
    late = gw.post(f"{rounds_path}/ballots", resident(200), {"proposal_ids": [d]})
    _problem(late, 409, "outside-voting-window")
    page = gw.get(rounds_path).ok()  # public, without signing in
    assert [p["votes"] for p in page["proposals"]] == [24, 18, 12, 2, 0, 0]

    meeting = gw.post(
        f"{GOV}/meetings",
        chair,
        {"community": "yanshan", "title": "自治金资助决议", "starts_at": now.isoformat(), "place": "线上"},
    ).ok(201)
    gw.call(
        "PUT", f"{GOV}/meetings/{meeting['id']}/attendance", chair, {"member_ids": [s["id"] for s in seats]}
    ).ok()
    item = gw.post(
        f"{GOV}/meetings/{meeting['id']}/items",
        chair,
        {"title": "按排名资助", "subject_kind": "fund_grant", "subject_id": fund_round["id"]},
    ).ok(201)
    for n in range(4):
        gw.post(f"{GOV}/items/{item['id']}/votes", seats[n]["token"], {"choice": "for"}).ok(201)
    assert gw.post(f"{GOV}/items/{item['id']}/outcome", chair).ok()["status"] == "passed"

    page = gw.get(rounds_path).ok()
    granted = {p["id"]: p["granted"] for p in page["proposals"]}
    assert [granted[x] for x in (a, b, c, d)] == [True, True, False, False]
    assert page["granted_by_resolution_id"] == item["id"]


def test_a_member_out_of_term_and_a_late_objection_are_refused_and_change_nothing(
    gateway: Gateway, stack, stack_clock
):
    gw = gateway
    officer = stack.token("subdistrict_officer", sub="officer-e2e")
    today = datetime.now(UTC).date()
    former = gw.post(
        f"{GOV}/members",
        officer,
        {
            "community": "haiyue",
            "person_sub": "committee-haiyue-former",
            "name": "前委员",
            "position": "member",
            "term_start": (today - timedelta(days=2000)).isoformat(),
            "term_end": (today - timedelta(days=200)).isoformat(),
        },
    ).ok(201)
    former_token = stack.token("committee_member", communities=("haiyue",), sub="committee-haiyue-former")
    meeting = gw.post(
        f"{GOV}/meetings",
        former_token,
        {
            "community": "haiyue",
            "title": "越期召集",
            "starts_at": datetime.now(UTC).isoformat(),
            "place": "线上",
        },
    )
    body = _problem(meeting, 409, "member-out-of-term")
    assert body["member_id"] == former["id"] and body["term_end"] == (today - timedelta(days=200)).isoformat()

    seats = seat_committee(gw, Community("haiyue", stack), prefix="late")
    notices_before = len(gw.get(f"{GOV}/notices?community=haiyue&page_size=100").ok())
    fake_award = pass_resolution(gw, seats, "approve_award", str(uuid.uuid4()), "91440300MA5LATE001")
    notice = next(
        n
        for n in gw.get(f"{GOV}/notices?community=haiyue&page_size=100").ok()
        if n["resolution_id"] == fake_award["id"]
    )
    assert len(gw.get(f"{GOV}/notices?community=haiyue&page_size=100").ok()) == notices_before + 1
    stack_clock(datetime.fromisoformat(notice["ends_at"]) - datetime.now(UTC) + timedelta(minutes=1))
    resident = stack.token("resident", communities=("haiyue",), sub="resident-haiyue-late")
    late = gw.post(f"{GOV}/notices/{notice['id']}/objections", resident, {"text": "迟到的异议"})
    assert _problem(late, 409, "objection-period-over")["ends_at"] == notice["ends_at"]
    assert gw.get(f"{GOV}/notices/{notice['id']}").ok()["objections"] == []
