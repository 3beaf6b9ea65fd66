"""Money invariants on PostgreSQL with real threads: no overdraft, one payment per key."""

import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from tests.support.helpers import run_together
from tests.unit.contracts.story import key

pytestmark = pytest.mark.postgres
UNIT = 100_00  # 100 yuan per payment
ONE_MILESTONE = [{"name": "签约全额", "kind": "signing", "share_bp": 10000}]


def _committee_balance(harness):
    with harness.runtime.database.engine.connect() as connection:
        return connection.execute(
            text("SELECT balance_fen FROM accounts WHERE code = 'committee:huaguoshan'")
        ).scalar_one()


def test_twenty_concurrent_payments_against_funds_for_seven(pg_story):
    story = pg_story
    story.setup("committee_budget", services_fen=100_000_00)
    contracts = [
        story.active_contract(amount_fen=5 * UNIT, estimated_fen=5 * UNIT, milestones=ONE_MILESTONE)
        for _ in range(4)
    ]
    story.ok(
        story.client.post(
            f"/budgets/{story.ids['budget']['id']}/allocations",
            json={"funding_line": "services", "amount_fen": 7 * UNIT},
            headers={**story.officer, **key()},
        ),
        201,
    )
    app = story.harness.app

    def pay(contract):
        milestone = contract["milestones"][0]["id"]
        return lambda: app.test_client().post(
            f"/contracts/{contract['id']}/milestones/{milestone}/payments",
            json={"amount_fen": UNIT},
            headers={**story.member, **key()},
        )

    responses = run_together([pay(contracts[i % 4]) for i in range(20)])
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] * 7 + [409] * 13
    refused = [r.get_json() for r in responses if r.status_code == 409]
    assert all(body["type"].endswith("insufficient-funds") for body in refused), refused
    assert _committee_balance(story.harness) == 0
    with story.harness.runtime.database.engine.connect() as connection:
        assert connection.execute(text("SELECT COUNT(*) FROM payments")).scalar() == 7
        assert connection.execute(text("SELECT SUM(balance_fen) FROM accounts")).scalar() == 0
        line = connection.execute(
            text("SELECT allocated_fen, paid_fen FROM budget_lines WHERE line = 'services'")
        ).one()
        assert tuple(line) == (7 * UNIT, 7 * UNIT)
    assert story.harness.outbox_types().count("contracts.payment.made.v1") == 7


def test_same_idempotency_key_ten_times_concurrently_is_one_payment(pg_story):
    story = pg_story
    story.setup("pass_through")
    contract = story.active_contract()
    story.ok(story.allocate(contract, 300_000_00), 201)
    app = story.harness.app
    milestone = contract["milestones"][0]["id"]
    same = {"Idempotency-Key": uuid.uuid4().hex}

    def pay():
        return app.test_client().post(
            f"/contracts/{contract['id']}/milestones/{milestone}/payments",
            json={"amount_fen": 50_000_00},
            headers={**story.member, **same},
        )

    responses = run_together([pay for _ in range(10)])
    assert [r.status_code for r in responses] == [201] * 10
    assert len({r.get_json()["id"] for r in responses}) == 1
    assert sum(r.headers.get("Idempotent-Replayed") == "true" for r in responses) == 9
    with story.harness.runtime.database.engine.connect() as connection:
        assert connection.execute(text("SELECT COUNT(*) FROM payments")).scalar() == 1
    assert _committee_balance(story.harness) == 250_000_00


def test_the_database_itself_refuses_an_overdraft(pg_story):
    """Even a statement that bypasses the handlers cannot take the committee below zero."""
    story = pg_story
    story.setup("pass_through")
    contract = story.active_contract()
    story.ok(story.allocate(contract, 100_00), 201)
    engine = story.harness.runtime.database.engine
    for statement in (
        "UPDATE accounts SET balance_fen = balance_fen - 10001 WHERE code = 'committee:huaguoshan'",
        f"UPDATE contracts SET paid_fen = value_fen + 1 WHERE id = '{contract['id']}'",
        f"UPDATE milestones SET paid_fen = amount_fen + 1 WHERE contract_id = '{contract['id']}'",
        "UPDATE budget_lines SET paid_fen = allocated_fen + 1",
    ):
        with pytest.raises(IntegrityError), engine.begin() as connection:
            connection.execute(text(statement))
    assert _committee_balance(story.harness) == 100_00


def test_a_locked_read_sees_what_another_transaction_committed(pg_story):
    from services.chassis.unit_of_work import UnitOfWork
    from services.contracts.models import Contract
    from services.contracts.usecases.common import get

    story = pg_story
    story.setup("committee_budget")
    contract_id = story.contract()["id"]
    database = story.harness.runtime.database
    with UnitOfWork(database, source="contracts") as uow:  # rolled back on leaving
        stale = get(uow, Contract, contract_id)
        seen = stale.version
        with database.engine.begin() as other:  # committed while this session holds a copy
            other.execute(
                text("UPDATE contracts SET version = version + 5 WHERE id = :id"), {"id": contract_id}
            )
        locked = get(uow, Contract, contract_id, lock=True)
        assert locked is stale and locked.version == seen + 5
