"""The event stream for departments: SSE over the exchange, filtered, resumable."""

from __future__ import annotations

import http.client
import json
import time
import uuid

import pytest
from werkzeug.test import Client

from services.chassis.worker import Worker
from tests.support.helpers import assert_problem, bearer, key_settings
from tests.unit.chassis import toy
from tests.unit.gateway.support import inprocess_gateway, serve_in_thread


class SseReader:
    """Reads Server-Sent Events messages from a real HTTP connection."""

    def __init__(self, port: int, path: str, headers: dict[str, str]) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        self.connection.request("GET", path, headers=headers)
        self.response = self.connection.getresponse()
        self.buffer = b""

    def next_message(self, timeout: float = 10.0) -> dict[str, str]:
        """The next message with data (comments and keep-alives skipped)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            while b"\n\n" in self.buffer:
                raw, self.buffer = self.buffer.split(b"\n\n", 1)
                fields: dict[str, str] = {}
                for line in raw.decode().splitlines():
                    if line.startswith(":"):
                        continue
                    name, _, value = line.partition(": ")
                    fields[name] = value
                if "data" in fields:
                    return fields
            self.buffer += self.response.read1(65536)
        raise AssertionError("no SSE message arrived")

    def close(self) -> None:
        self.connection.close()


@pytest.fixture(params=["memory", "rabbitmq"])
def platform(request, tmp_path, key_dir):
    """A toy service with its outbox relay and a gateway serving it over real HTTP."""
    namespace = f"t{uuid.uuid4().hex[:10]}"
    amqp = request.getfixturevalue("amqp_url") if request.param == "rabbitmq" else "memory://"
    app = toy.make_app(
        tmp_path, key_settings(key_dir), amqp_url=amqp, bus_namespace=namespace, outbox_sweep_seconds=0.5
    )
    worker = Worker(app.extensions["community"])
    worker.start()
    gateway = inprocess_gateway(
        key_dir,
        tmp_path,
        {"intake": app},
        amqp_url=amqp,
        bus_namespace=namespace,
        sse_heartbeat_seconds=0.5,
        sse_replay_size=50,
        sse_max_clients=4,
    )
    gateway.start_background()
    assert gateway.feed.declared.wait(15), "the gateway's event feed did not connect"
    server = serve_in_thread(gateway)
    yield server.server_port, gateway
    server.shutdown()
    gateway.feed.stop()
    worker.stop(5)


def sse_id(gateway, event_id):
    """The SSE `id:` of an event: its archive offset on RabbitMQ, the CloudEvent id in memory."""
    return str(gateway.feed.position_of(event_id)) if gateway.feed.archived else event_id


def _add_note(gateway, token, title):
    response = Client(gateway).post(
        "/api/intake/notes",
        json={"community": "huaguoshan", "title": title},
        headers=bearer(token("center_staff"), **{"X-Request-ID": f"req-{title}"}),
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()["id"]


def test_stream_delivers_a_services_event_and_resumes_from_last_event_id(platform, token):
    port, gateway = platform
    department = bearer(token("department", community=None, department="city_management"))
    reader = SseReader(port, "/api/events/stream?types=toy.note.*", department)
    assert reader.response.status == 200
    assert reader.response.getheader("Content-Type").startswith("text/event-stream")
    first_note = _add_note(gateway, token, "first")
    first = reader.next_message()
    event = json.loads(first["data"])
    assert first["id"] == sse_id(gateway, event["id"])
    assert event["type"] == "toy.note.added.v1"
    assert event["data"]["note_id"] == first_note
    assert event["correlationid"] == "req-first"
    assert event["specversion"] == "1.0" and event["source"] == "/services/toy"
    reader.close()

    second_note = _add_note(gateway, token, "second")  # published while nobody listens
    _add_note(gateway, token, "third")
    resumed = SseReader(
        port, "/api/events/stream?types=toy.note.*", {**department, "Last-Event-ID": first["id"]}
    )
    replayed = [json.loads(resumed.next_message()["data"]) for _ in range(2)]
    resumed.close()
    assert [e["data"]["note_id"] for e in replayed][0] == second_note
    assert [e["correlationid"] for e in replayed] == ["req-second", "req-third"]


def test_stream_filters_by_type_and_community(platform, token):
    port, gateway = platform
    chiwan_only = bearer(token("department", community="chiwan"))
    everywhere = bearer(token("department", community=None))
    other_types = SseReader(port, "/api/events/stream?types=grid.case.*", everywhere)
    other_place = SseReader(port, "/api/events/stream?types=toy.%23", chiwan_only)
    gateway.feed.add(str(uuid.uuid4()), "toy.note.added", "huaguoshan", '{"type":"toy.note.added.v1"}')
    case_id = str(uuid.uuid4())
    gateway.feed.add(case_id, "grid.case.resolved", "huaguoshan", '{"type":"grid.case.resolved.v1"}')
    chiwan_id = str(uuid.uuid4())
    gateway.feed.add(chiwan_id, "toy.note.added", "chiwan", '{"type":"toy.note.added.v1"}')
    assert other_types.next_message()["id"] == sse_id(gateway, case_id)
    assert other_place.next_message()["id"] == sse_id(gateway, chiwan_id)
    other_types.close()
    other_place.close()


def test_unknown_last_event_id_replays_the_buffer_with_a_reset_notice(platform, token):
    port, gateway = platform
    kept = str(uuid.uuid4())
    gateway.feed.add(kept, "toy.note.added", "huaguoshan", '{"type":"toy.note.added.v1"}')
    reader = SseReader(
        port,
        "/api/events/stream",
        {**bearer(token("subdistrict_officer", community=None)), "Last-Event-ID": "gone"},
    )
    notice = reader.next_message()
    assert notice["event"] == "reset"
    ids = [reader.next_message()["id"] for _ in range(len(gateway.feed.buffer))]
    assert sse_id(gateway, kept) in ids
    reader.close()


@pytest.mark.parametrize("platform", ["memory"], indirect=True)
def test_stream_access_rules(platform, token):
    _, gateway = platform
    client = Client(gateway)
    assert_problem(client.get("/api/events/stream"), 401)
    body = assert_problem(client.get("/api/events/stream", headers=bearer(token("center_staff"))), 403)
    assert "department" in body["detail"]
    assert_problem(
        client.get("/api/events/stream?types=grid.case.*;drop", headers=bearer(token("department"))),
        422,
        field="types",
    )
    assert_problem(client.post("/api/events/stream", headers=bearer(token("department"))), 405)
    since = client.get("/api/events/stream?since=yesterday", headers=bearer(token("department")))
    assert_problem(since, 422, field="since", detail_contains="RFC 3339")


def test_stream_is_503_while_the_broker_is_unreachable(key_dir, tmp_path, token):
    from tests.unit.gateway.support import free_port

    gateway = inprocess_gateway(
        key_dir, tmp_path, {}, amqp_url=f"amqp://guest:guest@127.0.0.1:{free_port()}//", connect_timeout=0.3
    )
    response = Client(gateway).get("/api/events/stream", headers=bearer(token("department")))
    assert_problem(response, 503, type_suffix="unavailable")
    assert response.headers["Retry-After"] == "10"
    gateway.feed.stop()


@pytest.mark.parametrize("platform", ["memory"], indirect=True)
def test_too_many_streams_on_one_process_is_503(platform, token):
    port, gateway = platform
    readers = [
        SseReader(port, "/api/events/stream", bearer(token("department", community=None, sub=f"dept-{n}")))
        for n in range(gateway.settings.sse_max_clients)
    ]
    response = Client(gateway).get("/api/events/stream", headers=bearer(token("department", community=None)))
    assert_problem(response, 503)
    for reader in readers:
        reader.close()


@pytest.mark.parametrize("platform", ["memory"], indirect=True)
def test_one_token_cannot_take_every_stream(platform, token):
    port, gateway = platform
    assert gateway.settings.sse_max_per_subject == 2 < gateway.settings.sse_max_clients
    greedy = bearer(token("department", community=None, sub="greedy-system"))
    held = [SseReader(port, "/api/events/stream", greedy) for _ in range(2)]
    assert [reader.response.status for reader in held] == [200, 200]
    third = Client(gateway).get("/api/events/stream", headers=greedy)
    problem = assert_problem(third, 429, type_suffix="too-many-streams")
    assert "already holds 2 event stream" in problem["detail"]
    other = SseReader(port, "/api/events/stream", bearer(token("department", community=None, sub="other")))
    assert other.response.status == 200
    for reader in [*held, other]:
        reader.close()


def _open_streams(gateway) -> int:
    return gateway.local.streams.open


def test_a_client_that_hangs_up_frees_its_slot_before_any_heartbeat(tmp_path, key_dir, token):
    gateway = inprocess_gateway(
        key_dir,
        tmp_path,
        {},
        amqp_url="memory://",
        sse_heartbeat_seconds=3600,
        sse_disconnect_check_seconds=0.1,
    )
    gateway.start_background()
    assert gateway.feed.ready.wait(15)
    server = serve_in_thread(gateway)
    try:
        department = bearer(token("department", community=None, sub="reconnecting-system"))
        readers = [SseReader(server.server_port, "/api/events/stream", department) for _ in range(2)]
        assert _open_streams(gateway) == 2
        for reader in readers:
            reader.response.close()
            reader.close()
        # No event and no heartbeat (one an hour) will be written: only noticing the hang-up frees it.
        deadline = time.monotonic() + 30
        while _open_streams(gateway) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _open_streams(gateway) == 0
        again = SseReader(server.server_port, "/api/events/stream", department)
        assert again.response.status == 200
        again.close()
    finally:
        server.shutdown()
        gateway.feed.stop()
