"""The broker definitions loaded into a real RabbitMQ: the chassis's own declarations are
accepted under each service's user, and what a service must not do is refused."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import quote, urlsplit

import amqp.exceptions
import pytest
from kombu import Connection, Exchange, Queue

from deploy import broker
from deploy.registry import SERVICES
from services.chassis import deadletters
from services.chassis.bus import Bus
from services.chassis.config import Settings
from tests.support import environment

pytestmark = pytest.mark.rabbitmq

RUN = uuid.uuid4().hex[:8]
BINDINGS = {  # exercised even while the services' handler tables are still empty
    "intake": ["grid.case.resolved"],
    "contracts": ["evaluation.round.completed"],
    "grid": ["intake.case.referred"],
    "evaluation": ["grid.case.*", "intake.#"],
    "governance": ["contracts.award.made"],
    "subscriptions": ["#"],
    "notifications": ["intake.ticket.called"],
}


def rabbitmqctl(*args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(["rabbitmqctl", *args], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


class LoadedDefinitions:
    """Definitions rendered for a vhost and user prefix of this run, imported with rabbitmqctl."""

    def __init__(self, label: str, quorum: bool, with_passwords: bool = True) -> None:
        self.vhost = f"t-deploy-{RUN}-{label}"
        self.prefix = f"t{RUN}{label}-"
        self.quorum = quorum
        users = [broker.ADMIN_USER, *broker.password_variables(self.prefix)]
        self.admin = f"{self.prefix}admin"
        self.passwords = {name: uuid.uuid4().hex for name in [self.admin, *users[1:]]}
        settings = self.settings("definitions", "amqp://x/")
        self.document = broker.definitions(
            settings,
            vhost=self.vhost,
            user_prefix=self.prefix,
            admin_user=self.admin,
            passwords=self.passwords if with_passwords else None,
            bindings=BINDINGS,
        )
        # rabbitmqctl runs as the broker's user: the file must be readable by everyone
        with tempfile.TemporaryDirectory() as folder:
            os.chmod(folder, 0o755)
            path = Path(folder) / "definitions.json"
            path.write_text(json.dumps(self.document))
            path.chmod(0o644)
            rabbitmqctl("import_definitions", str(path))

    def settings(self, service: str, url: str) -> Settings:
        return Settings(
            service=service,
            data_dir=Path("var"),
            database_url="sqlite://",
            amqp_url=url,
            quorum_queues=self.quorum,
        )

    def url(self, user: str) -> str:
        base = urlsplit(environment.amqp_base_url())
        host = f"{base.hostname or '127.0.0.1'}:{base.port or 5672}"
        return f"amqp://{user}:{self.passwords[user]}@{host}/{quote(self.vhost, safe='')}"

    def bus(self, service: str, user: str | None = None) -> Bus:
        user = user or f"{self.prefix}{service}"
        return Bus(self.settings(service, self.url(user)))

    def delete(self) -> None:
        subprocess.run(["rabbitmqctl", "delete_vhost", self.vhost], capture_output=True, timeout=120)
        for user in self.document["users"]:
            subprocess.run(["rabbitmqctl", "delete_user", user["name"]], capture_output=True, timeout=120)


@pytest.fixture(scope="module")
def loaded():
    environment.need("rabbitmq")
    if not shutil.which("rabbitmqctl"):
        environment.unavailable("rabbitmqctl, needed to import definitions, is not installed")
    made = [LoadedDefinitions("classic", quorum=False), LoadedDefinitions("quorum", quorum=True)]
    yield {d.vhost.rsplit("-", 1)[1]: d for d in made}
    for definitions in made:
        definitions.delete()


@pytest.mark.parametrize("kind", ["classic", "quorum"])
def test_every_service_declares_its_topology_over_the_loaded_definitions(loaded, kind):
    definitions = loaded[kind]
    for service in SERVICES:
        bus = definitions.bus(service)
        with bus.connect() as connection:
            main = bus.declare(connection, BINDINGS[service])
            assert main is not None and main.name == f"{service}.events"


def test_a_redeclaration_with_other_arguments_is_refused(loaded):
    bus = loaded["classic"].bus("intake")
    with bus.connect() as connection:
        quorum = Queue("intake.events", durable=True, queue_arguments={"x-queue-type": "quorum"})
        with pytest.raises(amqp.exceptions.PreconditionFailed):
            quorum(connection.channel()).declare()


def test_an_event_reaches_the_subscribers_queue_and_a_retry_returns_after_its_ttl(loaded):
    definitions = loaded["classic"]
    intake, grid = definitions.bus("intake"), definitions.bus("grid")
    with grid.connect() as connection:
        grid.declare(connection, BINDINGS["grid"])
        connection.default_channel.queue_purge("grid.events")
    intake.publish_raw(b'{"n": 1}', routing_key="intake.case.referred", message_id="m1")
    intake.reset_publisher()
    with grid.connect() as connection:
        queue = Queue("grid.events", channel=connection.default_channel)
        message = wait_for_message(queue)
        assert body_of(message) == '{"n": 1}'
        message.ack()
        producer = connection.Producer()
        producer.publish(b'{"n": 2}', exchange="", routing_key="grid.events.retry.1", delivery_mode=2)
        started = time.monotonic()
        message = wait_for_message(queue, timeout=10)
        assert body_of(message) == '{"n": 2}' and time.monotonic() - started >= 0.8
        message.ack()


def body_of(message) -> str:
    body = message.body
    return body.decode() if isinstance(body, bytes) else body


def wait_for_message(queue: Queue, timeout: float = 5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        message = queue.get(no_ack=False)
        if message is not None:
            return message
        time.sleep(0.05)
    raise AssertionError(f"nothing arrived in {queue.name} within {timeout}s")


def test_a_service_cannot_publish_another_services_events(loaded):
    intake = loaded["classic"].bus("intake")
    with pytest.raises(amqp.exceptions.AccessRefused):
        intake.publish_raw(b"{}", routing_key="grid.case.resolved", message_id="forged")
    intake.reset_publisher()


@pytest.mark.parametrize("action", ["declare", "consume", "bind"])
def test_a_service_cannot_touch_another_services_queue(loaded, action):
    definitions = loaded["classic"]
    with Connection(definitions.url(f"{definitions.prefix}intake")) as connection:
        channel = connection.channel()
        with pytest.raises(amqp.exceptions.AccessRefused):
            if action == "declare":
                Queue("grid.events.retry.1", durable=True)(channel).declare()
            elif action == "consume":
                channel.basic_get("grid.events")
            else:
                channel.queue_bind("grid.events", "community.events", "intake.#")


def test_ops_user_browses_dead_letters_and_taps_the_exchange(loaded):
    definitions = loaded["classic"]
    ops = f"{definitions.prefix}ops"
    intake = definitions.bus("intake")
    with intake.connect() as connection:
        intake.declare(connection, BINDINGS["intake"])
        connection.Producer().publish(
            b'{"id": "dead-1"}', exchange="", routing_key="intake.events.dead", delivery_mode=2
        )
    as_ops = Bus(definitions.settings("intake", definitions.url(ops)))
    letters = list(deadletters.browse(as_ops))
    assert any(letter["event_id"] == "dead-1" for letter in letters)
    with as_ops.connect() as connection:
        tap = Queue(
            exchange=Exchange("community.events", type="topic", durable=True),
            routing_key="#",
            exclusive=True,
            auto_delete=True,
            durable=False,
        )
        tap(connection.channel()).declare()
    with pytest.raises(amqp.exceptions.AccessRefused):
        as_ops.publish_raw(b"{}", routing_key="intake.ticket.completed", message_id="x")
    as_ops.reset_publisher()


def test_users_of_the_checked_in_template_cannot_log_in():
    environment.need("rabbitmq")
    if not shutil.which("rabbitmqctl"):
        environment.unavailable("rabbitmqctl, needed to import definitions, is not installed")
    definitions = LoadedDefinitions("nopw", quorum=False, with_passwords=False)
    try:
        with (
            pytest.raises(Exception) as refused,
            Connection(definitions.url(f"{definitions.prefix}intake"), connect_timeout=5) as connection,
        ):
            connection.ensure_connection(max_retries=1)
        assert "ACCESS_REFUSED" in str(refused.value) or "403" in str(refused.value), refused.value
    finally:
        definitions.delete()
