"""Test helpers shared by every service's tests (a pytest plugin).

- Real PostgreSQL and RabbitMQ are *required* when `COMMUNITY_REQUIRE_SERVICES=1`
  (CI sets it): a test that needs one fails when it is unreachable. Without the
  variable such a test is skipped with the reason shown.
- `service` builds a service app on a freshly migrated database (SQLite by default,
  PostgreSQL with `backend="postgres"`), on the in-memory bus or on a RabbitMQ vhost
  of this test session.
- `token` signs real RS256 tokens with a key pair made for the session.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from sqlalchemy import create_engine, pool, select, text
from sqlalchemy.engine import make_url

from . import auth, events, migrations, registry
from .app import Runtime
from .config import COMMUNITIES, Settings

REQUIRE_ENV = "COMMUNITY_REQUIRE_SERVICES"
POSTGRES_ENV = "TEST_POSTGRES_URL"
AMQP_ENV = "TEST_AMQP_URL"
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"
DEFAULT_AMQP = "amqp://guest:guest@127.0.0.1:5672/"
RUN_ID = uuid.uuid4().hex[:8]


def services_required() -> bool:
    return os.environ.get(REQUIRE_ENV, "") in ("1", "true", "yes")


def _tcp_open(url: str, default_port: int) -> bool:
    parsed = urlsplit(url)
    host = parsed.hostname or "127.0.0.1"
    port = parsed.port or default_port
    try:
        with socket.create_connection((host, port), timeout=1.0):
            return True
    except OSError:
        return False


def unavailable(message: str) -> None:
    """Something a test needs is missing: fail when CI requires services, else skip."""
    if services_required():
        pytest.fail(f"{message} and {REQUIRE_ENV}=1 requires it")
    pytest.skip(f"{message} (set {REQUIRE_ENV}=1 to make this a failure)")


def need(kind: str) -> None:
    """Skip (or fail, when services are required) unless `kind` is reachable."""
    url = postgres_admin_url() if kind == "postgres" else amqp_base_url()
    port = 5432 if kind == "postgres" else 5672
    if not _tcp_open(url, port):
        unavailable(f"{kind} is not reachable at {url}")


def postgres_admin_url() -> str:
    return os.environ.get(POSTGRES_ENV, DEFAULT_POSTGRES)


def amqp_base_url() -> str:
    return os.environ.get(AMQP_ENV, DEFAULT_AMQP)


# -- PostgreSQL ------------------------------------------------------------------------


class PostgresDatabases:
    """Creates migrated template databases once per service, then a copy per test."""

    def __init__(self) -> None:
        self.admin_url = make_url(postgres_admin_url()).set(drivername="postgresql+psycopg")
        self.engine = create_engine(self.admin_url, poolclass=pool.NullPool, isolation_level="AUTOCOMMIT")
        self.templates: dict[str, str] = {}
        self.created: list[str] = []
        self._lock = threading.Lock()

    def _url(self, database: str) -> str:
        return self.admin_url.set(database=database).render_as_string(hide_password=False)

    def _create(self, name: str, template: str | None = None) -> None:
        with self.engine.connect() as connection:
            clause = f' TEMPLATE "{template}"' if template else ""
            connection.execute(text(f'CREATE DATABASE "{name}"{clause}'))
        self.created.append(name)

    def template(self, service: str) -> str:
        with self._lock:
            if service not in self.templates:
                name = f"t_{RUN_ID}_{service}_tpl"
                self._create(name)
                migrations.upgrade(service, self._url(name))
                self.templates[service] = name
            return self.templates[service]

    def fresh(self, service: str) -> str:
        """URL of a new database holding `service`'s schema at head."""
        template = self.template(service)
        name = f"t_{RUN_ID}_{service}_{uuid.uuid4().hex[:8]}"
        with self._lock:
            self._create(name, template)
        return self._url(name)

    def empty(self, label: str = "db") -> str:
        name = f"t_{RUN_ID}_{label}_{uuid.uuid4().hex[:8]}"
        with self._lock:
            self._create(name)
        return self._url(name)

    def drop_all(self) -> None:
        with self.engine.connect() as connection:
            for name in reversed(self.created):
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.engine.dispose()


