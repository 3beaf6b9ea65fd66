"""The real PostgreSQL and RabbitMQ the integration tests use, or why a test cannot run.

Real PostgreSQL and RabbitMQ are *required* when `COMMUNITY_REQUIRE_SERVICES=1` (CI
sets it): a test that needs one fails when it is unreachable. Without the variable
such a test is skipped with the reason shown.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from sqlalchemy import create_engine, pool, text
from sqlalchemy.engine import make_url

from deploy import registry
from deploy.stack import Stack, StackConfig
from services.chassis import migrations

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
                migrations.upgrade(registry.migrations(service), self._url(name))
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


@contextmanager
def running_stack(
    rabbit_vhost: RabbitVhost, data_dir: Path, name: str, *, timeout: float, **options: Any
) -> Iterator[Stack]:
    """The local stack (deploy/stack.py) on the real servers, ready at /readyz: its own databases
    (dropped when it stops), its own exchange, free ports; `options` go to its StackConfig."""
    need("postgres")
    config = StackConfig(
        postgres_url=postgres_admin_url(),
        amqp_url=rabbit_vhost.url,
        service_port_base=0,
        gateway_port=0,
        database_prefix=f"{name}_{uuid.uuid4().hex[:8]}_",
        data_dir=data_dir,
        bus_namespace=f"{name}{uuid.uuid4().hex[:8]}",
        drop_databases_on_stop=True,
        **options,
    )
    stack = Stack(config)
    try:
        stack.start()
        stack.wait_ready(timeout=timeout)
        yield stack
    finally:
        stack.stop()
