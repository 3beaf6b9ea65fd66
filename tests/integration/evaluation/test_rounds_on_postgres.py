"""Rounds on real PostgreSQL and RabbitMQ: the completed event on the wire, concurrency."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from kombu import Queue

from tests.support.helpers import bearer, wait_for
from tests.unit.evaluation.conftest import close_round, create_scheme, open_round, score
from tests.unit.evaluation.samples import two_indicator_definition

pytestmark = [pytest.mark.postgres]
CONTRACT = "0b6a3c58-7a0e-4d0e-b0a5-2f0b1c9d6e77"


def fill_all(client, people, round_id):
    for who, party, a, b in (
        ("committee", "committee", 90, 100),
        ("subdistrict", "subdistrict", 60, 80),
        ("evaluator", "third_party", 40, 40),
    ):
        assert score(client, people[who], round_id, party, A=a, B=b).status_code == 200


@pytest.mark.rabbitmq
def test_closing_publishes_exactly_the_documented_payload_on_rabbitmq(service, people):
    harness = service("evaluation", backend="postgres", bus="rabbitmq")
    bus = harness.runtime.bus
    received: list[dict] = []
    with bus.connect() as connection:
        bus.declare(connection)
        queue = Queue(
            f"{harness.runtime.settings.bus_namespace}.contracts-listener",
            exchange=bus.exchange,
            routing_key="evaluation.round.completed",
            exclusive=True,
            auto_delete=True,
        )
        with connection.Consumer(queue, callbacks=[lambda body, m: (received.append(body), m.ack())]):
            harness.start_worker()
            client = harness.client
            scheme = create_scheme(client, people["committee"], contract_id=CONTRACT)
            period = {"period_start": "2026-01-01", "period_end": "2026-06-30"}  # ended: a contract's
            opened = open_round(client, people["committee"], scheme["id"], **period)
            fill_all(client, people, opened["id"])
            proposed = client.post(f"/rounds/{opened['id']}/propose-close", headers=people["committee"])
            assert proposed.status_code == 200, proposed.get_json()
            closed = close_round(client, people["subdistrict"], opened["id"])
            assert closed.status_code == 200, closed.get_json()

            def drained():
                try:
                    connection.drain_events(timeout=0.2)
                except TimeoutError:
                    pass
                return received

            wait_for(drained, timeout=15, message="evaluation.round.completed on the exchange")
    [body] = received
    event = json.loads(body) if isinstance(body, str | bytes) else body
    assert event["type"] == "evaluation.round.completed.v1"
    assert event["source"] == "/services/evaluation"
    assert (event["subject"], event["community"]) == (opened["id"], "huaguoshan")
    assert event["specversion"] == "1.0" and event["datacontenttype"] == "application/json"
    data = event["data"]
    assert set(data) == {
        "round_id",
        "scheme_id",
        "contract_id",
        "year",
        "score",
        "grade",
        "committee_weight",
        "completed_at",
        "party_weights",
        "period_start",
        "period_end",
        "opened_at",
        "closed_via",
        "closers",
    }
    assert {k: v for k, v in data.items() if k not in ("completed_at", "opened_at")} == {
        "round_id": opened["id"],
        "scheme_id": scheme["id"],
        "contract_id": CONTRACT,
        "year": 2026,
        "score": 76.5,
        "grade": "pass",
        "committee_weight": 0.5,
        "party_weights": {"committee": 0.5, "subdistrict": 0.3, "third_party": 0.2},
        "period_start": "2026-01-01",
        "period_end": "2026-06-30",
        "closed_via": "four_eyes",
        "closers": 2,
    }
    assert data["completed_at"].endswith("+00:00")


def test_scores_racing_the_close_are_either_in_the_result_or_refused(service, people, token):
    harness = service("evaluation", backend="postgres")
    client = harness.client
    scheme = create_scheme(client, people["committee"])
    opened = open_round(client, people["committee"], scheme["id"])
    fill_all(client, people, opened["id"])
    members = [bearer(token("committee_member", sub=f"member-{i}")) for i in range(8)]
    start = threading.Barrier(len(members) + 1)

    def submit(headers):
        start.wait()
        return score(harness.app.test_client(), headers, opened["id"], "committee", A=10, B=10).status_code

    def close():
        start.wait()
        while True:  # a sheet stored between reading the round and closing it: read again (412)
            answer = close_round(harness.app.test_client(), people["committee"], opened["id"])
            if answer.status_code != 412:
                return answer

    with ThreadPoolExecutor(len(members) + 1) as pool:
        submitted = [pool.submit(submit, headers) for headers in members]
        closing = pool.submit(close)
        statuses = [f.result() for f in submitted]
        result = closing.result().get_json()
    assert set(statuses) <= {200, 409}
    accepted = statuses.count(200)
    # every committee sheet stored is in the result, none was accepted after the close
    assert harness.count("round_scores") == 6 + 2 * accepted
    committee = next(p for p in result["parties"] if p["party"] == "committee")
    expected = (Decimal(95) + Decimal(10) * accepted) / (1 + accepted)
    assert Decimal(str(committee["score"])) == expected.quantize(Decimal("0.01"))
    assert committee["sheets"] == 1 + accepted


def test_two_rounds_opened_at_once_for_one_scheme_leave_one(service, people):
    harness = service("evaluation", backend="postgres")
    scheme = create_scheme(harness.client, people["committee"], two_indicator_definition())
    start = threading.Barrier(4)

    def attempt(who):
        start.wait()
        return (
            harness.app.test_client()
            .post("/rounds", json={"scheme_id": scheme["id"]}, headers=people[who])
            .status_code
        )

    with ThreadPoolExecutor(4) as pool:
        statuses = list(pool.map(attempt, ["committee", "subdistrict", "committee2", "committee"]))
    assert sorted(statuses) == [201, 409, 409, 409]
    assert harness.count("rounds") == 1
    assert harness.outbox_types() == ["evaluation.round.opened.v1"]
