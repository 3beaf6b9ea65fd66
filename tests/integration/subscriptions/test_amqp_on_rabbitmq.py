"""AMQP subscriptions provisioned through RabbitMQ's management API: the department's user reads
its own durable queue and nothing else; RabbitMQ itself refuses another department's queue,
publishing on the exchange and declaring queues; a rotated password replaces the old; deleting
removes queue and user."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid
from base64 import b64encode
from urllib.parse import quote

import pika
import pytest

from services.chassis import events
from tests.integration.subscriptions.test_webhooks_on_rabbitmq import CASE_OPENED, TICKET_ISSUED, publish
from tests.support.helpers import bearer, wait_for
from tests.unit.subscriptions.conftest import grant

pytestmark = [pytest.mark.rabbitmq]
API = "http://127.0.0.1:15672"


def management(path: str) -> dict | None:
    request = urllib.request.Request(
        API + path, headers={"Authorization": "Basic " + b64encode(b"guest:guest").decode()}
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return None
        raise


@pytest.fixture
def broker_api():
    try:
        management("/api/overview")
    except OSError:
        pytest.fail(
            "RabbitMQ's management API is not on :15672 (rabbitmq-plugins enable rabbitmq_management)"
        )


def connect(vhost: str, user: str, password: str) -> pika.BlockingConnection:
    return pika.BlockingConnection(
        pika.ConnectionParameters("127.0.0.1", 5672, vhost, pika.PlainCredentials(user, password))
    )


def test_a_departments_queue_is_its_own_and_read_only(service, token, rabbit_vhost, broker_api):
    harness = service(
        "subscriptions",
        bus="rabbitmq",
        broker_api_url=API,
        broker_api_user="guest",
        broker_api_password="guest",
        broker_vhost=rabbit_vhost.name,
    )
    with harness.runtime.bus.connect() as connection:
        harness.runtime.bus.declare(connection)
    admin = bearer(token("admin", community=None))
    police, hotline = f"police{uuid.uuid4().hex[:6]}", f"hotline{uuid.uuid4().hex[:6]}"
    made = {}
    for department in (police, hotline):
        grant(harness.client, admin, "grid.case.*", department=department)
        own = bearer(token("department", community=None, department=department))
        body = {"name": "案件", "event_types": ["grid.case.*"], "mode": "amqp"}
        response = harness.client.post("/subscriptions", json=body, headers=own)
        assert response.status_code == 201, response.get_json()
        made[department] = (response.get_json(), own)
    created, police_token = made[police]
    user, password, queue = created["amqp_user"], created["amqp_password"], created["queue"]
    assert user == f"dept.{police}" and password and created["secret"] is None
    described = management(f"/api/queues/{quote(rabbit_vhost.name, safe='')}/{quote(queue, safe='')}")
    assert described["durable"] is True and described["type"] == "classic"  # quorum with EVENT_QUORUM_QUEUES

    published = [publish(harness, CASE_OPENED, "c1", {"case_id": str(uuid.uuid4())})["id"] for _ in range(2)]
    publish(harness, TICKET_ISSUED, "t1", {})
    connection = connect(rabbit_vhost.name, user, password)
    channel = connection.channel()
    received = []
    wait_for(
        lambda: (
            received.append(channel.basic_get(queue, auto_ack=True))
            or len([r for r in received if r[0]]) == 2
        )
    )
    assert [events.parse(r[2])["id"] for r in received if r[0]] == published

    other_queue = made[hotline][0]["queue"]
    with pytest.raises(pika.exceptions.ChannelClosedByBroker) as refused:
        connection.channel().basic_get(other_queue)
    assert refused.value.reply_code == 403
    publisher = connection.channel()
    publisher.confirm_delivery()
    with pytest.raises(pika.exceptions.ChannelClosedByBroker) as refused:
        publisher.basic_publish(harness.runtime.settings.exchange_name, "grid.case.opened", b"{}")
    assert refused.value.reply_code == 403
    with pytest.raises(pika.exceptions.ChannelClosedByBroker) as refused:
        connection.channel().queue_declare(f"dept.{police}.mine", durable=True)
    assert refused.value.reply_code == 403
    connection.close()

    revoked = harness.client.get(f"/grants?department={police}", headers=admin).get_json()
    assert harness.client.delete(f"/grants/{revoked[0]['id']}", headers=admin).status_code == 204
    late = publish(harness, CASE_OPENED, "c2", {"case_id": str(uuid.uuid4())})["id"]
    operator = pika.BlockingConnection(pika.URLParameters(rabbit_vhost.url)).channel()
    hotline_ids: list[str] = []

    def hotline_received() -> bool:
        method, _, body = operator.basic_get(other_queue, auto_ack=True)
        if method:
            hotline_ids.append(events.parse(body)["id"])
        return late in hotline_ids

    wait_for(hotline_received, message="the hotline still receives")
    assert operator.basic_get(queue)[0] is None  # the same publish routed nothing to the police queue
    shown = harness.client.get(f"/subscriptions/{created['id']}", headers=police_token).get_json()
    assert shown["event_types"] == []

    rotated = harness.client.post(f"/subscriptions/{created['id']}/password", headers=police_token).get_json()
    with pytest.raises(pika.exceptions.ProbableAuthenticationError):
        connect(rabbit_vhost.name, user, password)
    connect(rabbit_vhost.name, user, rotated["amqp_password"]).close()

    for department, (subscription, own) in made.items():
        assert harness.client.delete(f"/subscriptions/{subscription['id']}", headers=own).status_code == 204
        assert (
            management(
                f"/api/queues/{quote(rabbit_vhost.name, safe='')}/{quote(subscription['queue'], safe='')}"
            )
            is None
        )
        assert management(f"/api/users/{quote('dept.' + department, safe='')}") is None


@pytest.fixture
def own_broker(tmp_path):
    from .own_broker import OwnBroker

    broker = OwnBroker(tmp_path / "rabbit").start()
    yield broker
    broker.stop()


def test_a_departments_queue_keeps_its_events_across_a_broker_restart(service, token, own_broker):
    harness = service(
        "subscriptions",
        amqp_url=own_broker.amqp_url,
        broker_api_url=own_broker.api_url,
        broker_api_user="guest",
        broker_api_password="guest",
        broker_vhost="/",
    )
    with harness.runtime.bus.connect() as connection:
        harness.runtime.bus.declare(connection)
    admin = bearer(token("admin", community=None))
    grant(harness.client, admin, "grid.case.*", department="civil_affairs")
    own = bearer(token("department", community=None, department="civil_affairs"))
    body = {"name": "案件", "event_types": ["grid.case.*"], "mode": "amqp"}
    created = harness.client.post("/subscriptions", json=body, headers=own).get_json()
    published = [publish(harness, CASE_OPENED, "c1", {"case_id": str(uuid.uuid4())})["id"] for _ in range(3)]
    harness.runtime.bus.reset_publisher()

    own_broker.restart()

    connection = pika.BlockingConnection(
        pika.ConnectionParameters(
            "127.0.0.1",
            own_broker.port,
            "/",
            pika.PlainCredentials(created["amqp_user"], created["amqp_password"]),
        )
    )
    channel = connection.channel()
    got = []
    while (message := channel.basic_get(created["queue"], auto_ack=True))[0]:
        got.append(events.parse(message[2])["id"])
    connection.close()
    assert got == published
