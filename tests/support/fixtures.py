"""The fixtures every test may use (a pytest plugin loaded by `tests/conftest.py`).

- `postgres_databases` and `rabbit_vhost` give the real servers (see `environment`).
- `service` builds a service app on a freshly migrated database (SQLite by default,
  PostgreSQL with `backend="postgres"`), on the in-memory bus or on a RabbitMQ vhost
  of this test session.
- `token` signs real RS256 tokens with a key pair made for the session.
"""

from __future__ import annotations

import json
import shutil
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select, text

from deploy import registry
from services.chassis import auth, events, migrations
from services.chassis.app import Runtime
from services.chassis.config import COMMUNITIES, Settings

from .environment import PostgresDatabases, RabbitVhost, need
from .helpers import check_with_cloudevents_sdk, key_settings
from .tcp_proxy import TcpProxy


@pytest.fixture(scope="session")
def postgres_databases() -> Iterator[PostgresDatabases]:
    need("postgres")
    databases = PostgresDatabases()
    yield databases
    databases.drop_all()


# -- RabbitMQ --------------------------------------------------------------------------


@pytest.fixture(scope="session")
def rabbit_vhost() -> Iterator[RabbitVhost]:
    need("rabbitmq")
    vhost = RabbitVhost()
    yield vhost
    vhost.delete()


@pytest.fixture
def amqp_url(rabbit_vhost: RabbitVhost) -> str:
    return rabbit_vhost.url


@pytest.fixture
def bus_namespace() -> str:
    """A prefix that keeps this test's exchange and queues apart from every other test's."""
    return f"t{uuid.uuid4().hex[:10]}"


# -- keys and tokens -------------------------------------------------------------------


@pytest.fixture(scope="session")
def key_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("keys")
    auth.generate_key_pair(folder / "jwt-private.pem", folder / "jwt-public.pem")
    return folder


TokenFactory = Callable[..., str]


@pytest.fixture
def token(key_dir: Path) -> TokenFactory:
    """token("center_staff", community="huaguoshan", sub=..., name=..., ttl=..., **claims)."""
    settings = Settings.from_env("tests", key_settings(key_dir))

    def make(
        *roles: str,
        community: str | list[str] | None = "huaguoshan",
        sub: str | None = None,
        name: str | None = None,
        ttl: timedelta = timedelta(hours=1),
        **claims: Any,
    ) -> str:
        communities = (
            list(COMMUNITIES)
            if community is None
            else ([community] if isinstance(community, str) else list(community))
        )
        return auth.issue_token(
            settings,
            sub=sub or f"{'-'.join(roles)}-{uuid.uuid4().hex[:6]}",
            roles=roles,
            communities=communities,
            name=name,
            ttl=ttl,
            **claims,
        )

    return make


# -- service harness -------------------------------------------------------------------


@dataclass
class ServiceHarness:
    """A service app (and optionally its worker) on a fresh database."""

    name: str
    app: Any
    runtime: Runtime
    worker: Any = None
    cleanups: list[Callable[[], None]] = field(default_factory=list)

    @property
    def client(self) -> Any:
        return self.app.test_client()

    def start_worker(self) -> Any:
        """Start the service's relay/consumer/periodic threads (memory bus or RabbitMQ)."""
        self.worker = registry.module(self.name, "worker").build_worker(self.runtime)
        self.worker.start()
        assert self.worker.wait_ready(15), f"{self.name} consumer did not become ready"
        self.cleanups.append(self.worker.stop)
        return self.worker

    def outbox(self) -> list[dict[str, Any]]:
        """Every event recorded in this service's outbox, oldest first (parsed CloudEvents)."""
        table = self.runtime.database.table("outbox")
        with self.runtime.database.engine.connect() as connection:
            rows = connection.execute(select(table.c.body).order_by(table.c.id)).scalars().all()
        return [events.parse(body) for body in rows]

    def outbox_types(self) -> list[str]:
        return [e["type"] for e in self.outbox()]

    def count(self, table_name: str) -> int:
        with self.runtime.database.engine.connect() as connection:
            return int(connection.execute(text(f"SELECT COUNT(*) FROM {table_name}")).scalar_one())

    def close(self) -> None:
        for cleanup in reversed(self.cleanups):
            cleanup()
        self.runtime.database.dispose()


