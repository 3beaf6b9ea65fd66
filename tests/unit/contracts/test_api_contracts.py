"""Three-party contracts through the API: signatures, ETags, amendments, termination."""

from tests.support.helpers import assert_problem, bearer
from tests.unit.contracts.story import MILESTONES


def test_two_signatures_leave_it_pending_and_the_third_activates(story):
    story.setup()
    contract = story.contract()
    cid = contract["id"]
    assert contract["status"] == "draft"
    first = story.ok(story.sign(cid, "provider"))
    second = story.ok(story.sign(cid, "committee"))
    assert first["status"] == second["status"] == "signing"
    assert second["parties_signed"] == ["committee", "provider"]
    assert "contracts.contract.activated.v1" not in story.harness.outbox_types()
    third = story.ok(story.sign(cid, "subdistrict"))
    assert third["status"] == "active" and third["activated_at"]
    events = story.harness.outbox()
    signed = [e["data"] for e in events if e["type"] == "contracts.contract.signed.v1"]
    assert [(s["party"], s["parties_signed"]) for s in signed] == [
        ("provider", 1),
        ("committee", 2),
        ("subdistrict", 3),
    ]
    activated = next(e["data"] for e in events if e["type"] == "contracts.contract.activated.v1")
    assert activated == {
        "contract_id": cid,
        "provider_id": story.ids["provider"]["id"],
        "value_fen": 1_000_000_00,
        "period_start": "2026-01-01",
        "period_end": "2026-12-31",
        "package_codes": ["grid_inspection"],
        "activated_at": activated["activated_at"],
    }
    due = [e["data"] for e in events if e["type"] == "contracts.milestone.due.v1"]
    assert [d["amount_fen"] for d in due] == [300_000_00]  # the signing milestone


def test_same_party_twice_is_409_and_nothing_changes(story):
    story.setup()
    cid = story.contract()["id"]
    story.ok(story.sign(cid, "committee"))
    before = story.harness.count("signatures")
    body = assert_problem(
        story.sign(cid, "committee", bearer(story.token("committee_member"))),
        409,
        type_suffix="already-signed",
    )
    assert "already signed" in body["detail"]
    assert story.harness.count("signatures") == before


def test_each_party_signs_only_with_its_own_role(story):
    story.setup()
    cid = story.contract()["id"]
    assert_problem(story.sign(cid, "subdistrict", story.member), 403)
    assert_problem(story.sign(cid, "committee", story.officer), 403)
    assert_problem(story.sign(cid, "committee", bearer(story.token("admin"))), 403)
    other = story.signatory("00000000-0000-4000-8000-000000000000")
    assert_problem(story.sign(cid, "provider", other), 403)
    assert story.harness.count("signatures") == 0


def test_if_match_is_required_and_must_be_fresh(story):
    story.setup()
    cid = story.contract()["id"]
    response = story.client.post(
        f"/contracts/{cid}/signatures", json={"party": "committee"}, headers=story.member
    )
    assert_problem(response, 428)
    stale = story.etag(cid)
    story.ok(story.sign(cid, "provider"))
    response = story.client.post(
        f"/contracts/{cid}/signatures",
        json={"party": "committee"},
        headers={**story.member, "If-Match": stale},
    )
    assert_problem(response, 412)
    assert story.harness.count("signatures") == 1


def test_a_signature_names_the_revision_it_signs_not_any(story):
    story.setup()
    cid = story.contract()["id"]
    response = story.client.post(
        f"/contracts/{cid}/signatures", json={"party": "committee"}, headers={**story.member, "If-Match": "*"}
    )
    body = assert_problem(response, 412)
    assert "`*` is not accepted" in body["detail"]
    assert story.harness.count("signatures") == 0
    edited = story.client.patch(
        f"/contracts/{cid}", json={"title": "改名"}, headers={**story.officer, "If-Match": "*"}
    )
    assert story.ok(edited)["title"] == "改名"


def test_draft_can_be_edited_until_someone_signs(story):
    story.setup()
    cid = story.contract()["id"]
    edited = story.conditional(
        "patch",
        cid,
        "",
        {
            "milestones": [
                {"name": "全部", "kind": "scheduled", "due_date": "2026-06-30", "share_bp": 10000}
            ],
            "reason": "single payment",
        },
        story.officer,
    )
    assert [m["amount_fen"] for m in story.ok(edited)["milestones"]] == [1_000_000_00]
    body = assert_problem(
        story.conditional(
            "patch",
            cid,
            "",
            {"milestones": [{"name": "a1", "kind": "scheduled", "due_date": "2026-06-30", "share_bp": 5000}]},
            story.officer,
        ),
        422,
        field="milestones",
    )
    assert "10000" in body["errors"]["milestones"][0]
    story.ok(story.sign(cid, "provider"))
    assert_problem(story.conditional("patch", cid, "", {"title": "new title"}, story.officer), 409)


def test_contract_needs_an_approved_award_and_sound_milestones(story):
    story.setup()
    tender = story.tender()
    response = story.post_contract(tender["id"], MILESTONES, story.officer)
    assert_problem(response, 409, type_suffix="illegal-transition")
    tender = story.through_award()
    bad = [{"name": "late", "kind": "scheduled", "due_date": "2027-06-01", "share_bp": 10000}]
    response = story.post_contract(tender["id"], bad, story.officer)
    assert_problem(response, 422, field="milestones.0")
    assert story.harness.count("contracts") == 0


