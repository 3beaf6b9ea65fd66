"""A purchase through the API on SQLite: every step, the committee's part in each."""

from tests.support.helpers import assert_problem


def test_pass_through_story_to_active_contract_and_payment(story):
    story.setup("pass_through")
    contract = story.active_contract()
    assert contract["status"] == "active"
    assert [m["amount_fen"] for m in contract["milestones"]] == [300_000_00, 400_000_00, 300_000_00]
    assert contract["milestones"][0]["status"] == "payable"
    # nothing allocated yet: the committee cannot pay
    assert_problem(story.pay(contract, 1, 100_000_00), 409, type_suffix="insufficient-funds")
    story.ok(story.allocate(contract, 300_000_00), 201)
    payment = story.ok(story.pay(contract, 1, 300_000_00), 201)
    assert payment["number"].startswith("ZF-")
    types = story.harness.outbox_types()
    assert "contracts.contract.activated.v1" in types
    assert "contracts.payment.made.v1" in types
    assert types.count("contracts.contract.signed.v1") == 3
