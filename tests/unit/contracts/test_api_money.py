"""Money through the committee: both funding modes, the autonomy fund, limits, idempotency."""

from tests.support.helpers import assert_problem
from tests.unit.contracts.story import key


def _balances(story):
    accounts = story.ok(story.client.get("/accounts?community=huaguoshan", headers=story.member))
    return {a["kind"]: a["balance_fen"] for a in accounts}


def test_pass_through_money_flows_subdistrict_committee_provider(story):
    story.setup("pass_through")
    contract = story.active_contract()
    story.ok(story.allocate(contract, 300_000_00), 201)
    assert _balances(story)["committee"] == 300_000_00
    story.ok(story.pay(contract, 1, 200_000_00), 201)
    story.ok(story.pay(contract, 1, 100_000_00), 201)
    assert _balances(story)["committee"] == 0
    # beyond the milestone
    story.ok(story.allocate(contract, 100_000_00), 201)
    assert_problem(story.pay(contract, 1, 1), 409, type_suffix="illegal-transition")
    # the scheduled milestone (2026-07-01) is due only if today is past it
    response = story.pay(contract, 3, 1)
    assert_problem(response, 409, type_suffix="illegal-transition")
    # beyond the contract: cannot allocate more than the value
    assert_problem(story.allocate(contract, 600_000_01), 409, type_suffix="over-payment")
    budget = story.ok(story.client.get(f"/budgets/{story.ids['budget']['id']}", headers=story.member))
    services = next(line for line in budget["lines"] if line["line"] == "services")
    assert (services["allocated_fen"], services["paid_fen"], services["committed_fen"]) == (
        400_000_00,
        300_000_00,
        1_000_000_00,
    )


def test_pass_through_budget_allocation_goes_per_contract(story):
    story.setup("pass_through")
    response = story.allocate_budget("services", 100)
    assert_problem(response, 409)
    assert story.harness.count("ledger_entries") == 0


def test_committee_budget_the_committee_buys_and_pays_from_its_quota(story):
    story.setup("committee_budget", services_fen=2_000_000_00)
    contract = story.active_contract()
    assert contract["buyer"] == "committee"
    assert_problem(story.allocate(contract, 100), 409)
    assert_problem(story.pay(contract, 1, 100), 409, type_suffix="insufficient-funds")
    story.ok(story.allocate_budget("services", 2_000_000_00), 201)
    assert_problem(story.allocate_budget("services", 1), 409, type_suffix="budget-exceeded")
    story.ok(story.pay(contract, 1, 300_000_00), 201)
    assert _balances(story)["committee"] == 1_700_000_00
    allocated = [e["data"] for e in story.harness.outbox() if e["type"] == "contracts.funds.allocated.v1"]
    assert allocated[0]["contract_id"] is None and allocated[0]["funding_line"] == "services"


def test_autonomy_fund_is_a_separate_line_and_account(story):
    story.setup("pass_through", autonomy_fen=200_000_00)
    contract = story.active_contract(amount_fen=150_000_00, estimated_fen=150_000_00, line="autonomy_fund")
    assert contract["buyer"] == "committee" and contract["funding_line"] == "autonomy_fund"
    story.ok(story.allocate_budget("autonomy_fund", 200_000_00), 201)
    story.ok(story.pay(contract, 1, 45_000_00), 201)
    balances = _balances(story)
    assert balances == {"committee": 0, "autonomy_fund": 155_000_00}


