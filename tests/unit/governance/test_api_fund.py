"""The autonomy fund: proposals within the cap, screening, one ballot per resident, grants by resolution."""

from __future__ import annotations

from datetime import timedelta

from tests.support.helpers import assert_problem
from tests.unit.governance.story import MONDAY

BALANCE = 5_000_000  # 50 000 yuan
CAP = 3_000_000


def _round(committee, governance, max_choices: int = 2) -> dict:
    body = {
        "community": "huaguoshan",
        "title": "2026年社区自治金第一轮",
        "balance_fen": BALANCE,
        "cap_fen": CAP,
        "max_choices": max_choices,
        "voting_opens_at": (MONDAY + timedelta(days=1)).isoformat(),
        "voting_closes_at": (MONDAY + timedelta(days=8)).isoformat(),
    }
    return committee.ok(governance.client.post("/fund/rounds", json=body, headers=committee.tokens[0]), 201)


def _propose(committee, governance, fund_round: dict, n: int, estimate_fen: int):
    body = {
        "title": f"项目{n}",
        "description": "为居民办实事",
        "place": "花果山社区",
        "estimate_fen": estimate_fen,
    }
    return governance.client.post(
        f"/fund/rounds/{fund_round['id']}/proposals", json=body, headers=committee.resident(n)
    )


def _screen(committee, governance, proposal: dict, eligible: bool) -> None:
    body = {"eligible": eligible, "reason": "符合自治金用途" if eligible else "属于政府职能，不宜使用自治金"}
    committee.ok(
        governance.client.put(
            f"/fund/proposals/{proposal['id']}/screening", json=body, headers=committee.tokens[1]
        )
    )


def test_a_round_of_six_proposals_four_eligible_thirty_voters_grants_the_top_two(
    committee, governance, moment
):
    fund_round = _round(committee, governance)
    estimates = [2_000_000, 2_500_000, 1_500_000, 1_000_000, 800_000, 900_000]
    proposals = [
        committee.ok(_propose(committee, governance, fund_round, n, e), 201) for n, e in enumerate(estimates)
    ]
    for n, proposal in enumerate(proposals):
        _screen(committee, governance, proposal, eligible=n < 4)
    moment.advance(timedelta(days=2))
    a, b, c, d = (p["id"] for p in proposals[:4])
    choices = [[a, b]] * 14 + [[a, c]] * 10 + [[b]] * 4 + [[c, d]] * 2
    assert len(choices) == 30
    for n, chosen in enumerate(choices):
        response = governance.client.post(
            f"/fund/rounds/{fund_round['id']}/ballots",
            json={"proposal_ids": chosen},
            headers=committee.resident(100 + n),
        )
        committee.ok(response, 201)
    moment.advance(timedelta(days=7))
    item = committee.item(committee.meeting(present=[0, 1, 2, 3]), "fund_grant", fund_round["id"])
    for n in (0, 1, 2):
        committee.ok(committee.vote(item, n), 201)

    assert committee.ok(committee.close(item))["status"] == "passed"

    page = committee.ok(governance.client.get(f"/fund/rounds/{fund_round['id']}"))
    by_id = {p["id"]: p for p in page["proposals"]}
    assert [by_id[x]["votes"] for x in (a, b, c, d)] == [24, 18, 12, 2]
    # 20 000 + 25 000 yuan granted; the third (15 000) and the fourth (10 000) exceed the 5 000 left
    assert [by_id[x]["granted"] for x in (a, b, c, d)] == [True, True, False, False]
    assert not any(by_id[p["id"]]["granted"] for p in proposals[4:])
    assert page["granted_by_resolution_id"] == item["id"]
    granted = [e for e in governance.outbox() if e["type"] == "governance.fund.granted.v1"][0]["data"][
        "grants"
    ]
    assert {g["proposal_id"] for g in granted} == {a, b}
    assert len(committee.ok(governance.client.get("/notices?community=huaguoshan"))) == 1


def test_a_proposal_over_the_cap_is_refused_and_not_kept(committee, governance):
    fund_round = _round(committee, governance)

    body = assert_problem(
        _propose(committee, governance, fund_round, 1, CAP + 1), 422, type_suffix="over-fund-cap"
    )

    assert (body["estimate_fen"], body["cap_fen"]) == (CAP + 1, CAP)
    assert committee.ok(governance.client.get(f"/fund/rounds/{fund_round['id']}"))["proposals"] == []


def test_ballots_outside_the_window_are_refused_and_not_counted(committee, governance, moment):
    fund_round = _round(committee, governance)
    proposal = committee.ok(_propose(committee, governance, fund_round, 1, 1_000_000), 201)
    _screen(committee, governance, proposal, eligible=True)
    ballot = {"proposal_ids": [proposal["id"]]}
    path = f"/fund/rounds/{fund_round['id']}/ballots"

    early = assert_problem(
        governance.client.post(path, json=ballot, headers=committee.resident(1)),
        409,
        type_suffix="outside-voting-window",
    )
    moment.advance(timedelta(days=8))
    late = assert_problem(
        governance.client.post(path, json=ballot, headers=committee.resident(1)),
        409,
        type_suffix="outside-voting-window",
    )

    assert early["opens_at"] == late["opens_at"] == fund_round["voting_opens_at"]
    assert (
        committee.ok(governance.client.get(f"/fund/rounds/{fund_round['id']}"))["proposals"][0]["votes"] == 0
    )


def test_a_ballot_names_eligible_projects_within_the_choices_and_counts_once(committee, governance, moment):
    fund_round = _round(committee, governance, max_choices=1)
    good, bad = (committee.ok(_propose(committee, governance, fund_round, n, 500_000), 201) for n in (1, 2))
    _screen(committee, governance, good, eligible=True)
    _screen(committee, governance, bad, eligible=False)
    moment.advance(timedelta(days=2))
    path = f"/fund/rounds/{fund_round['id']}/ballots"
    voter = committee.resident(7)

    too_many = governance.client.post(path, json={"proposal_ids": [good["id"], bad["id"]]}, headers=voter)
    assert assert_problem(too_many, 422, type_suffix="too-many-choices")["max_choices"] == 1
    not_eligible = governance.client.post(path, json={"proposal_ids": [bad["id"]]}, headers=voter)
    assert assert_problem(not_eligible, 422, type_suffix="proposal-not-eligible")["proposal_ids"] == [
        bad["id"]
    ]
    committee.ok(governance.client.post(path, json={"proposal_ids": [good["id"]]}, headers=voter), 201)
    again = governance.client.post(path, json={"proposal_ids": [good["id"]]}, headers=voter)
    assert_problem(again, 409, type_suffix="already-voted")
    assert (
        committee.ok(governance.client.get(f"/fund/rounds/{fund_round['id']}"))["proposals"][0]["votes"] == 1
    )


def test_grants_wait_for_the_close_of_voting(committee, governance, moment):
    fund_round = _round(committee, governance)
    moment.advance(timedelta(days=2))
    item = committee.item(committee.meeting(present=[0, 1, 2]), "fund_grant", fund_round["id"])
    for n in (0, 1, 2):
        committee.ok(committee.vote(item, n), 201)

    assert_problem(committee.close(item), 409, type_suffix="outside-voting-window")

    assert "governance.resolution.passed.v1" not in governance.outbox_types()
