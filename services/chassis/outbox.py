"""Transactional outbox: events recorded with the state change, published by a relay.

`record()` runs inside a unit of work. The `Relay` publishes unsent rows in outbox
order with publisher confirms and marks them sent. Several relays may share one
PostgreSQL outbox: each claims rows with `FOR UPDATE SKIP LOCKED` and holds back a
row while an earlier row of the same aggregate is claimed by another relay, so
events of one aggregate always leave in order.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.dialects import postgresql, sqlite

from . import clock, events
from .backoff import Backoff
from .bus import Outgoing
from .db import Database, OutboxSignal

if TYPE_CHECKING:
    from .bus import Bus
    from .config import Settings


class Transaction(Protocol):
    """What recording an event needs of the unit of work it runs in."""

    database: Database
    session: Any
    source: str
    correlation_id: str | None
    notify_channel: str | None
    emitted: list[dict[str, Any]]


log = logging.getLogger(__name__)


def notify_channel(service: str) -> str:
    return f"outbox_{service}"


def next_sequence(uow: Transaction, subject: str) -> int:
    """Increase and return the aggregate's event sequence (row-locks the aggregate)."""
    table = uow.database.table("aggregate_sequences")
    dialect = postgresql if uow.database.is_postgres else sqlite
    statement = (
        dialect.insert(table)
        .values(subject=subject, last_sequence=1)
        .on_conflict_do_update(
            index_elements=[table.c.subject], set_={"last_sequence": table.c.last_sequence + 1}
        )
        .returning(table.c.last_sequence)
    )
    return int(uow.session.execute(statement).scalar_one())


def record(
    uow: Transaction,
    event_type: events.EventType,
    *,
    subject: str,
    community: str | None,
    data: dict[str, Any],
    time: datetime | None = None,
) -> dict[str, Any]:
    """Validate and write one event into this transaction's outbox."""
    postgres = uow.database.is_postgres
    event = events.build(
        event_type,
        source=uow.source,
        subject=subject,
        community=community,
        data=data,
        sequence=0 if postgres else next_sequence(uow, subject),
        correlation_id=uow.correlation_id,
        time=time,
    )
    if postgres:
        event["sequence"] = str(_record_in_one_round_trip(uow, event, event_type.name))
        return event
    uow.session.execute(
        uow.database.table("outbox")
        .insert()
        .values(
            event_id=event["id"],
            type=event["type"],
            routing_key=event_type.name,
            subject=subject,
            body=events.encode(event).decode(),
            created_at=clock.now(),
        )
    )
    return event


# On PostgreSQL the aggregate's sequence, the outbox row and the wake-up notice (first
# event of the transaction only; its payload names this process, whose own relay was
# already woken in-process) are one statement: one round trip per event instead of three.
_RECORD_POSTGRES = text("""
WITH seq AS (
    INSERT INTO aggregate_sequences (subject, last_sequence) VALUES (:subject, 1)
    ON CONFLICT (subject) DO UPDATE SET last_sequence = aggregate_sequences.last_sequence + 1
    RETURNING last_sequence
), notified AS (
    SELECT pg_notify(:channel, :pid) WHERE :notify
)
INSERT INTO outbox (event_id, type, routing_key, subject, body, created_at)
SELECT :event_id, :type, :routing_key, :subject,
       jsonb_set(CAST(:body AS jsonb), '{sequence}', to_jsonb(CAST(seq.last_sequence AS text)))::text,
       :created_at
FROM seq CROSS JOIN (SELECT count(*) FROM notified) AS wake
RETURNING (SELECT last_sequence FROM seq)
""")


def _record_in_one_round_trip(uow: Transaction, event: dict[str, Any], routing_key: str) -> int:
    notify = bool(uow.notify_channel) and not uow.emitted
    return int(
        uow.session.execute(
            _RECORD_POSTGRES,
            {
                "subject": event["subject"],
                "channel": uow.notify_channel or "",
                "pid": str(os.getpid()),
                "notify": notify,
                "event_id": event["id"],
                "type": event["type"],
                "routing_key": routing_key,
                "body": events.encode(event).decode(),
                "created_at": clock.now(),
            },
        ).scalar_one()
    )