def test_contract_beyond_the_budget_cannot_activate(story):
    story.setup("pass_through", services_fen=1_000_000_00)
    first = story.contract(amount_fen=600_000_00, estimated_fen=600_000_00)
    second = story.contract(amount_fen=600_000_00, estimated_fen=600_000_00)
    for party in ("provider", "committee", "subdistrict"):
        story.ok(story.sign(first["id"], party))
    story.ok(story.sign(second["id"], "provider"))
    story.ok(story.sign(second["id"], "committee"))
    assert_problem(story.sign(second["id"], "subdistrict"), 409, type_suffix="budget-exceeded")
    assert (
        story.ok(story.client.get(f"/contracts/{second['id']}", headers=story.officer))["status"] == "signing"
    )
    # a third purchase is refused at the award already
    tender = story.tender(estimated_fen=400_000_00)
    assert tender["status"] == "draft"
    assert_problem(
        story.client.post(
            "/tenders",
            json={
                "community": "huaguoshan",
                "fiscal_year": 2026,
                "title": "more",
                "method": "single_source",
                "single_source_reason": "only one",
                "invited_provider_ids": [story.ids["provider"]["id"]],
                "package_codes": ["grid_inspection"],
                "estimated_value_fen": 400_000_01,
            },
            headers=story.officer,
        ),
        409,
        type_suffix="budget-exceeded",
    )


def test_money_moving_posts_need_an_idempotency_key(story):
    story.setup()
    contract = story.active_contract()
    response = story.client.post(
        f"/contracts/{contract['id']}/allocations", json={"amount_fen": 100}, headers=story.officer
    )
    assert_problem(response, 400, type_suffix="idempotency-key-missing")
    milestone = contract["milestones"][0]["id"]
    response = story.client.post(
        f"/contracts/{contract['id']}/milestones/{milestone}/payments",
        json={"amount_fen": 100},
        headers=story.member,
    )
    assert_problem(response, 400, type_suffix="idempotency-key-missing")
    assert story.harness.count("ledger_entries") == 0


def test_replayed_payment_is_the_same_payment(story):
    story.setup()
    contract = story.active_contract()
    story.ok(story.allocate(contract, 300_000_00), 201)
    same = key()
    first = story.pay(contract, 1, 100_00, idempotency=same)
    again = story.pay(contract, 1, 100_00, idempotency=same)
    assert first.get_json() == again.get_json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert story.harness.count("payments") == 1
    assert_problem(
        story.pay(contract, 1, 200_00, idempotency=same), 422, type_suffix="idempotency-key-reused"
    )


def test_bad_payment_input_is_precise(story):
    story.setup()
    contract = story.active_contract()
    story.ok(story.allocate(contract, 300_000_00), 201)
    for amount in (0, -5, 12.5, "100"):
        body = assert_problem(story.pay(contract, 1, amount), 422, field="amount_fen")
        assert body["errors"]["amount_fen"]
    wrong = story.client.post(
        f"/contracts/{contract['id']}/milestones/00000000-0000-4000-8000-000000000000/payments",
        json={"amount_fen": 1},
        headers={**story.member, **key()},
    )
    assert_problem(wrong, 404)
    assert story.harness.count("payments") == 0


def test_ledger_balances_and_entries_are_public_to_residents(story):
    story.setup()
    contract = story.active_contract()
    story.ok(story.allocate(contract, 300_000_00), 201)
    story.ok(story.pay(contract, 1, 300_000_00), 201)
    accounts = story.ok(story.client.get("/accounts?community=huaguoshan", headers=story.resident))
    committee = next(a for a in accounts if a["kind"] == "committee")
    entries = story.ok(story.client.get(f"/accounts/{committee['id']}/entries", headers=story.resident))
    assert [(e["kind"], e["amount_fen"]) for e in entries] == [
        ("payment", 300_000_00),
        ("allocation", 300_000_00),
    ]
    payments = story.ok(story.client.get("/payments?community=huaguoshan", headers=story.resident))
    assert payments[0]["paid_by_name"] is None and payments[0]["amount_fen"] == 300_000_00
    with story.harness.runtime.database.engine.connect() as connection:
        from sqlalchemy import text

        total = connection.execute(text("SELECT SUM(balance_fen) FROM accounts")).scalar()
        assert total == 0  # double entry: every fen is somewhere
