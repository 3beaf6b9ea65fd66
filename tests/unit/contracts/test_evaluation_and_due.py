"""The evaluation link (release, pro rata, withhold; exactly once) and due milestones."""

import json
from datetime import timedelta

import pytest

from services.chassis.clock import local_today
from services.chassis.consumer import EventProcessor
from services.contracts import usecases
from tests.unit.contracts.story import evaluation_event


def _process(story, event):
    runtime = story.harness.runtime
    processor = EventProcessor(runtime.settings, runtime.database, usecases.CONSUMED.handlers)
    return processor.process(json.loads(json.dumps(event)))


def _milestone(story, contract_id, seq=3):
    contract = story.ok(story.client.get(f"/contracts/{contract_id}", headers=story.officer))
    return contract, contract["milestones"][seq - 1]


@pytest.mark.parametrize(
    ("grade", "score", "released", "withheld"),
    [
        ("excellent", 93.5, 300_000_00, 0),
        ("good", 81.0, 300_000_00, 0),
        ("pass", 68.45, 205_350_00, 94_650_00),
        ("fail", 41.2, 0, 300_000_00),
    ],
)
def test_grade_decides_the_evaluation_milestone(story, grade, score, released, withheld):
    story.setup("committee_budget")
    contract = story.active_contract()
    assert _process(story, evaluation_event(contract["id"], grade, score)) == 1
    contract, milestone = _milestone(story, contract["id"])
    assert (milestone["payable_fen"], milestone["withheld_fen"]) == (released, withheld)
    assert milestone["grade"] == grade
    assert contract["withheld_fen"] == withheld
    events = story.harness.outbox()
    released_events = [e["data"] for e in events if e["type"] == "contracts.payment.released.v1"]
    withheld_events = [e["data"] for e in events if e["type"] == "contracts.payment.withheld.v1"]
    assert [e["amount_fen"] for e in released_events] == ([released] if released else [])
    assert [e["withheld_fen"] for e in withheld_events] == ([withheld] if withheld else [])
    for data in released_events + withheld_events:
        assert data["milestone_id"] == milestone["id"] and data["grade"] == grade


def test_fail_policy_is_per_contract(story):
    story.setup("committee_budget")
    contract = story.contract()
    story.ok(
        story.client.patch(
            f"/contracts/{contract['id']}",
            json={"fail_withhold_bp": 5000},
            headers={**story.member2, "If-Match": story.etag(contract["id"])},
        )
    )
    for party in ("subdistrict", "committee", "provider"):
        story.ok(story.sign(contract["id"], party))
    _process(story, evaluation_event(contract["id"], "fail", 50.0))
    _, milestone = _milestone(story, contract["id"])
    assert (milestone["payable_fen"], milestone["withheld_fen"]) == (150_000_00, 150_000_00)


def test_released_money_can_then_be_paid_and_completes_the_contract(story):
    story.setup("pass_through")
    contract = story.active_contract()
    story.ok(story.allocate(contract, 1_000_000_00), 201)
    story.ok(story.pay(contract, 1, 300_000_00), 201)
    story.ok(story.pay(contract, 2, 400_000_00), 201)
    _process(story, evaluation_event(contract["id"], "pass", 70.0))
    contract, milestone = _milestone(story, contract["id"])
    assert milestone["payable_fen"] == 210_000_00
    # the withheld 90 000 yuan of earmarked money went back to the subdistrict
    assert contract["allocated_fen"] == 910_000_00
    from tests.support.helpers import assert_problem

    assert_problem(story.pay(contract, 3, 210_000_01), 409, type_suffix="over-payment")
    story.ok(story.pay(contract, 3, 210_000_00), 201)
    done = story.ok(story.client.get(f"/contracts/{contract['id']}", headers=story.officer))
    assert done["status"] == "completed" and done["paid_fen"] == 910_000_00


def test_the_same_event_twice_and_an_equivalent_one_change_nothing_more(story):
    story.setup("committee_budget")
    contract = story.active_contract()
    event = evaluation_event(contract["id"], "pass", 70.0)
    assert _process(story, event) == 1
    assert _process(story, event) == 0  # the inbox: same event id
    twin = evaluation_event(contract["id"], "excellent", 99.0)  # another round, same year
    assert _process(story, twin) == 1  # handled, but finds nothing left to decide
    _, milestone = _milestone(story, contract["id"])
    assert (milestone["payable_fen"], milestone["grade"]) == (210_000_00, "pass")
    types = story.harness.outbox_types()
    assert types.count("contracts.payment.released.v1") == 1
    assert types.count("contracts.payment.withheld.v1") == 1


def test_rounds_without_contract_or_for_unknown_contracts_are_ignored(story):
    story.setup()
    assert _process(story, evaluation_event(None, "good", 80.0)) == 1
    assert _process(story, evaluation_event("00000000-0000-4000-8000-000000000000", "good", 80)) == 1
    assert story.harness.outbox_types() == []


