"""Meetings through the API: quorum without the recused, recusal refused by name, majorities."""

from __future__ import annotations

import uuid

from tests.support.helpers import assert_problem
from tests.unit.governance.story import PROVIDER


def test_a_meeting_of_five_with_one_recused_passes_the_award(committee, governance):
    committee.declare(4)
    meeting = committee.meeting(present=[0, 1, 2, 3, 4])
    tender = str(uuid.uuid4())
    item = committee.item(meeting, "approve_award", tender, parties=(PROVIDER,))
    for n in (0, 1, 2):
        committee.ok(committee.vote(item, n), 201)
    committee.ok(committee.vote(item, 3, "against"), 201)

    outcome = committee.ok(committee.close(item))

    assert outcome["status"] == "passed"
    assert (
        outcome["votes_for"],
        outcome["votes_against"],
        outcome["eligible"],
        outcome["eligible_present"],
    ) == (3, 1, 4, 4)
    assert outcome["recused_member_ids"] == [committee.members[4]["id"]]
    passed = [e for e in governance.outbox() if e["type"] == "governance.resolution.passed.v1"]
    assert (
        passed[0]["data"]["subject_id"] == tender and passed[0]["data"]["takes_effect_after_notice"] is True
    )
    assert "governance.notice.posted.v1" in governance.outbox_types()


def test_a_recused_members_vote_is_refused_naming_the_interest(committee, governance):
    interest = committee.declare(4)
    item = committee.item(
        committee.meeting(present=[0, 1, 2, 3, 4]), "approve_award", str(uuid.uuid4()), (PROVIDER,)
    )

    body = assert_problem(committee.vote(item, 4), 409, type_suffix="recused-member")

    assert body["interest"] == {"id": interest["id"], "kind": "provider", "party": PROVIDER}
    assert PROVIDER in body["detail"]
    assert (
        committee.ok(governance.client.get(f"/items/{item['id']}/votes", headers=committee.tokens[0])) == []
    )


def test_quorum_counts_without_the_recused(committee, governance):
    # five sitting, two recused: three count; two of them present is a quorum, one is not
    for n in (3, 4):
        committee.declare(n)
    item = committee.item(
        committee.meeting(present=[0, 3, 4]), "approve_tender", str(uuid.uuid4()), (PROVIDER,)
    )
    committee.ok(committee.vote(item, 0), 201)

    body = assert_problem(committee.close(item), 409, type_suffix="no-quorum")

    assert (body["eligible"], body["eligible_present"]) == (3, 1)
    assert "governance.resolution.passed.v1" not in governance.outbox_types()
    again = committee.item(
        committee.meeting(present=[0, 1, 3, 4]), "approve_tender", str(uuid.uuid4()), (PROVIDER,)
    )
    committee.ok(committee.vote(again, 0), 201)
    committee.ok(committee.vote(again, 1), 201)
    assert committee.ok(committee.close(again))["status"] == "passed"


def test_a_tie_of_the_present_is_rejected_and_publishes_nothing(committee, governance):
    item = committee.item(committee.meeting(present=[0, 1, 2, 3]), "approve_tender", str(uuid.uuid4()))
    for n, choice in ((0, "for"), (1, "for"), (2, "against"), (3, "abstain")):
        committee.ok(committee.vote(item, n, choice), 201)

    assert committee.ok(committee.close(item))["status"] == "rejected"
    assert "governance.resolution.passed.v1" not in governance.outbox_types()


def test_a_member_out_of_term_cannot_vote(committee, governance, token):
    from datetime import date

    from tests.support.helpers import bearer

    former = committee.seat("former-1", term=(date(2020, 1, 1), date(2023, 12, 31)))
    meeting = committee.meeting(present=[0, 1, 2])
    attendance = governance.client.put(
        f"/meetings/{meeting['id']}/attendance",
        json={"member_ids": [former["id"]]},
        headers=committee.tokens[0],
    )
    body = assert_problem(attendance, 409, type_suffix="member-out-of-term")
    assert body["member_id"] == former["id"] and body["term_end"] == "2023-12-31"
    item = committee.item(meeting, "approve_tender", str(uuid.uuid4()))

    refused = governance.client.post(
        f"/items/{item['id']}/votes",
        json={"choice": "for"},
        headers=bearer(token("committee_member", sub="former-1")),
    )

    assert_problem(refused, 409, type_suffix="member-out-of-term")
    assert committee.ok(governance.client.get(f"/meetings/{meeting['id']}", headers=committee.tokens[0]))[
        "present_member_ids"
    ] == sorted(committee.members[n]["id"] for n in (0, 1, 2))


def test_a_member_votes_once_and_only_when_present(committee):
    item = committee.item(committee.meeting(present=[0, 1, 2]), "approve_tender", str(uuid.uuid4()))
    committee.ok(committee.vote(item, 0), 201)

    assert_problem(committee.vote(item, 0, "against"), 409, type_suffix="already-voted")
    assert_problem(committee.vote(item, 3), 409, type_suffix="member-not-present")


def test_only_the_subdistrict_office_keeps_the_roster(committee, governance):
    body = {
        "community": "huaguoshan",
        "person_sub": "x",
        "name": "某人",
        "position": "member",
        "term_start": "2026-01-01",
        "term_end": "2026-12-31",
    }
    assert_problem(governance.client.post("/members", json=body, headers=committee.tokens[0]), 403)
    body["term_end"] = "2025-01-01"
    assert_problem(
        governance.client.post("/members", json=body, headers=committee.officer), 422, field="term_end"
    )
    assert (
        len(committee.ok(governance.client.get("/members?community=huaguoshan", headers=committee.officer)))
        == 5
    )
