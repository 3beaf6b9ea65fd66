"""Change signals for pages: public SSE per community, derived from events, none of their data."""

from __future__ import annotations

import json
import uuid

import pytest
from werkzeug.test import Client

from services.chassis import events
from services.intake import events as intake_events
from tests.integration.test_gateway_events import SseReader
from tests.support.helpers import assert_problem, bearer
from tests.unit.gateway.support import inprocess_gateway, serve_in_thread

STREAM = "/api/changes/stream"


@pytest.fixture(params=["memory", "rabbitmq"])
def served(request, tmp_path, key_dir):
    """A gateway on the in-memory bus or on RabbitMQ (with its archive), served over HTTP,
    trusting one proxy so that each test client can say which address it calls from."""
    namespace = f"t{uuid.uuid4().hex[:10]}"
    amqp = request.getfixturevalue("amqp_url") if request.param == "rabbitmq" else "memory://"
    gateway = inprocess_gateway(
        key_dir,
        tmp_path,
        {},
        amqp_url=amqp,
        bus_namespace=namespace,
        sse_heartbeat_seconds=0.5,
        sse_max_clients=4,
        sse_max_per_address=2,
        trusted_proxies=1,
    )
    gateway.start_background()
    assert gateway.feed.declared.wait(15), "the gateway's event feed did not connect"
    server = serve_in_thread(gateway)
    yield server.server_port, gateway
    server.shutdown()
    gateway.feed.stop()


def _from(address: str) -> dict[str, str]:
    return {"X-Forwarded-For": address}


def _ticket_event(kind, community: str, number: str) -> dict:
    ticket_id = str(uuid.uuid4())
    data = {
        "ticket_id": ticket_id,
        "number": number,
        "business_type": "household_registration",
        "channel": "walk_in",
        "priority": False,
        "issued_at": "2026-03-02T09:00:00+08:00",
    }
    if kind is intake_events.TICKET_ISSUED:
        data["queue_key"] = data["issued_at"]
    else:
        data.update(window_id=str(uuid.uuid4()), called_at="2026-03-02T09:10:00+08:00", wait_seconds=600)
        if kind is intake_events.TICKET_CALLED:
            data["window_number"] = 3
        else:
            data.update(completed_at="2026-03-02T09:20:00+08:00", service_seconds=600)
    return events.build(
        kind, source="/services/intake", subject=ticket_id, community=community, data=data, sequence=1
    )


def _case_event(community: str) -> dict:
    case_id = str(uuid.uuid4())
    return {
        "specversion": "1.0",
        "id": str(uuid.uuid4()),
        "source": "/services/intake",
        "type": "intake.case.opened.v1",
        "subject": case_id,
        "community": community,
        "data": {"case_id": case_id, "summary": "a resident's hardship"},
    }


def _publish(gateway, event: dict) -> None:
    gateway.feed.bus.publish_raw(
        events.encode(event), routing_key=events.event_name(event), message_id=event["id"]
    )


def test_a_page_gets_a_bare_signal_of_its_own_communitys_queue(served):
    port, gateway = served
    hall = SseReader(port, f"{STREAM}?community=huaguoshan", _from("203.0.113.7"))
    chiwan = SseReader(port, f"{STREAM}?community=chiwan", _from("203.0.113.8"))
    assert hall.response.status == 200
    assert hall.response.getheader("Content-Type").startswith("text/event-stream")
    assert hall.response.getheader("Cache-Control") == "no-cache"

    called = _ticket_event(intake_events.TICKET_CALLED, "huaguoshan", "A023")
    _publish(gateway, called)
    _publish(gateway, _ticket_event(intake_events.TICKET_ISSUED, "chiwan", "B007"))
    _publish(gateway, _case_event("huaguoshan"))  # not a queue change: no signal
    _publish(gateway, _ticket_event(intake_events.TICKET_COMPLETED, "huaguoshan", "A023"))

    first = hall.next_message()
    assert first["event"] == "change"
    assert "id" not in first  # nothing to resume from
    assert json.loads(first["data"]) == {
        "topic": "intake.queue",
        "community": "huaguoshan",
        "event": "intake.ticket.called",
    }
    for secret in (called["id"], called["subject"], called["data"]["window_id"], "A023", "hardship"):
        assert secret not in first["data"]
    second = json.loads(hall.next_message()["data"])  # chiwan's ticket and the case were left out
    assert second == {"topic": "intake.queue", "community": "huaguoshan", "event": "intake.ticket.completed"}
    assert json.loads(chiwan.next_message()["data"]) == {
        "topic": "intake.queue",
        "community": "chiwan",
        "event": "intake.ticket.issued",
    }
    hall.close()
    chiwan.close()


@pytest.mark.parametrize("served", ["memory"], indirect=True)
def test_the_community_must_be_one_of_the_seven(served, token):
    _, gateway = served
    client = Client(gateway)
    for query in ("", "?community=atlantis", "?community=huaguoshan&community=chiwan"):
        problem = assert_problem(client.get(f"{STREAM}{query}"), 422, field="community")
        assert "huaguoshan" in problem["errors"]["community"][0]
    assert_problem(client.post(f"{STREAM}?community=huaguoshan"), 401)  # only GET is public
    refused = client.post(f"{STREAM}?community=huaguoshan", headers=bearer(token("center_staff")))
    assert_problem(refused, 405)
    assert refused.headers["Allow"] == "GET"


@pytest.mark.parametrize("served", ["memory"], indirect=True)
def test_one_address_cannot_take_every_slot(served, token):
    port, gateway = served
    held = [SseReader(port, f"{STREAM}?community=huaguoshan", _from("198.51.100.1")) for _ in range(2)]
    assert [reader.response.status for reader in held] == [200, 200]
    third = Client(gateway).get(f"{STREAM}?community=huaguoshan", headers=_from("198.51.100.1"))
    problem = assert_problem(third, 429, type_suffix="too-many-streams")
    assert "already holds 2 change stream(s)" in problem["detail"]
    assert third.headers["Retry-After"] == "30"

    # Another address still gets one; the per-process cap counts both kinds of stream.
    other = SseReader(port, f"{STREAM}?community=huaguoshan", _from("198.51.100.2"))
    assert other.response.status == 200
    department = SseReader(port, "/api/events/stream", bearer(token("department", community=None)))
    assert department.response.status == 200
    full = Client(gateway).get(f"{STREAM}?community=chiwan", headers=_from("198.51.100.3"))
    assert_problem(full, 503, type_suffix="unavailable")
    for reader in [*held, other, department]:
        reader.close()
