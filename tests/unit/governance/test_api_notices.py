"""Public notices: posted on a passed award, objections until the 5th working day, answers, conclusion."""

from __future__ import annotations

import uuid
from datetime import timedelta

from tests.support.helpers import assert_problem
from tests.unit.governance.story import PROVIDER


def _posted_award(committee, governance) -> tuple[str, dict]:
    tender = str(uuid.uuid4())
    item = committee.item(committee.meeting(present=[0, 1, 2]), "approve_award", tender, (PROVIDER,))
    for n in (0, 1, 2):
        committee.ok(committee.vote(item, n), 201)
    committee.ok(committee.close(item))
    notices = committee.ok(governance.client.get("/notices?community=huaguoshan"))
    return tender, notices[0]


def test_the_notice_runs_five_working_days_from_the_next_day(committee, governance):
    _, notice = _posted_award(committee, governance)

    # posted Monday 2 March: Tue 3 … Fri 6 and Mon 9 are its five working days
    assert notice["ends_at"] == "2026-03-09T16:00:00+00:00"  # 10 March, 00:00 in Shenzhen
    assert notice["subject_kind"] == "approve_award" and notice["objections"] == []


def test_a_resident_objects_the_committee_answers_and_the_notice_concludes(committee, governance, moment):
    tender, notice = _posted_award(committee, governance)
    resident = committee.resident(1)
    objection = committee.ok(
        governance.client.post(
            f"/notices/{notice['id']}/objections", json={"text": "该机构去年服务不到位"}, headers=resident
        ),
        201,
    )
    assert_problem(
        governance.client.post(
            f"/notices/{notice['id']}/objections", json={"text": "再说一次"}, headers=resident
        ),
        409,
        type_suffix="already-objected",
    )
    moment.advance(timedelta(days=7))  # Monday 9 March: the fifth working day
    early = assert_problem(
        governance.client.post(f"/notices/{notice['id']}/conclusion", headers=committee.tokens[0]),
        409,
        type_suffix="notice-not-concluded",
    )
    assert early["ends_at"] == notice["ends_at"]
    moment.advance(timedelta(days=1))
    unanswered = assert_problem(
        governance.client.post(f"/notices/{notice['id']}/conclusion", headers=committee.tokens[0]),
        409,
        type_suffix="notice-not-concluded",
    )
    assert unanswered["unanswered"] == 1
    answer = {"answer": "已核查，该机构年度评估为良好，维持决定。"}
    committee.ok(
        governance.client.put(
            f"/objections/{objection['id']}/answer", json=answer, headers=committee.tokens[1]
        )
    )

    concluded = committee.ok(
        governance.client.post(f"/notices/{notice['id']}/conclusion", headers=committee.tokens[0])
    )

    assert concluded["concluded_at"] is not None
    assert concluded["objections"][0]["answer"] == answer["answer"]
    assert "resident_sub" not in concluded["objections"][0]
    done = [e for e in governance.outbox() if e["type"] == "governance.notice.concluded.v1"]
    assert done[0]["data"]["subject_id"] == tender and done[0]["data"]["objections"] == 1


def test_an_objection_after_the_period_is_refused_and_nothing_is_kept(committee, governance, moment):
    _, notice = _posted_award(committee, governance)
    moment.advance(timedelta(days=7, hours=14))  # 10 March 00:00 in Shenzhen: the period is over

    body = assert_problem(
        governance.client.post(
            f"/notices/{notice['id']}/objections", json={"text": "迟到的异议"}, headers=committee.resident(2)
        ),
        409,
        type_suffix="objection-period-over",
    )

    assert body["ends_at"] == notice["ends_at"]
    assert committee.ok(governance.client.get(f"/notices/{notice['id']}"))["objections"] == []


def test_the_worker_concludes_due_notices_without_open_objections(committee, governance, moment):
    from services.governance.usecases import notices

    _, notice = _posted_award(committee, governance)
    moment.advance(timedelta(days=7))
    with governance.runtime.unit_of_work() as uow:
        assert notices.conclude_due(uow) == 0
    moment.advance(timedelta(days=1))
    with governance.runtime.unit_of_work() as uow:
        assert notices.conclude_due(uow) == 1
        uow.commit()
    assert committee.ok(governance.client.get(f"/notices/{notice['id']}"))["concluded_at"] is not None


def test_only_residents_of_the_community_object(committee, governance, token):
    from tests.support.helpers import bearer

    _, notice = _posted_award(committee, governance)
    outsider = bearer(token("resident", community="chiwan", sub="chiwan-resident"))
    assert_problem(
        governance.client.post(f"/notices/{notice['id']}/objections", json={"text": "x"}, headers=outsider),
        403,
    )
