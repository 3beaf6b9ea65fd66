"""The committee approves for the committee only on a passed resolution (governance's events)."""

from __future__ import annotations

import itertools

import pytest

from services.contracts.usecases.committee import ResolutionNotYetRecorded
from tests.support.helpers import assert_problem
from tests.unit.contracts.story import Story, deliver, resolution_events


def _approve(story: Story, tid: str, step: str):
    body = {"step": step, "decision": "approve", "reason": "居委会会议表决通过"}
    read = story.tender_etag(tid)
    return story.client.post(
        f"/tenders/{tid}/decisions", json=body, headers={**story.member, "If-Match": read}
    )


def _submitted(story: Story) -> str:
    tid = story.tender()["id"]
    story.ok(story.client.post(f"/tenders/{tid}/submission", json={}, headers=story.officer))
    return tid


def _award_proposed(story: Story) -> str:
    tid = _submitted(story)
    story.resolve(tid, "tender")
    story.ok(_approve(story, tid, "tender"))
    story.ok(story.client.post(f"/tenders/{tid}/publication", json={}, headers=story.officer))
    pid = story.ids["provider"]["id"]
    bid = story.ok(
        story.client.post(
            f"/tenders/{tid}/bids",
            json={"provider_id": pid, "amount_fen": 900_000_00},
            headers=story.signatory(pid),
        ),
        201,
    )
    story.ok(story.client.post(f"/tenders/{tid}/closing", json={}, headers=story.officer))
    story.ok(
        story.client.post(
            f"/tenders/{tid}/award", json={"bid_id": bid["id"], "reason": "ok"}, headers=story.officer
        )
    )
    return tid


def _tender(story: Story, tid: str) -> dict:
    return story.ok(story.client.get(f"/tenders/{tid}", headers=story.officer))


def test_a_tender_is_approved_only_on_a_passed_resolution(story):
    story.setup()
    tid = _submitted(story)
    before = _tender(story, tid)

    body = assert_problem(_approve(story, tid, "tender"), 409, type_suffix="resolution-required")

    assert body["step"] == "tender" and "CG-" in body["detail"]
    assert _tender(story, tid) == before
    resolution_id = story.resolve(tid, "tender")
    approved = story.ok(_approve(story, tid, "tender"))
    assert approved["status"] == "approved"
    assert resolution_id in approved["steps"][-1]["reason"]


# every combination of what governance may have told contracts about one tender's award
DELIVERIES = list(itertools.product((False, True), repeat=3))


@pytest.mark.parametrize(("tender_resolution", "award_resolution", "notice_concluded"), DELIVERIES)
def test_an_award_is_approved_exactly_when_its_resolution_passed_and_its_notice_concluded(
    story, tender_resolution, award_resolution, notice_concluded
):
    story.setup()
    tid = _award_proposed(story)
    other = _submitted(story)
    if tender_resolution:  # a resolution on another step, or on another tender, approves nothing
        story.resolve(tid, "tender")
        story.resolve(other, "award")
    passed, notice = resolution_events(tid, "award")
    if award_resolution:
        deliver(story.runtime, passed)
    if notice_concluded and award_resolution:
        deliver(story.runtime, notice)

    response = _approve(story, tid, "award")

    if award_resolution and notice_concluded:
        assert story.ok(response)["status"] == "awarded"
    elif award_resolution:
        body = assert_problem(response, 409, type_suffix="notice-pending")
        assert body["resolution_id"] == passed["data"]["resolution_id"]
    else:
        assert_problem(response, 409, type_suffix="resolution-required")
    releases = story.ok(story.client.get("/ocds/releases?community=huaguoshan&page_size=100"))["releases"]
    awarded = [r for r in releases if "award" in r["tag"]]
    assert len(awarded) == (1 if award_resolution and notice_concluded else 0)


def test_a_notice_before_its_resolution_is_retried_and_each_event_counts_once(story):
    story.setup()
    tid = _award_proposed(story)
    passed, notice = resolution_events(tid, "award")

    with pytest.raises(ResolutionNotYetRecorded):
        deliver(story.runtime, notice)
    assert deliver(story.runtime, passed) == 1
    assert deliver(story.runtime, passed) == 0  # the inbox: same event id
    assert deliver(story.runtime, notice) == 1

    assert story.ok(_approve(story, tid, "award"))["status"] == "awarded"


def test_a_resolution_on_an_unknown_tender_is_ignored(story):
    story.setup()
    passed, _ = resolution_events("00000000-0000-4000-8000-000000000000", "tender")
    assert deliver(story.runtime, passed) == 1
    with story.runtime.unit_of_work() as uow:
        from services.contracts.models import CommitteeResolution

        assert uow.session.query(CommitteeResolution).count() == 0


def test_a_community_may_keep_the_single_member_rule_only_by_its_setting(service, token):
    harness = service("contracts", single_member_communities=("huaguoshan",))
    story = Story(harness.client, token, runtime=harness.runtime)
    story.setup()
    tid = _submitted(story)

    assert story.ok(_approve(story, tid, "tender"))["status"] == "approved"


def test_a_returned_and_re_proposed_award_needs_a_new_resolution(story):
    story.setup()
    tid = _award_proposed(story)
    story.resolve(tid, "award")
    returned = {"step": "award", "decision": "return", "reason": "请重新评审"}
    story.ok(
        story.client.post(
            f"/tenders/{tid}/decisions",
            json=returned,
            headers={**story.member, "If-Match": story.tender_etag(tid)},
        )
    )
    bid = story.ok(story.client.get(f"/tenders/{tid}/bids", headers=story.officer))[0]
    story.ok(
        story.client.post(
            f"/tenders/{tid}/award", json={"bid_id": bid["id"], "reason": "复评"}, headers=story.officer
        )
    )

    assert_problem(_approve(story, tid, "award"), 409, type_suffix="resolution-required")
    story.resolve(tid, "award")
    assert story.ok(_approve(story, tid, "award"))["status"] == "awarded"
