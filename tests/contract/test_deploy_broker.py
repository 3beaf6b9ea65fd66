"""RabbitMQ definitions: in sync with the chassis and the handler tables, least privilege."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from deploy import broker, registry
from deploy.cli import broker_definitions
from deploy.registry import SERVICES
from services.chassis.bus import Bus
from services.chassis.config import Settings
from tests.support import environment

RABBITMQ = Path(__file__).resolve().parents[2] / "deploy" / "rabbitmq"
RETRY_TTLS = [1000, 5000, 30000]


@pytest.fixture(scope="module")
def template() -> dict:
    return json.loads((RABBITMQ / "definitions.json").read_text())


def by_name(items: list[dict], key: str = "name") -> dict[str, dict]:
    return {item[key]: item for item in items}


def chassis_bus(service: str, quorum: bool = False) -> Bus:
    settings = Settings(
        service=service,
        data_dir=Path("var"),
        database_url="sqlite://",
        amqp_url="amqp://x/",
        quorum_queues=quorum,
    )
    return Bus(settings)


def test_checked_in_definitions_are_what_the_code_generates():
    result = CliRunner().invoke(broker_definitions, ["--check"])
    assert result.exit_code == 0, result.output


def test_exchange_is_the_durable_topic_exchange(template):
    assert template["exchanges"] == [
        {
            "name": "community.events",
            "vhost": "/",
            "type": "topic",
            "durable": True,
            "auto_delete": False,
            "internal": False,
            "arguments": {},
        }
    ]


def _handled(service: str) -> list[str]:
    """The patterns the service's worker binds (`usecases.CONSUMED`)."""
    return sorted(registry.consumed(service).patterns)


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_queue_is_bound_to_exactly_the_events_its_handlers_take(template, service):
    handled = _handled(service)
    bound = sorted(b["routing_key"] for b in template["bindings"] if b["destination"] == f"{service}.events")
    assert bound == handled
    assert all(
        b["source"] == "community.events" and b["destination_type"] == "queue" for b in template["bindings"]
    )


@pytest.mark.parametrize("service", SERVICES)
def test_queue_names_and_arguments_match_what_the_chassis_declares(template, service):
    queues = by_name(template["queues"])
    bus = chassis_bus(service)
    declared = [bus.service_queue([]), *bus.retry_queues(), bus.dead_queue()]
    for queue in declared:
        assert queues[queue.name]["durable"] is True
        assert queues[queue.name]["arguments"] == dict(queue.queue_arguments or {})
    main = queues[f"{service}.events"]
    assert "x-queue-type" not in main["arguments"]  # classic unless EVENT_QUORUM_QUEUES is on
    for step, ttl in enumerate(RETRY_TTLS, start=1):
        retry = queues[f"{service}.events.retry.{step}"]["arguments"]
        assert retry == {
            "x-message-ttl": ttl,
            "x-dead-letter-exchange": "",
            "x-dead-letter-routing-key": f"{service}.events",
        }
    assert queues[f"{service}.events.dead"]["arguments"] == {}


def test_quorum_rendering_matches_the_chassis_with_quorum_queues_on():
    settings = Settings(
        service="broker",
        data_dir=Path("var"),
        database_url="sqlite://",
        amqp_url="amqp://x/",
        quorum_queues=True,
    )
    queues = by_name(broker.definitions(settings)["queues"])
    assert all(q["arguments"].get("x-queue-type") == "quorum" for q in queues.values())
    for service in SERVICES:
        bus = chassis_bus(service, quorum=True)
        for queue in (bus.service_queue([]), *bus.retry_queues(), bus.dead_queue()):
            assert queues[queue.name]["arguments"] == dict(queue.queue_arguments)


def permission(template: dict, user: str) -> dict:
    return by_name(template["permissions"], "user")[user]


def allows(regex: str, name: str) -> bool:
    """RabbitMQ applies permission regexes unanchored (re.search); ours anchor themselves."""
    return re.search(regex, name) is not None


@pytest.mark.parametrize("service", SERVICES)
def test_service_user_may_only_touch_its_own_queues(template, service):
    rights = permission(template, service)
    own = [f"{service}.events", f"{service}.events.dead", *(f"{service}.events.retry.{n}" for n in (1, 2, 3))]
    for name in own + ["community.events"]:
        assert allows(rights["configure"], name), name
    for other in (s for s in SERVICES if s != service):
        for name in (f"{other}.events", f"{other}.events.dead", f"{other}.events.retry.1"):
            for kind in ("configure", "write", "read"):
                assert not allows(rights[kind], name), (kind, name)
    assert allows(rights["write"], "community.events") and allows(rights["write"], "amq.default")
    assert allows(rights["write"], f"{service}.events")  # queue.bind needs write on the queue
    assert allows(rights["read"], f"{service}.events") and allows(rights["read"], f"{service}.events.dead")
    assert not allows(rights["read"], f"{service}.events.retry.1")
    for kind in ("configure", "write", "read"):
        assert not allows(rights[kind], "amq.gen-abc") and not allows(rights[kind], "x")
        assert not allows(rights[kind], f"{service}.events.deadx")