def _dated_contract(story):
    today = local_today()
    milestones = [
        {"name": "首付", "kind": "signing", "share_bp": 2000},
        {
            "name": "已到期",
            "kind": "scheduled",
            "due_date": (today - timedelta(days=1)).isoformat(),
            "share_bp": 3000,
        },
        {
            "name": "未到期",
            "kind": "scheduled",
            "due_date": (today + timedelta(days=30)).isoformat(),
            "share_bp": 3000,
        },
        {
            "name": "评估后",
            "kind": "evaluation",
            "due_date": (today + timedelta(days=60)).isoformat(),
            "share_bp": 2000,
            "evaluation_year": today.year,
        },
    ]
    tender = story.through_award()
    contract = story.ok(
        story.client.post(
            "/contracts",
            json={
                "tender_id": tender["id"],
                "period_start": (today - timedelta(days=100)).isoformat(),
                "period_end": (today + timedelta(days=50)).isoformat(),
                "milestones": milestones,
            },
            headers=story.officer,
        ),
        201,
    )
    for party in ("subdistrict", "committee", "provider"):
        story.ok(story.sign(contract["id"], party))
    return contract


def test_due_milestones_are_published_once(story):
    story.setup()
    contract = _dated_contract(story)
    runtime = story.harness.runtime
    for _ in range(2):
        with runtime.unit_of_work() as uow:
            usecases.settlement.notify_due_milestones(uow)
            uow.commit()
    due = [e["data"] for e in story.harness.outbox() if e["type"] == "contracts.milestone.due.v1"]
    assert [d["amount_fen"] for d in due] == [200_000_00, 300_000_00]  # signing, then yesterday's
    assert due[1]["due_date"] == (local_today() - timedelta(days=1)).isoformat()
    _, milestone = _milestone(story, contract["id"], 2)
    assert milestone["status"] == "payable"
    _, later = _milestone(story, contract["id"], 3)
    assert later["status"] == "pending"


def test_worker_periodic_task_runs_the_sweep(story):
    story.setup()
    _dated_contract(story)
    from services.contracts.worker import build_worker

    worker = build_worker(story.harness.runtime)
    task = worker.periodic[0]
    assert worker.run_task(task) and worker.run_task(task)
    types = story.harness.outbox_types()
    assert types.count("contracts.milestone.due.v1") == 2


@pytest.mark.parametrize("grade, score", [("excellent", 93.5), ("fail", 41.2)])
def test_a_contract_not_in_force_is_not_settled_by_an_evaluation(story, grade, score):
    story.setup("committee_budget")
    draft = story.contract()
    before = story.harness.outbox()
    assert _process(story, evaluation_event(draft["id"], grade, score)) == 1
    contract, milestone = _milestone(story, draft["id"])
    assert contract["status"] == "draft" and contract["withheld_fen"] == 0
    assert milestone["status"] == "pending" and milestone["grade"] is None
    assert story.harness.outbox() == before


ONE_MEMBER_ALONE = {  # High #3: a committee-only scheme, a period not begun, closed by one member
    "party_weights": {"committee": 1.0},
    "opened_at": "2026-03-01T02:00:00+00:00",
    "period_start": "2026-06-01",
    "period_end": "2026-12-31",
    "completed_at": "2026-03-01T03:00:00+00:00",
    "closed_via": "single_manager",
    "closers": 1,
}


@pytest.mark.parametrize(
    "unfair",
    [
        ONE_MEMBER_ALONE,
        {"party_weights": {"committee": 0.6, "third_party": 0.4}},  # no subdistrict
        {"party_weights": {"committee": 0.4, "subdistrict": 0.3, "third_party": 0.3}},  # committee < half
        {"party_weights": {"committee": 0.5, "subdistrict": 0.5}},  # no third voice
        {"period_start": "2026-04-01"},  # opened before the period began
        {"completed_at": "2026-12-31T08:00:00+00:00"},  # closed on the period's last day
        {"closed_via": "single_manager", "closers": 1},
        {"closed_via": "four_eyes", "closers": 1},
        {"party_weights": None, "closed_via": None},  # an event from before the rule
    ],
)
def test_an_unfair_round_moves_no_money(story, unfair):
    story.setup("committee_budget")
    contract = story.active_contract()
    before = _milestone(story, contract["id"])[1]
    outbox = story.harness.count("outbox")
    assert _process(story, evaluation_event(contract["id"], "excellent", 100.0, **unfair)) == 1
    after = _milestone(story, contract["id"])[1]
    assert (after["status"], after["payable_fen"], after["grade"]) == (before["status"], 0, None)
    assert story.harness.count("outbox") == outbox


def test_a_committee_resolution_closes_fairly(story):
    story.setup("committee_budget")
    contract = story.active_contract()
    event = evaluation_event(contract["id"], "good", 85.0, closed_via="committee_resolution", closers=1)
    assert _process(story, event) == 1
    assert _milestone(story, contract["id"])[1]["payable_fen"] == 300_000_00
