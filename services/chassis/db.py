"""Database engine, shared column types, the chassis tables and the unit of work."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import sessionmaker
from sqlalchemy.sql import Executable
from sqlalchemy.types import TypeDecorator

from . import clock
from .reference_cache import ReferenceCache

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

BigId = BigInteger().with_variant(Integer(), "sqlite")
JsonDocument = JSON().with_variant(JSONB(), "postgresql")


class UtcDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always returned timezone-aware (SQLite too)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use timezone-aware UTC")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


clock.now = clock.now


def service_metadata() -> MetaData:
    """A service's MetaData, already holding the chassis tables (outbox, inbox, ...)."""
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    outbox = Table(
        "outbox",
        metadata,
        Column("id", BigId, primary_key=True, autoincrement=True),
        Column("event_id", String(36), nullable=False, unique=True),
        Column("type", String(200), nullable=False),
        Column("routing_key", String(200), nullable=False),
        Column("subject", String(200), nullable=False),
        Column("body", Text, nullable=False),
        Column("created_at", UtcDateTime, nullable=False),
        Column("sent_at", UtcDateTime, nullable=True),
        Column("attempts", Integer, nullable=False, server_default="0"),
        Column("last_error", Text, nullable=True),
    )
    Index(
        "ix_outbox_unsent",
        outbox.c.id,
        postgresql_where=outbox.c.sent_at.is_(None),
        sqlite_where=outbox.c.sent_at.is_(None),
    )
    Index("ix_outbox_sent_at", outbox.c.sent_at)
    Table(
        "aggregate_sequences",
        metadata,
        Column("subject", String(200), primary_key=True),
        Column("last_sequence", BigInteger, nullable=False),
    )
    Table(
        "number_series",
        metadata,
        Column("scope", String(200), primary_key=True),
        Column("last", BigInteger, nullable=False),
    )
    Table(
        "inbox",
        metadata,
        Column("event_id", String(36), primary_key=True),
        Column("handler", String(200), primary_key=True),
        Column("event_type", String(200), nullable=False),
        Column("processed_at", UtcDateTime, nullable=False),
    )
    Table(
        "idempotency_keys",
        metadata,
        Column("principal", String(200), primary_key=True),
        Column("key", String(200), primary_key=True),
        Column("method", String(10), nullable=False),
        Column("path", String(500), nullable=False),
        Column("request_hash", String(64), nullable=False),
        Column("status_code", Integer, nullable=True),
        Column("body", Text, nullable=True),
        Column("headers", JsonDocument, nullable=True),
        Column("created_at", UtcDateTime, nullable=False),
    )
    return metadata


def lost_connection(exc: BaseException) -> bool:
    """Whether `exc` is the database connection being lost (the statement did not apply)."""
    return isinstance(exc, DBAPIError) and bool(exc.connection_invalidated)


def normalize_url(url: str) -> URL:
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


class Database:
    """One engine and session factory for one service (never at module level)."""

    def __init__(
        self,
        url: str,
        metadata: MetaData,
        *,
        pool_size: int = 10,
        echo: bool = False,
        reference_cache_seconds: float = 5.0,
    ) -> None:
        self.url = normalize_url(url)
        self.metadata = metadata
        self.reference_cache = ReferenceCache(reference_cache_seconds)
        if self.is_sqlite:
            self.engine = _sqlite_engine(self.url, echo)
        else:
            self.engine = create_engine(
                self.url,
                pool_size=pool_size,
                max_overflow=pool_size * 2,
                # A pooled connection the server closed (database restart, fail-over) is
                # found at checkout and replaced, instead of failing its request.
                pool_pre_ping=True,
                pool_recycle=1800,
                echo=echo,
                # Errors quote the statement, never its values (phones, names, ID numbers):
                # their text reaches logs and dead-letter headers.
                hide_parameters=True,
            )
        self.sessionmaker = sessionmaker(self.engine, expire_on_commit=False)
        self._kept = threading.local()
        self._kept_connections: list[Connection] = []
        self._kept_lock = threading.Lock()

    def table(self, name: str) -> Table:
        return self.metadata.tables[name]

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @property
    def is_postgres(self) -> bool:
        return self.url.get_backend_name() == "postgresql"

    def ping(self) -> None:
        with self.engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    def autocommit_scalar(self, statement: Executable, parameters: dict[str, Any] | None = None) -> Any:
        """Run one statement as a transaction of its own and return its one value.

        It runs on a connection this thread keeps in autocommit mode: no pool checkout, no
        ping, no BEGIN/COMMIT round trips (the ticket number's counter, taken on every
        ticket). A connection found lost is replaced and the statement sent once more; if
        the first one had applied, its value is skipped (a gap, like a database sequence)."""
        for attempt in (1, 2):
            connection = self._kept_connection()
            try:
                return connection.execute(statement, parameters).scalar_one()
            except DBAPIError as exc:
                self._forget_kept(connection)
                if attempt == 2 or not exc.connection_invalidated:
                    raise
        raise AssertionError("unreachable")

    def _kept_connection(self) -> Connection:
        connection: Connection | None = getattr(self._kept, "connection", None)
        if connection is None or connection.closed or connection.invalidated:
            connection = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            self._kept.connection = connection
            with self._kept_lock:
                self._kept_connections.append(connection)
        return connection

    def _forget_kept(self, connection: Connection) -> None:
        self._kept.connection = None
        with self._kept_lock:
            if connection in self._kept_connections:
                self._kept_connections.remove(connection)
        connection.close()

    def dispose(self) -> None:
        with self._kept_lock:
            kept, self._kept_connections = self._kept_connections, []
        for connection in kept:
            connection.close()
        self.engine.dispose()


def _sqlite_engine(url: URL, echo: bool) -> Engine:
    if url.database and url.database != ":memory:":
        from pathlib import Path

        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url, connect_args={"check_same_thread": False, "timeout": 30}, echo=echo, hide_parameters=True
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # IMMEDIATE takes the write lock up front: no deadlock when a reader upgrades.
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


class OutboxSignal:
    """Wakes the relay of this process right after a commit that recorded events."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def wake(self) -> None:
        self._event.set()

    def wait(self, timeout: float) -> bool:
        woken = self._event.wait(timeout)
        self._event.clear()
        return woken
