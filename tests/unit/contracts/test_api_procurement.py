"""Procurement through the API: the committee approves every step; refusals change nothing."""

from tests.support.helpers import assert_problem, bearer
from tests.unit.contracts.story import YEAR, uscc
from tests.unit.contracts.test_domain import HAPPY_TENDER

DEADLINE = "2026-12-01T00:00:00+08:00"


def test_tender_cannot_be_published_before_the_committee_approves(story):
    story.setup()
    tender = story.tender()
    body = assert_problem(
        story.client.post(f"/tenders/{tender['id']}/publication", json={}, headers=story.officer),
        409,
        type_suffix="illegal-transition",
    )
    assert (body["transition"], body["current_status"], body["target_status"]) == (
        "tender.publish",
        "draft",
        "published",
    )
    story.ok(story.client.post(f"/tenders/{tender['id']}/submission", json={}, headers=story.officer))
    assert_problem(
        story.client.post(f"/tenders/{tender['id']}/publication", json={}, headers=story.officer), 409
    )
    assert story.harness.outbox_types() == []


def test_committee_return_sends_back_with_its_reason_recorded(story):
    story.setup()
    tender = story.tender()
    tid = tender["id"]
    story.ok(story.client.post(f"/tenders/{tid}/submission", json={}, headers=story.officer))
    returned = story.ok(
        story.client.post(
            f"/tenders/{tid}/decisions",
            json={"step": "tender", "decision": "return", "reason": "预算过高，请重新估算"},
            headers={**story.member, "If-Match": story.tender_etag(tid)},
        )
    )
    assert returned["status"] == "draft"
    last = returned["steps"][-1]
    assert (last["action"], last["actor_role"], last["reason"]) == (
        "return_tender",
        "committee_member",
        "预算过高，请重新估算",
    )
    assert last["actor_name"] and last["at"]
    seen_by_resident = story.ok(story.client.get(f"/tenders/{tid}", headers=story.resident))
    assert all(step["actor_name"] is None for step in seen_by_resident["steps"])


def test_award_decision_must_match_the_pending_step(story):
    story.setup()
    tender = story.tender()
    tid = tender["id"]
    story.ok(story.client.post(f"/tenders/{tid}/submission", json={}, headers=story.officer))
    body = assert_problem(
        story.client.post(
            f"/tenders/{tid}/decisions",
            json={"step": "award", "decision": "approve", "reason": "x1"},
            headers={**story.member, "If-Match": story.tender_etag(tid)},
        ),
        409,
    )
    assert (body["transition"], body["current_status"], body["target_status"]) == (
        "tender.approve_award",
        "pending_approval",
        "awarded",
    )


def test_committee_buyer_may_not_approve_its_own_tender(story):
    story.setup("committee_budget")
    tender = story.tender()  # drafted by member2
    tid = tender["id"]
    story.ok(story.client.post(f"/tenders/{tid}/submission", json={}, headers=story.member2))
    story.resolve(tid, "tender")
    assert_problem(
        story.client.post(
            f"/tenders/{tid}/decisions",
            json={"step": "tender", "decision": "approve", "reason": "ok"},
            headers={**story.member2, "If-Match": story.tender_etag(tid)},
        ),
        403,
        type_suffix="separation-of-duties",
    )
    story.ok(
        story.client.post(
            f"/tenders/{tid}/decisions",
            json={"step": "tender", "decision": "approve", "reason": "ok"},
            headers={**story.member, "If-Match": story.tender_etag(tid)},
        )
    )


def test_full_procurement_records_who_when_why_at_every_step(story):
    story.setup()
    tender = story.through_award()
    full = story.ok(story.client.get(f"/tenders/{tender['id']}", headers=story.officer))
    assert full["status"] == "awarded"
    # created, then the tender machine's happy path up to its last step, the contract
    assert [s["action"] for s in full["steps"]] == ["create", *HAPPY_TENDER[:-1]]
    assert HAPPY_TENDER[-1] == "contract"
    roles = {s["action"]: s["actor_role"] for s in full["steps"]}
    assert roles["approve_tender"] == roles["approve_award"] == "committee_member"
    types = story.harness.outbox_types()
    assert types == ["contracts.tender.published.v1", "contracts.bid.submitted.v1", "contracts.award.made.v1"]