@pytest.fixture(scope="session")
def postgres_databases() -> Iterator[PostgresDatabases]:
    need("postgres")
    databases = PostgresDatabases()
    yield databases
    databases.drop_all()


# -- RabbitMQ --------------------------------------------------------------------------


class RabbitVhost:
    """A RabbitMQ vhost for this test session (deleted at the end), or '/' as a fallback."""

    def __init__(self) -> None:
        self.name = f"t-{RUN_ID}"
        self.rabbitmqctl = shutil.which("rabbitmqctl")
        self.created = False
        base = urlsplit(amqp_base_url())
        if self.rabbitmqctl and base.hostname in ("127.0.0.1", "localhost"):
            self._ctl("add_vhost", self.name)
            self._ctl("set_permissions", "-p", self.name, base.username or "guest", ".*", ".*", ".*")
            self.created = True

    def _ctl(self, *args: str) -> None:
        subprocess.run(
            [self.rabbitmqctl or "rabbitmqctl", *args], check=True, capture_output=True, timeout=60
        )

    @property
    def url(self) -> str:
        base = amqp_base_url().rstrip("/")
        return f"{base}/{quote(self.name, safe='')}" if self.created else amqp_base_url()

    def delete(self) -> None:
        if self.created:
            self._ctl("delete_vhost", self.name)


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


def key_settings(key_dir: Path) -> dict[str, Any]:
    return {
        "jwt_private_key_path": key_dir / "jwt-private.pem",
        "jwt_public_key_path": key_dir / "jwt-public.pem",
        "jwt_jwks_url": None,
    }


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


def bearer(token_value: str, **headers: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token_value}", **headers}


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
                migrations.upgrade(service, f"sqlite:///{path}")
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


def wait_for(
    predicate: Callable[[], Any], timeout: float = 10.0, interval: float = 0.02, message: str = "condition"
) -> Any:
    """Poll until `predicate()` is truthy; fail the test with `message` on timeout."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout}s waiting for {message}")
        time.sleep(interval)


def assert_problem(
    response: Any,
    status: int,
    *,
    type_suffix: str | None = None,
    detail_contains: str | None = None,
    field: str | None = None,
) -> dict[str, Any]:
    """Assert a problem+json response and return its body."""
    assert response.status_code == status, (response.status_code, response.get_data(as_text=True))
    assert response.content_type == "application/problem+json", response.content_type
    body = response.get_json(force=True)
    assert body["status"] == status
    assert body["title"]
    assert body["type"]
    if type_suffix is not None:
        assert body["type"].endswith(type_suffix), body
    if detail_contains is not None:
        assert detail_contains in body.get("detail", ""), body
    if field is not None:
        assert field in body.get("errors", {}), body
    return body


# -- a TCP proxy that can cut the broker away ------------------------------------------


class TcpProxy:
    """Forwards a local port to a target; `cut()` drops every connection and refuses new
    ones until `restore()` — a broker outage for one client, without stopping the broker."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self._server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._server.bind(("127.0.0.1", 0))
        self._server.listen(64)
        self.port = self._server.getsockname()[1]
        self._open = threading.Event()
        self._open.set()
        self._closed = False
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True, name="tcp-proxy").start()

    def url_for(self, amqp_url: str) -> str:
        parsed = urlsplit(amqp_url)
        netloc = parsed.netloc.rsplit("@", 1)
        auth_part = netloc[0] + "@" if len(netloc) == 2 else ""
        return parsed._replace(netloc=f"{auth_part}127.0.0.1:{self.port}").geturl()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            if not self._open.is_set():
                client.close()
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self._lock:
                self._sockets.update((client, upstream))
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                s.close()

    def cut(self) -> None:
        self._open.clear()
        with self._lock:
            sockets, self._sockets = list(self._sockets), set()
        for s in sockets:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()

    def restore(self) -> None:
        self._open.set()

    def close(self) -> None:
        self._closed = True
        self.cut()
        self._server.close()


