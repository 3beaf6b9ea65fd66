"""The event archive on RabbitMQ: an SSE client resumes after the gateway restarts, from an
event an hour old (clock injected), with exactly the missed events of its filter, and two
gateway replicas serve the same resume; `since` resumes from a moment; a feed that lost
the broker goes on from its last offset, so its streams miss nothing published meanwhile."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from werkzeug.test import Client

from services.chassis import clock
from services.chassis.worker import Worker
from tests.integration.test_gateway_events import SseReader
from tests.support.helpers import bearer, key_settings, wait_for
from tests.support.tcp_proxy import TcpProxy
from tests.unit.chassis import toy
from tests.unit.gateway.support import inprocess_gateway, serve_in_thread

pytestmark = [pytest.mark.rabbitmq]


class Replicas:
    """Gateway processes over one toy service and one namespace on the real broker."""

    def __init__(self, key_dir, tmp_path, amqp, namespace, app) -> None:
        self.app = app
        self.args = (key_dir, tmp_path, {"intake": app})
        self.settings = {"amqp_url": amqp, "bus_namespace": namespace, "sse_heartbeat_seconds": 0.5}
        self.running: list[tuple[object, object]] = []

    def start(self, replay_size: int = 50, amqp_url: str | None = None) -> tuple[int, object]:
        settings = self.settings | ({"amqp_url": amqp_url} if amqp_url else {})
        gateway = inprocess_gateway(*self.args, **settings, sse_replay_size=replay_size)
        gateway.start_background()
        assert gateway.feed.declared.wait(15) and gateway.feed.archived
        assert not gateway.feed.ready.is_set(), "a process nobody streams from reads the archive"
        server = serve_in_thread(gateway)
        self.running.append((server, gateway))
        return server.server_port, gateway

    def stop(self, gateway: object) -> None:
        for server, running in list(self.running):
            if running is gateway:
                server.shutdown()
                gateway.feed.stop()
                self.running.remove((server, running))


@pytest.fixture
def moment():
    manual = clock.ManualClock(clock.system_now() - timedelta(hours=3))
    with clock.use(manual):
        yield manual


@pytest.fixture
def platform(tmp_path, key_dir, amqp_url, moment):
    namespace = f"t{uuid.uuid4().hex[:10]}"
    app = toy.make_app(
        tmp_path, key_settings(key_dir), amqp_url=amqp_url, bus_namespace=namespace, outbox_sweep_seconds=0.5
    )
    worker = Worker(app.extensions["community"])
    worker.start()
    replicas = Replicas(key_dir, tmp_path, amqp_url, namespace, app)
    yield replicas
    for _, gateway in list(replicas.running):
        replicas.stop(gateway)
    worker.stop(5)


def _note(gateway, token, title, community="huaguoshan"):
    response = Client(gateway).post(
        "/api/intake/notes",
        json={"community": community, "title": title},
        headers=bearer(token("center_staff", community=community)),
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()["id"]


def _read_all(port, headers, count):
    reader = SseReader(port, "/api/events/stream?types=toy.note.*", headers)
    try:
        messages = [reader.next_message() for _ in range(count)]
        return [(m["id"], m["data"]) for m in messages]
    finally:
        reader.close()


def test_a_client_resumes_after_a_restart_from_an_hour_old_event_on_every_replica(platform, token, moment):
    department = bearer(token("department", community="huaguoshan", department="city_management"))
    port, first_gateway = platform.start()
    reader = SseReader(port, "/api/events/stream?types=toy.note.*", department)
    _note(first_gateway, token, "an hour ago")
    seen = reader.next_message()
    reader.close()

    platform.stop(first_gateway)  # the gateway goes away; events go on
    moment.advance(timedelta(hours=1))
    missed = [_note(first_gateway, token, f"missed {n}") for n in range(3)]
    _note(first_gateway, token, "another community's", community="chiwan")
    wait_for(lambda: published(platform.app) == 5, message="every note published")

    (port_a, gateway_a), (port_b, _gateway_b) = platform.start(), platform.start()
    resume = {**department, "Last-Event-ID": seen["id"]}
    on_a, on_b = _read_all(port_a, resume, 3), _read_all(port_b, resume, 3)
    assert on_a == on_b
    assert [_note_id(data) for _, data in on_a] == missed
    assert [int(i) for i, _ in on_a] == sorted(int(i) for i, _ in on_a) and int(on_a[0][0]) > int(seen["id"])

    since = urlencode({"types": "toy.note.*", "since": (moment() - timedelta(minutes=30)).isoformat()})
    by_time = SseReader(port_a, f"/api/events/stream?{since}", department)
    assert [_note_id(by_time.next_message()["data"]) for _ in range(3)] == missed
    by_time.close()
    assert gateway_a.feed.archived


def published(app) -> int:
    runtime = app.extensions["community"]
    table = runtime.database.table("outbox")
    with runtime.database.engine.connect() as connection:
        return sum(1 for row in connection.execute(table.select()) if row.sent_at is not None)


def _note_id(data: str) -> str:
    return json.loads(data)["data"]["note_id"]


def test_a_feed_that_lost_the_broker_goes_on_from_its_last_offset(platform, token, amqp_url):
    """The soak found it: back from a broker outage, the feed began again at `next`, and every
    stream of that process silently missed what the relays published while it reconnected."""
    proxy = TcpProxy("127.0.0.1", int(amqp_url.rsplit(":", 1)[1].split("/")[0]))
    try:
        port, gateway = platform.start(amqp_url=proxy.url_for(amqp_url))
        department = bearer(token("department", community="huaguoshan", department="city_management"))
        reader = SseReader(port, "/api/events/stream?types=toy.note.*", department)
        first = _note(gateway, token, "before")
        assert _note_id(reader.next_message()["data"]) == first
        proxy.cut()  # the gateway's broker connection only: the toy service's relay still publishes
        wait_for(lambda: not gateway.feed.ready.is_set(), message="the feed noticed the outage")
        during = [_note(gateway, token, f"during {n}") for n in range(3)]
        wait_for(lambda: published(platform.app) == 4, message="published while the feed was away")
        proxy.restore()
        after = _note(gateway, token, "after")
        received = [_note_id(reader.next_message(timeout=30)["data"]) for _ in range(4)]
        assert received == [*during, after]
        reader.close()
    finally:
        proxy.close()