def test_committee_can_cancel_a_published_purchase(story):
    story.setup()
    tender = story.through_award()
    cancelled = story.ok(
        story.client.post(
            f"/tenders/{tender['id']}/cancellation", json={"reason": "居民议事会否决"}, headers=story.member
        )
    )
    assert cancelled["status"] == "cancelled"
    assert_problem(
        story.client.post(
            f"/tenders/{tender['id']}/cancellation", json={"reason": "again"}, headers=story.member
        ),
        409,
    )


def test_bids_are_checked(story):
    story.setup()
    other = story.ok(
        story.client.post(
            "/providers",
            json={"name": "未受邀机构", "uscc": uscc(77), "kind": "social_service_agency"},
            headers=story.officer,
        ),
        201,
    )
    tender = story.tender()
    tid = tender["id"]
    provider_id = story.ids["provider"]["id"]

    def bid(provider, amount_fen, signatory=None):
        return story.client.post(
            f"/tenders/{tid}/bids",
            json={"provider_id": provider, "amount_fen": amount_fen},
            headers=story.signatory(signatory or provider),
        )

    # not published yet
    assert_problem(bid(provider_id, 100), 409)
    story.ok(story.client.post(f"/tenders/{tid}/submission", json={}, headers=story.officer))
    story.resolve(tid, "tender")
    story.ok(
        story.client.post(
            f"/tenders/{tid}/decisions",
            json={"step": "tender", "decision": "approve", "reason": "ok"},
            headers={**story.member, "If-Match": story.tender_etag(tid)},
        )
    )
    story.ok(story.client.post(f"/tenders/{tid}/publication", json={}, headers=story.officer))
    # single source: another provider is not invited
    assert_problem(bid(other["id"], 100), 403)
    # a signatory bids only for its own provider
    assert_problem(bid(provider_id, 100, signatory=other["id"]), 403)
    body = assert_problem(bid(provider_id, 10.5), 422)
    assert "amount_fen" in body["errors"]
    story.ok(bid(provider_id, 100), 201)
    assert_problem(bid(provider_id, 90), 409, type_suffix="duplicate-bid")
    # sealed until closing, even for the buyer
    assert story.ok(story.client.get(f"/tenders/{tid}/bids", headers=story.officer)) == []
    assert_problem(story.client.get(f"/tenders/{tid}/bids", headers=story.resident), 403)


def _post_tender(story, **fields):
    """POST /tenders as the officer: an open tender "x1" of huaguoshan's year, with `fields`."""
    body = {"community": "huaguoshan", "fiscal_year": YEAR, "title": "x1", "method": "open", **fields}
    return story.client.post("/tenders", json=body, headers=story.officer)


def test_tender_beyond_the_budget_is_refused(story):
    story.setup(services_fen=500_000_00)
    response = _post_tender(
        story,
        title="Too big",
        package_codes=["grid_inspection"],
        estimated_value_fen=500_000_01,
        bid_deadline=DEADLINE,
    )
    assert_problem(response, 409, type_suffix="budget-exceeded")
    assert story.harness.count("tenders") == 0


def test_tender_input_errors_are_precise(story):
    story.setup()
    response = _post_tender(
        story, method="single_source", package_codes=["no_such_package"], estimated_value_fen=100
    )
    body = assert_problem(response, 422, field="single_source_reason")
    assert "invited_provider_ids" in body["errors"]
    response = _post_tender(
        story, package_codes=["no_such_package"], estimated_value_fen=100, bid_deadline=DEADLINE
    )
    assert_problem(response, 422, field="package_codes")
    response = _post_tender(story, community="nowhere", package_codes=["a1"], estimated_value_fen=0)
    body = assert_problem(response, 422, field="community")
    assert "estimated_value_fen" in body["errors"]
    assert story.harness.count("tenders") == 0