class Relay:
    """Publishes the outbox to the exchange; woken after commits, sweeping on a timer."""

    def __init__(self, settings: Settings, database: Database, bus: Bus, signal: OutboxSignal) -> None:
        self.settings = settings
        self.database = database
        self.bus = bus
        self.signal = signal
        self.outbox = database.table("outbox")
        self.published = 0
        self._last_prune = 0.0

    def run(self, stop: threading.Event) -> None:
        """Publish until `stop` is set; reconnect with a short capped backoff when the broker goes away."""
        backoff = Backoff()
        listener = _PostgresListener(self.settings, self.database, self.signal, stop)
        listener.start()
        try:
            while not stop.is_set():
                try:
                    count = self.publish_pending()
                    backoff.reset()
                    self._prune_if_due()
                    if count < self.settings.outbox_batch_size:
                        self.signal.wait(self.settings.outbox_sweep_seconds)
                except Exception as exc:  # broker or database away: keep rows, retry soon
                    delay = backoff.next_delay()
                    log.warning("outbox relay paused: %s", exc, extra={"retry_in": round(delay, 2)})
                    self.bus.reset_publisher()
                    stop.wait(delay)
        finally:
            listener.stop()
            self.bus.reset_publisher()

    def publish_pending(self) -> int:
        """Publish one batch of unsent events in outbox order; return how many were sent."""
        with self.database.engine.connect() as connection, connection.begin():
            rows = self._claim(connection)
            if not rows:
                return 0
            self.bus.publish_many(
                [Outgoing(row.body.encode(), row.routing_key, row.event_id) for row in rows]
            )
            if self.database.is_postgres:
                # Losing the "sent" mark only means a republish (consumers dedupe), so
                # the relay's own commit need not wait for the WAL flush.
                connection.execute(text("SET LOCAL synchronous_commit = off"))
            sent = [row.id for row in rows]
            connection.execute(
                update(self.outbox).where(self.outbox.c.id.in_(sent)).values(sent_at=clock.now())
            )
            self.published += len(sent)
        return len(sent)

    def _claim(self, connection: Any) -> list[Any]:
        columns = (
            self.outbox.c.id,
            self.outbox.c.event_id,
            self.outbox.c.routing_key,
            self.outbox.c.subject,
            self.outbox.c.body,
        )
        query = (
            select(*columns)
            .where(self.outbox.c.sent_at.is_(None))
            .order_by(self.outbox.c.id)
            .limit(self.settings.outbox_batch_size)
        )
        if not self.database.is_postgres:
            return list(connection.execute(query))
        first_unsent = (
            select(func.min(self.outbox.c.id))
            .where(self.outbox.c.sent_at.is_(None))
            .scalar_subquery()
            .label("first_unsent")
        )
        rows = list(
            connection.execute(
                query.add_columns(first_unsent).with_for_update(skip_locked=True, of=self.outbox)
            )
        )
        if rows and rows[0].id != rows[0].first_unsent:
            # Another relay holds earlier rows: keep aggregates in order.
            rows = self._hold_back_out_of_order(connection, rows)
        return rows

    def _hold_back_out_of_order(self, connection: Any, rows: list[Any]) -> list[Any]:
        """Drop rows whose aggregate has an earlier unsent row claimed by another relay."""
        mine = [row.id for row in rows]
        subjects = {row.subject for row in rows}
        blocking = connection.execute(
            select(self.outbox.c.subject, self.outbox.c.id).where(
                self.outbox.c.sent_at.is_(None),
                self.outbox.c.id < max(mine),
                self.outbox.c.subject.in_(subjects),
                self.outbox.c.id.not_in(mine),
            )
        ).all()
        if not blocking:
            return rows
        first_blocked: dict[str, int] = {}
        for subject, row_id in blocking:
            first_blocked[subject] = min(row_id, first_blocked.get(subject, row_id))
        return [row for row in rows if row.id < first_blocked.get(row.subject, row.id + 1)]

    def _prune_if_due(self) -> None:
        now = time.monotonic()
        if now - self._last_prune < 600:
            return
        self._last_prune = now
        removed = prune(self.database, self.settings.outbox_retention_hours)
        if removed:
            log.info("pruned %d sent outbox rows", removed)


def prune(database: Database, retention_hours: float) -> int:
    """Delete sent outbox rows older than the retention period (and old inbox/idempotency rows)."""
    metadata = database.metadata
    cutoff = clock.now() - timedelta(hours=retention_hours)
    with database.engine.begin() as connection:
        outbox = metadata.tables["outbox"]
        removed = connection.execute(
            delete(outbox).where(outbox.c.sent_at.is_not(None), outbox.c.sent_at < cutoff)
        ).rowcount
        inbox = metadata.tables["inbox"]
        connection.execute(delete(inbox).where(inbox.c.processed_at < clock.now() - timedelta(days=30)))
        keys = metadata.tables["idempotency_keys"]
        connection.execute(delete(keys).where(keys.c.created_at < clock.now() - timedelta(days=7)))
    return int(removed or 0)


class _PostgresListener:
    """LISTENs on the service's outbox channel so commits in other processes wake us."""

    def __init__(
        self, settings: Settings, database: Database, signal: OutboxSignal, stop: threading.Event
    ) -> None:
        self.settings = settings
        self.database = database
        self.signal = signal
        self.stop_event = stop
        self._thread: threading.Thread | None = None
        self._stopped = threading.Event()

    def start(self) -> None:
        if not self.database.is_postgres:
            return
        self._thread = threading.Thread(target=self._listen, name="outbox-listen", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()

    def _listen(self) -> None:
        import psycopg

        dsn = self.database.url.set(drivername="postgresql").render_as_string(hide_password=False)
        channel = notify_channel(self.settings.service)
        own_pid = str(os.getpid())
        while not (self._stopped.is_set() or self.stop_event.is_set()):
            try:
                with psycopg.connect(dsn, autocommit=True) as connection:
                    connection.execute(f'LISTEN "{channel}"')
                    while not (self._stopped.is_set() or self.stop_event.is_set()):
                        for notice in connection.notifies(timeout=1.0, stop_after=1):
                            if notice.payload != own_pid:
                                self.signal.wake()
            except Exception as exc:
                log.warning("outbox listener reconnecting: %s", exc)
                self._stopped.wait(1.0)
