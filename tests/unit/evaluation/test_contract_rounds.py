"""A round that decides a contract's money must be fair: the right parties, a period that has
begun when it opens and ended when it closes, and two managers or a committee resolution
to close it (issue 15, High #3: one committee member alone released a withheld payment)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from services.chassis import clock as chassis_clock
from tests.support.helpers import assert_problem
from tests.unit.evaluation.conftest import close_round, create_scheme, open_round
from tests.unit.evaluation.samples import two_indicator_definition
from tests.unit.evaluation.test_api_rounds import fill_all

CONTRACT = str(uuid.uuid4())


@pytest.fixture
def moved():
    moved = chassis_clock.ManualClock(datetime(2026, 6, 1, 2, 0, tzinfo=UTC))
    with chassis_clock.use(moved):
        yield moved


def committee_only():
    definition = two_indicator_definition()
    definition["parties"] = [{"party": "committee", "weight": "1"}]
    return definition


def test_a_committee_only_scheme_cannot_open_a_contract_round(evaluation, people, moved):
    scheme = create_scheme(evaluation.client, people["committee"], committee_only(), contract_id=CONTRACT)
    response = evaluation.client.post(
        "/rounds", json={"scheme_id": scheme["id"]}, headers=people["committee"]
    )
    assert_problem(response, 422, type_suffix="unfair-contract-evaluation", field="scheme_id")
    assert evaluation.count("rounds") == 0


def test_a_contract_round_covers_a_period_that_has_begun(evaluation, people, moved):
    scheme = create_scheme(evaluation.client, people["committee"], contract_id=CONTRACT)
    response = evaluation.client.post(
        "/rounds",
        json={"scheme_id": scheme["id"], "period_start": "2026-07-01", "period_end": "2026-09-30"},
        headers=people["committee"],
    )
    assert_problem(response, 422, type_suffix="period-not-begun", field="period_start")


def test_one_member_alone_cannot_close_a_contract_round(evaluation, people, moved):
    scheme = create_scheme(evaluation.client, people["committee"], contract_id=CONTRACT)
    opened = open_round(
        evaluation.client,
        people["committee"],
        scheme["id"],
        period_start="2026-01-01",
        period_end="2026-06-30",
    )
    fill_all(evaluation.client, people, opened["id"])
    url = f"/rounds/{opened['id']}"
    assert_problem(
        close_round(evaluation.client, people["committee"], opened["id"]), 409, type_suffix="period-not-ended"
    )
    moved.advance(timedelta(days=30))  # 2026-07-01: the period has ended
    alone = close_round(evaluation.client, people["committee"], opened["id"])
    assert_problem(alone, 409, type_suffix="second-manager-needed")
    assert evaluation.client.post(f"{url}/propose-close", headers=people["committee"]).status_code == 200
    again = close_round(evaluation.client, people["committee"], opened["id"])
    assert_problem(again, 409, type_suffix="separation-of-duties")
    assert "evaluation.round.completed.v1" not in evaluation.outbox_types()
    closed = close_round(evaluation.client, people["subdistrict"], opened["id"])
    assert closed.status_code == 200, closed.get_json()
    completed = evaluation.outbox()[-1]["data"]
    assert (completed["closed_via"], completed["closers"]) == ("four_eyes", 2)
    assert completed["party_weights"] == {"committee": 0.5, "subdistrict": 0.3, "third_party": 0.2}
    assert (completed["period_start"], completed["period_end"]) == ("2026-01-01", "2026-06-30")


def test_a_committee_resolution_closes_a_contract_round(evaluation, people, moved):
    scheme = create_scheme(evaluation.client, people["committee"], contract_id=CONTRACT)
    opened = open_round(
        evaluation.client,
        people["committee"],
        scheme["id"],
        period_start="2026-01-01",
        period_end="2026-05-31",
    )
    fill_all(evaluation.client, people, opened["id"])
    resolution = {"resolution": "2026-07号决议"}
    by_officer = close_round(evaluation.client, people["subdistrict"], opened["id"], resolution)
    assert_problem(by_officer, 403)
    closed = close_round(evaluation.client, people["committee"], opened["id"], resolution)
    assert closed.status_code == 200, closed.get_json()
    assert evaluation.outbox()[-1]["data"]["closed_via"] == "committee_resolution"
