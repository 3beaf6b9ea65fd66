"""The evaluation link over real RabbitMQ: the same event published twice acts once."""

import json

import pytest
from sqlalchemy import text

from services.chassis import events
from tests.support.helpers import wait_for
from tests.unit.contracts.story import Story, evaluation_event

pytestmark = [pytest.mark.postgres, pytest.mark.rabbitmq]


def test_evaluation_delivered_twice_releases_once(service, token):
    harness = service("contracts", backend="postgres", bus="rabbitmq")
    story = Story(harness.client, token, runtime=harness.runtime)
    story.harness = harness
    story.setup("committee_budget")
    contract = story.active_contract()
    worker = harness.start_worker()
    event = evaluation_event(contract["id"], "pass", 75.5)
    body = events.encode(event)
    for _ in range(2):  # the broker redelivers, or the producer's relay publishes twice
        harness.runtime.bus.publish_raw(
            body, routing_key="evaluation.round.completed", message_id=event["id"]
        )
    wait_for(lambda: worker.consumer.processed >= 2, timeout=20, message="two deliveries")

    def decided():
        with harness.runtime.database.engine.connect() as connection:
            return connection.execute(
                text(
                    "SELECT payable_fen, withheld_fen, grade FROM milestones "
                    "WHERE contract_id = :c AND kind = 'evaluation'"
                ),
                {"c": contract["id"]},
            ).one()

    assert tuple(decided()) == (226_500_00, 73_500_00, "pass")  # 75.5 % of 300 000 yuan
    types = harness.outbox_types()
    assert types.count("contracts.payment.released.v1") == 1
    assert types.count("contracts.payment.withheld.v1") == 1
    with harness.runtime.database.engine.connect() as connection:
        inbox = connection.execute(  # the story's governance resolutions are in it too
            text("SELECT event_id, handler FROM inbox WHERE handler = 'on_round_completed'")
        ).all()
    assert [tuple(row) for row in inbox] == [(event["id"], "on_round_completed")]
    released = next(e for e in harness.outbox() if e["type"] == "contracts.payment.released.v1")
    assert released["data"]["round_id"] == event["data"]["round_id"]
    assert json.loads(json.dumps(released["data"]))["amount_fen"] == 226_500_00
    # the relay publishes our own events to the exchange
    wait_for(lambda: _all_sent(harness), timeout=20, message="outbox relayed")


def _all_sent(harness):
    with harness.runtime.database.engine.connect() as connection:
        return connection.execute(text("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL")).scalar() == 0