def test_amendment_is_signed_again_by_all_three(story):
    story.setup()
    contract = story.active_contract()
    cid = contract["id"]
    response = story.conditional(
        "post",
        cid,
        "/amendments",
        {"reason": "增加服务范围", "value_fen": 1_100_000_00, "period_end": "2027-03-31"},
        story.officer,
    )
    amending = story.ok(response)
    assert amending["status"] == "amending" and amending["parties_signed"] == []
    story.ok(story.sign(cid, "committee"))
    story.ok(story.sign(cid, "provider"))
    assert_problem(story.sign(cid, "provider"), 409, type_suffix="already-signed")
    applied = story.ok(story.sign(cid, "subdistrict"))
    assert applied["status"] == "active" and applied["revision"] == 1
    assert applied["value_fen"] == 1_100_000_00 and applied["period_end"] == "2027-03-31"
    assert [m["amount_fen"] for m in applied["milestones"]] == [300_000_00, 400_000_00, 400_000_00]
    assert sum(m["amount_fen"] for m in applied["milestones"]) == applied["value_fen"]
    history = story.ok(story.client.get(f"/contracts/{cid}/history", headers=story.resident))
    assert "apply_amendment" in [h["action"] for h in history]
    assert all(h["actor_name"] is None for h in history)


def test_amendment_withdrawal_and_illegal_amendments(story):
    story.setup()
    cid = story.active_contract()["id"]
    assert_problem(story.conditional("post", cid, "/amendments", {"reason": "nothing"}, story.officer), 422)
    story.ok(
        story.conditional(
            "post", cid, "/amendments", {"reason": "延期", "period_end": "2027-01-31"}, story.member
        )
    )
    assert_problem(
        story.conditional(
            "post", cid, "/amendments", {"reason": "another", "period_end": "2027-02-28"}, story.member
        ),
        409,
    )
    back = story.ok(
        story.conditional("post", cid, "/amendments/withdrawal", {"reason": "服务机构不同意"}, story.member)
    )
    assert back["status"] == "active" and back["period_end"] == "2026-12-31"
    assert back["amendments"][0]["status"] == "withdrawn"


def test_termination_cancels_open_milestones_and_returns_unspent_money(story):
    story.setup()
    contract = story.active_contract()
    cid = contract["id"]
    story.ok(story.allocate(contract, 1_000_000_00), 201)
    story.ok(story.pay(contract, 1, 300_000_00), 201)
    terminated = story.ok(
        story.conditional("post", cid, "/termination", {"reason": "服务质量严重不达标"}, story.member)
    )
    assert terminated["status"] == "terminated"
    assert [m["status"] for m in terminated["milestones"]] == ["paid", "cancelled", "cancelled"]
    assert terminated["allocated_fen"] == 300_000_00
    accounts = story.ok(story.client.get("/accounts?community=huaguoshan", headers=story.resident))
    committee = next(a for a in accounts if a["kind"] == "committee")
    assert committee["balance_fen"] == 0
    event = next(e for e in story.harness.outbox() if e["type"] == "contracts.contract.terminated.v1")
    assert event["data"]["terminated_by"] == "committee" and event["data"]["paid_fen"] == 300_000_00
    assert_problem(story.conditional("post", cid, "/termination", {"reason": "again"}, story.member), 409)


def test_residents_read_their_communitys_contracts_only(story):
    story.setup()
    contract = story.active_contract()
    awarded = story.ok(
        story.client.get("/tenders?community=huaguoshan&status=contracted", headers=story.resident)
    )
    assert awarded[0]["award_value_fen"] == contract["value_fen"]
    assert awarded[0]["awarded_provider_id"] == contract["provider_id"]
    seen = story.ok(story.client.get(f"/contracts/{contract['id']}", headers=story.resident))
    assert all(s["signer_name"] is None for s in seen["signatures"])
    listed = story.ok(story.client.get("/contracts?community=huaguoshan", headers=story.resident))
    assert [c["id"] for c in listed] == [contract["id"]]
    outsider = bearer(story.token("resident", community="chiwan"))
    assert_problem(story.client.get(f"/contracts/{contract['id']}", headers=outsider), 403)
    assert_problem(story.client.get("/contracts?community=huaguoshan", headers=outsider), 403)
    assert story.ok(story.client.get("/contracts", headers=outsider)) == []
    text = story.client.get(f"/contracts/{contract['id']}", headers=story.resident).get_data(as_text=True)
    assert "7559000012345678" not in text and "13800138000" not in text


def test_re_signing_an_amendment_names_the_revision_not_any(story):
    story.setup()
    cid = story.active_contract()["id"]
    story.ok(
        story.conditional(
            "post", cid, "/amendments", {"reason": "延期", "period_end": "2027-01-31"}, story.member
        )
    )
    signatures = story.harness.count("signatures")
    anything = story.client.post(
        f"/contracts/{cid}/signatures", json={"party": "committee"}, headers={**story.member, "If-Match": "*"}
    )
    assert "`*` is not accepted" in assert_problem(anything, 412)["detail"]
    assert story.harness.count("signatures") == signatures
    story.ok(story.conditional("post", cid, "/signatures", {"party": "committee"}, story.member))
    assert story.harness.count("signatures") == signatures + 1