@pytest.fixture
def broker_proxy(amqp_url: str) -> Iterator[TcpProxy]:
    parsed = urlsplit(amqp_url)
    proxy = TcpProxy(parsed.hostname or "127.0.0.1", parsed.port or 5672)
    yield proxy
    proxy.close()


# -- every event built during the tests must satisfy the CloudEvents SDK ----------------


def check_with_cloudevents_sdk(event: dict[str, Any]) -> None:
    """Parse `event` with the official CloudEvents Python SDK; raise if it refuses it."""
    from cloudevents.core.formats.json import JSONFormat
    from cloudevents.core.v1.event import CloudEvent

    parsed = JSONFormat().read(CloudEvent, events.encode(event))
    if parsed.get_id() != event["id"] or parsed.get_type() != event["type"]:
        raise AssertionError(f"CloudEvents SDK read back a different event: {parsed}")
    if parsed.get_source() != event["source"] or parsed.get_data() != event.get("data"):
        raise AssertionError(f"CloudEvents SDK read back different source/data: {parsed}")


@pytest.fixture(autouse=True)
def _cloudevents_sdk_checks_every_event(monkeypatch: pytest.MonkeyPatch) -> None:
    original = events.build

    def checked_build(*args: Any, **kwargs: Any) -> dict[str, Any]:
        event = original(*args, **kwargs)
        check_with_cloudevents_sdk(event)
        return event

    monkeypatch.setattr(events, "build", checked_build)


# -- watching the exchange like a department would --------------------------------------


class EventSubscriber:
    """Binds an exclusive queue to the exchange and collects every event (parsed JSON)."""

    def __init__(self, amqp_url: str, exchange: str, pattern: str = "#") -> None:
        from kombu import Connection, Exchange, Queue

        self.events: list[dict[str, Any]] = []
        self.raw: list[bytes] = []
        self._connection = Connection(amqp_url)
        self._exchange = Exchange(exchange, type="topic", durable=True)
        self._queue = Queue(
            f"sub-{uuid.uuid4().hex[:8]}",
            exchange=self._exchange,
            routing_key=pattern,
            exclusive=True,
            auto_delete=True,
            durable=False,
        )
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="subscriber")
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("subscriber did not start")

    def _run(self) -> None:
        import json as json_module

        with self._connection as connection:
            channel = connection.channel()
            self._exchange(channel).declare()

            def on_message(message: Any) -> None:
                body = message.body if isinstance(message.body, bytes) else message.body.encode()
                self.raw.append(body)
                self.events.append(json_module.loads(body))
                message.ack()

            with connection.Consumer(self._queue, channel=channel, on_message=on_message):
                self._ready.set()
                while not self._stop.is_set():
                    try:
                        connection.drain_events(timeout=0.2)
                    except TimeoutError:
                        continue

    def types(self) -> list[str]:
        return [e["type"] for e in self.events]

    def of_type(self, event_type: str) -> list[dict[str, Any]]:
        return [e for e in self.events if e["type"] == event_type]

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)


@pytest.fixture
def subscribe() -> Iterator[Callable[..., EventSubscriber]]:
    """subscribe(amqp_url, exchange, pattern="#") → an EventSubscriber closed after the test."""
    subscribers: list[EventSubscriber] = []

    def make(amqp_url: str, exchange: str, pattern: str = "#") -> EventSubscriber:
        subscriber = EventSubscriber(amqp_url, exchange, pattern)
        subscribers.append(subscriber)
        return subscriber

    yield make
    for subscriber in subscribers:
        subscriber.close()