class SqliteTemplates:
    """Migrates each service once per session into a file, then copies it per test."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.files: dict[str, Path] = {}
        self._lock = threading.Lock()

    def fresh(self, service: str, target: Path) -> str:
        with self._lock:
            if service not in self.files:
                path = self.folder / f"{service}-template.db"
                migrations.upgrade(registry.migrations(service), f"sqlite:///{path}")
                self.files[service] = path
        shutil.copyfile(self.files[service], target)
        return f"sqlite:///{target}"


@pytest.fixture(scope="session")
def sqlite_templates(tmp_path_factory: pytest.TempPathFactory) -> SqliteTemplates:
    return SqliteTemplates(tmp_path_factory.mktemp("sqlite-templates"))


ServiceFactory = Callable[..., ServiceHarness]


@pytest.fixture
def service(
    request: pytest.FixtureRequest, tmp_path: Path, key_dir: Path, sqlite_templates: SqliteTemplates
) -> Iterator[ServiceFactory]:
    """service("intake", backend="sqlite"|"postgres", bus="memory"|"rabbitmq", **settings)."""
    harnesses: list[ServiceHarness] = []
    namespace = f"t{uuid.uuid4().hex[:10]}"

    def make(name: str, *, backend: str = "sqlite", bus: str = "memory", **overrides: Any) -> ServiceHarness:
        if backend == "postgres":
            database_url = request.getfixturevalue("postgres_databases").fresh(name)
        else:
            database_url = sqlite_templates.fresh(name, tmp_path / f"{name}-{uuid.uuid4().hex[:6]}.db")
        amqp = request.getfixturevalue("amqp_url") if bus == "rabbitmq" else "memory://"
        config = {
            "data_dir": tmp_path,
            "database_url": database_url,
            "amqp_url": amqp,
            "bus_namespace": namespace,
            "retry_delays": (0.2, 0.4),
            "outbox_sweep_seconds": 0.5,
            "log_json": True,
            **key_settings(key_dir),
            **overrides,
        }
        module = registry.module(name, "app")
        settings = Settings.from_env(name, config)
        runtime = Runtime(settings, registry.metadata(name))
        app = module.create_app(runtime=runtime)
        app.testing = True
        harness = ServiceHarness(name=name, app=app, runtime=runtime)
        harnesses.append(harness)
        return harness

    yield make
    for harness in harnesses:
        harness.close()


# -- a TCP proxy that can cut the broker away ------------------------------------------


@pytest.fixture
def broker_proxy(amqp_url: str) -> Iterator[TcpProxy]:
    parsed = urlsplit(amqp_url)
    proxy = TcpProxy(parsed.hostname or "127.0.0.1", parsed.port or 5672)
    yield proxy
    proxy.close()


# -- every event built during the tests must satisfy the CloudEvents SDK ----------------


@pytest.fixture(autouse=True)
def _cloudevents_sdk_checks_every_event(monkeypatch: pytest.MonkeyPatch) -> None:
    original = events.build

    def checked_build(*args: Any, **kwargs: Any) -> dict[str, Any]:
        event = original(*args, **kwargs)
        check_with_cloudevents_sdk(event)
        return event

    monkeypatch.setattr(events, "build", checked_build)


# -- watching the exchange like a department would --------------------------------------


class ExchangeTap:
    """An exclusive queue bound to the exchange: every event published, in order (parsed JSON).

    Reading `events` (or `drain()`, `of()`, `of_type()`, `types()`) takes what has arrived since;
    `raw` keeps the bodies as they were on the wire and `publish` puts an event on the exchange
    as another service's relay would.
    """

    def __init__(self, amqp_url: str, exchange: str, pattern: str = "#") -> None:
        from kombu import Connection, Exchange, Queue

        self.seen: list[dict[str, Any]] = []
        self.raw: list[bytes] = []
        self.routing_keys: list[str] = []
        self._connection = Connection(amqp_url)
        self._exchange = Exchange(exchange, type="topic", durable=True)
        self._queue = Queue(
            f"tap-{uuid.uuid4().hex[:8]}",
            exchange=self._exchange,
            routing_key=pattern,
            exclusive=True,
            auto_delete=True,
            durable=False,
        )(self._connection.default_channel)
        self._queue.declare()

    def drain(self) -> list[dict[str, Any]]:
        while (message := self._queue.get(no_ack=True)) is not None:
            body = message.body if isinstance(message.body, bytes) else message.body.encode()
            self.raw.append(body)
            self.routing_keys.append(message.delivery_info["routing_key"])
            self.seen.append(json.loads(body))
        return self.seen

    @property
    def events(self) -> list[dict[str, Any]]:
        return self.drain()

    def of(self, routing_key: str) -> list[dict[str, Any]]:
        return [e for key, e in zip(self.routing_keys, self.drain(), strict=True) if key == routing_key]

    def raw_of(self, routing_key: str) -> list[bytes]:
        self.drain()
        return [body for key, body in zip(self.routing_keys, self.raw, strict=True) if key == routing_key]

    def types(self) -> list[str]:
        return [e["type"] for e in self.drain()]

    def of_type(self, event_type: str) -> list[dict[str, Any]]:
        return [e for e in self.drain() if e["type"] == event_type]

    def publish(self, event: dict[str, Any], routing_key: str) -> None:
        from kombu import Producer

        Producer(self._connection.default_channel, exchange=self._exchange).publish(
            events.encode(event),
            routing_key=routing_key,
            content_type=events.CONTENT_TYPE,
            delivery_mode=2,
            message_id=event["id"],
        )

    def close(self) -> None:
        self._connection.release()


@pytest.fixture
def subscribe() -> Iterator[Callable[..., ExchangeTap]]:
    """subscribe(amqp_url, exchange, pattern="#") → an ExchangeTap closed after the test."""
    subscribers: list[ExchangeTap] = []

    def make(amqp_url: str, exchange: str, pattern: str = "#") -> ExchangeTap:
        subscriber = ExchangeTap(amqp_url, exchange, pattern)
        subscribers.append(subscriber)
        return subscriber

    yield make
    for subscriber in subscribers:
        subscriber.close()