@pytest.mark.parametrize("service", SERVICES)
def test_service_user_publishes_only_its_own_event_names(template, service):
    topic = by_name(template["topic_permissions"], "user")[service]
    assert topic["exchange"] == "community.events"
    assert allows(topic["write"], f"{service}.thing.happened")
    for other in (s for s in SERVICES if s != service):
        assert not allows(topic["write"], f"{other}.thing.happened")
    handled = _handled(service)
    for pattern in handled:
        assert allows(topic["read"], pattern)
    assert not allows(topic["read"], "anything.else.at.all")


def test_ops_user_reads_dead_letters_and_taps_the_exchange_but_publishes_no_event(template):
    rights = permission(template, "ops")
    for service in SERVICES:
        assert allows(rights["read"], f"{service}.events.dead")
        assert not allows(rights["read"], f"{service}.events")
    assert allows(rights["configure"], "amq.gen-Xy12") and allows(rights["read"], "amq.gen-Xy12")
    assert allows(rights["write"], "amq.default") and not allows(rights["write"], "community.events")
    topic = by_name(template["topic_permissions"], "user")["ops"]
    assert not allows(topic["write"], "intake.ticket.completed")


def test_template_holds_no_password(template):
    others = {"ops", "gateway", "admin", "subscriptions-admin"}
    assert {u["name"] for u in template["users"]} == {*SERVICES, *others}
    assert all(user["password_hash"] == "" for user in template["users"])


def test_the_provisioner_reaches_department_queues_only(template):
    rights = next(p for p in template["permissions"] if p["user"] == "subscriptions-admin")
    assert re.match(rights["configure"], "dept.police.1") and not re.match(rights["configure"], "grid.events")
    assert rights["read"] == "^(community\\.events)$"


def test_rendering_hashes_each_password_from_the_environment(monkeypatch):
    environ = {variable: f"pw-{user}" for user, variable in broker.password_variables().items()}
    environ["RABBITMQ_ADMIN_PASSWORD"] = "pw-admin"
    for key, value in environ.items():
        monkeypatch.setenv(key, value)
    result = CliRunner().invoke(broker_definitions, [])
    assert result.exit_code == 0, result.output
    users = by_name(json.loads(result.output)["users"])
    for name, user in users.items():
        raw = base64.b64decode(user["password_hash"])
        salt, digest = raw[:4], raw[4:]
        assert digest == hashlib.sha256(salt + f"pw-{name}".encode()).digest()
    assert "pw-intake" not in result.output


def test_rendering_names_every_missing_password(monkeypatch):
    for variable in [*broker.password_variables().values(), "RABBITMQ_ADMIN_PASSWORD"]:
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("RABBITMQ_GRID_PASSWORD", "set")
    result = CliRunner().invoke(broker_definitions, [])
    assert result.exit_code != 0
    assert "RABBITMQ_INTAKE_PASSWORD" in result.output
    assert "RABBITMQ_ADMIN_PASSWORD" in result.output
    assert "RABBITMQ_GRID_PASSWORD" not in result.output


def test_rendered_file_is_private(monkeypatch, tmp_path):
    for variable in broker.password_variables().values():
        monkeypatch.setenv(variable, "x")
    monkeypatch.setenv("RABBITMQ_ADMIN_PASSWORD", "x")
    target = tmp_path / "out" / "definitions.json"
    assert CliRunner().invoke(broker_definitions, ["-o", str(target)]).exit_code == 0
    assert target.stat().st_mode & 0o777 == 0o600


def test_rabbitmq_conf_uses_only_settings_the_broker_knows():
    installed = Path("/usr/lib/rabbitmq/lib")
    schemas = list(installed.glob("rabbitmq_server-*/plugins/*/priv/schema/*.schema"))
    if not schemas:
        environment.unavailable("RabbitMQ's configuration schema files are not installed")
    mappings = set()
    for schema in schemas:
        mappings |= set(re.findall(r'\{mapping,\s*"([^"]+)"', schema.read_text(errors="replace")))
    patterns = [
        re.compile("^" + re.sub(r"\\\$\w+", r"[^.]+", re.escape(mapping)) + "$") for mapping in mappings
    ]
    keys = [
        line.split("=", 1)[0].strip()
        for line in (RABBITMQ / "rabbitmq.conf").read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    assert "load_definitions" in keys
    unknown = [key for key in keys if not any(p.match(key) for p in patterns)]
    assert not unknown, unknown


def test_gateway_user_may_declare_and_read_its_event_stream_queue_only(template):
    """The queue gateway/stream.py declares for a department's stream (seen refused in the
    compose stack before the definitions allowed it)."""
    rights = permission(template, "gateway")
    queue = Settings.from_env("gateway", {"amqp_url": "amqp://x/"}).queue_name("stream.0123456789ab")
    for kind in ("configure", "write", "read"):
        assert allows(rights[kind], queue), kind
        assert not allows(rights[kind], "intake.events"), kind
    assert not allows(rights["write"], "community.events")