def test_provider_register_validates_the_credit_code(story):
    officer = story.officer
    response = story.client.post(
        "/providers",
        json={"name": "坏代码", "uscc": "91350100M000100Y44", "kind": "social_service_agency"},
        headers=officer,
    )
    body = assert_problem(response, 422, field="uscc")
    assert "check character" in body["errors"]["uscc"][0]
    ok = story.ok(
        story.client.post(
            "/providers",
            json={
                "name": "好代码",
                "uscc": " 91350100m000100y43",
                "kind": "social_service_agency",
                "bank_account": "6225880012345678",
                "contact_name": "李四",
                "contact_phone": "13912345678",
            },
            headers=officer,
        ),
        201,
    )
    assert ok["uscc"] == "91350100M000100Y43"
    assert_problem(
        story.client.post(
            "/providers",
            json={"name": "重复", "uscc": "91350100M000100Y43", "kind": "social_service_agency"},
            headers=officer,
        ),
        409,
        type_suffix="duplicate-provider",
    )
    assert story.harness.count("providers") == 1
    seen = story.ok(story.client.get(f"/providers/{ok['id']}", headers=story.member))
    assert seen["bank_account"] == "************5678"
    assert seen["contact_phone"] == "139******78" and seen["contact_name"] == "李*"
    assert seen["private_visible"] is False
    own = story.ok(story.client.get(f"/providers/{ok['id']}", headers=story.signatory(ok["id"])))
    assert own["bank_account"] == "6225880012345678"


def test_provider_status_history(story):
    story.setup()
    pid = story.ids["provider"]["id"]
    suspended = story.ok(
        story.client.post(
            f"/providers/{pid}/status",
            json={"status": "suspended", "reason": "年检未通过"},
            headers=story.officer,
        )
    )
    assert suspended["status"] == "suspended" and suspended["history"][0]["reason"] == "年检未通过"
    assert_problem(
        story.client.post(
            f"/providers/{pid}/status", json={"status": "suspended", "reason": "again"}, headers=story.officer
        ),
        409,
    )
    assert_problem(
        story.client.post(
            f"/providers/{pid}/status",
            json={"status": "barred", "reason": "x1"},
            headers=bearer(story.token("committee_member")),
        ),
        403,
    )


def test_a_committee_decision_names_the_revision_it_decides_on(story):
    story.setup()
    tid = story.tender()["id"]
    story.ok(story.client.post(f"/tenders/{tid}/submission", json={}, headers=story.officer))
    story.resolve(tid, "tender")
    read = story.tender_etag(tid)
    approve = {"step": "tender", "decision": "approve", "reason": "ok"}
    url = f"/tenders/{tid}/decisions"
    assert_problem(story.client.post(url, json=approve, headers=story.member), 428)
    anything = assert_problem(
        story.client.post(url, json=approve, headers={**story.member, "If-Match": "*"}), 412
    )
    assert "`*` is not accepted" in anything["detail"]
    returned = story.client.post(
        url, json={**approve, "decision": "return"}, headers={**story.member2, "If-Match": read}
    )
    story.ok(returned)
    story.ok(story.client.post(f"/tenders/{tid}/submission", json={}, headers=story.officer))
    story.resolve(tid, "tender")
    stale = story.client.post(url, json=approve, headers={**story.member, "If-Match": read})
    assert "changed since you read it" in assert_problem(stale, 412)["detail"]
    assert (
        story.client.get(f"/tenders/{tid}", headers=story.officer).get_json()["status"] == "pending_approval"
    )
    story.ok(
        story.client.post(url, json=approve, headers={**story.member, "If-Match": story.tender_etag(tid)})
    )
