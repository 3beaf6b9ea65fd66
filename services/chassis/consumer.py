"""The idempotent event consumer: inbox, retries with growing delay, dead letters.

For each message, in one database transaction: for every handler bound to the event
name, insert the inbox row (event id, handler) first — if it is already there the
handler applied this event before and is skipped; a concurrent twin blocks on the row
until the first commits — then run the handler. The message is acked only after the
commit. Messages already delivered share one transaction, up to `consumer_batch` of them
(a consumer that is behind commits once per batch); a batch that fails is rolled back and
its messages are handled one at a time. A handler error sends a copy to the next retry
queue (1 s, 5 s, 30 s by default); after the last retry, or at
once for a malformed message, the copy goes to `<service>.events.dead` with the error,
the attempts and the original routing key in its headers.
"""

from __future__ import annotations

import heapq
import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from kombu import Connection, Consumer, Message, Producer
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from . import clock, events
from .backoff import Backoff
from .bus import Bus
from .config import Settings
from .db import Database, OutboxSignal
from .observability import bind_request_id
from .outbox import notify_channel
from .unit_of_work import UnitOfWork

log = logging.getLogger(__name__)


class _Stopping(Exception):
    """The worker is stopping while the database is away: leave the message unacked."""


EventHandler = Callable[[UnitOfWork, dict[str, Any]], None]
HandlerTable = Mapping[str, Sequence[EventHandler]]

H_ATTEMPTS = "x-attempts"
H_ERROR = "x-error"
H_ROUTING_KEY = "x-original-routing-key"
H_REASON = "x-death-reason"
H_FAILED_AT = "x-failed-at"


def handler_name(handler: EventHandler) -> str:
    return getattr(handler, "inbox_name", None) or handler.__qualname__


_CONSUMES_ATTRIBUTE = "community_consumes"


def consumes(pattern: str, why: str) -> Callable[[EventHandler], EventHandler]:
    """Declare, at the handler, an event pattern the service consumes and why.

    Stack it for a handler of several patterns. `ConsumedEvents.of(modules)` collects the
    declarations: the worker's handler table, the broker's bindings and the AsyncAPI
    document are all derived from them, so they cannot drift apart.
    """

    def declare(handler: EventHandler) -> EventHandler:
        declared = handler.__dict__.setdefault(_CONSUMES_ATTRIBUTE, [])
        declared.insert(0, (pattern, why))
        return handler

    return declare


class ConsumedEvents:
    """The events a service consumes, collected from its `@consumes` handlers."""

    def __init__(self, declarations: Sequence[tuple[str, str, EventHandler]]) -> None:
        handlers: dict[str, list[EventHandler]] = {}
        purposes: dict[str, str] = {}
        for pattern, why, handler in declarations:
            handlers.setdefault(pattern, []).append(handler)
            purposes.setdefault(pattern, why)
        self.handlers: HandlerTable = handlers
        self.purposes: Mapping[str, str] = purposes

    @classmethod
    def of(cls, *modules: Any) -> ConsumedEvents:
        """Collect the `@consumes` handlers defined in `modules` (in their order)."""
        declarations: list[tuple[str, str, EventHandler]] = []
        for module in modules:
            for value in vars(module).values():
                if getattr(value, "__module__", None) != module.__name__:
                    continue
                for pattern, why in getattr(value, _CONSUMES_ATTRIBUTE, ()):
                    declarations.append((pattern, why, value))
        return cls(declarations)

    @property
    def patterns(self) -> list[str]:
        """The topic patterns the service's queue is bound to."""
        return sorted(self.handlers)

    def consumes(self, name: str) -> bool:
        """Whether an event of this name reaches one of the handlers."""
        return any(events.topic_matches(pattern, name) for pattern in self.handlers)


class EventProcessor:
    """Applies one parsed event to the handlers bound to its name, exactly once each."""

    def __init__(
        self,
        settings: Settings,
        database: Database,
        handlers: HandlerTable,
        signal: OutboxSignal | None = None,
    ) -> None:
        self.settings = settings
        self.database = database
        self.handlers = handlers
        self.signal = signal
        self.inbox = database.table("inbox")

    def handlers_for(self, name: str) -> list[EventHandler]:
        found: list[EventHandler] = []
        for pattern, handlers in self.handlers.items():
            if events.topic_matches(pattern, name):
                found.extend(h for h in handlers if h not in found)
        return found

    def process(self, event: dict[str, Any]) -> int:
        """Run the event's handlers in one transaction; return how many actually ran."""
        return self.process_batch([event])

    def process_batch(self, batch: Sequence[dict[str, Any]]) -> int:
        """Run each event's handlers, in order, in one transaction; return how many ran.

        One commit for the batch instead of one per event: what a consumer that is behind
        saves. Any failure rolls the whole batch back (the caller then takes the events
        one at a time, so one bad event never holds back the others)."""
        planned = [(event, self.handlers_for(events.event_name(event))) for event in batch]
        for event, handlers in planned:
            if not handlers:
                raise events.MalformedEvent(f"no handler for event type {event['type']!r}")
        ran = 0
        with UnitOfWork(
            self.database,
            source=self.settings.source,
            signal=self.signal,
            notify_channel=notify_channel(self.settings.service),
        ) as uow:
            for number, (event, handlers) in enumerate(planned):
                if number:  # each event's handlers read the rows as they are now, as alone
                    uow.session.flush()
                    uow.session.expire_all()
                uow.correlation_id = event.get("correlationid")
                with bind_request_id(uow.correlation_id):
                    for handler in handlers:
                        if not self._claim_inbox(uow, event, handler_name(handler)):
                            continue  # this handler already applied this event
                        handler(uow, event)
                        ran += 1
            uow.commit()
        return ran

    def _claim_inbox(self, uow: UnitOfWork, event: dict[str, Any], key: str) -> bool:
        """Insert the inbox row first; False if it exists (a concurrent twin waits on it).

        Through the session's connection (SQLAlchemy Core): the same transaction without
        the ORM's statement machinery, which cost more than the insert itself."""
        dialect = postgresql if self.database.is_postgres else sqlite
        inserted = (
            uow.session.connection()
            .execute(
                dialect.insert(self.inbox)
                .values(event_id=event["id"], handler=key, event_type=event["type"], processed_at=clock.now())
                .on_conflict_do_nothing()
                .returning(self.inbox.c.event_id)
            )
            .first()
        )
        return inserted is not None


class EventConsumer:
    """Consumes the service queue with prefetch and manual acks after commit.

    One connection does everything (declaring, consuming, acks, retry and dead-letter
    publishing), reconnected with a short capped backoff when the broker goes away.
    Deliveries are queued by the callback and handled between reads, so waiting for a
    publisher confirm never re-enters a handler. When a handler fails because the
    service's own database is unreachable, the message is neither retried nor counted:
    consumption pauses and the same message is tried again until the database answers.
    """

    def __init__(self, settings: Settings, bus: Bus, processor: EventProcessor) -> None:
        self.settings = settings
        self.bus = bus
        self.processor = processor
        self.connection: Connection | None = None
        self.processed = 0
        self.dead_lettered = 0
        self.paused = 0  # times a handler waited for the database (not counted as attempts)
        self.should_stop = False
        self._delayed: list[tuple[float, int, bytes, dict[str, Any]]] = []
        self._delayed_seq = 0
        self._producer: Producer | None = None
        self._inbound: deque[Message] = deque()
        self._reconnect_backoff = Backoff()
        self.ready = threading.Event()

    def run(self) -> None:
        """Consume until `should_stop`; reconnect quickly whenever the broker goes away."""
        while not self.should_stop:
            connection = self.bus.connect()
            self.connection = connection
            try:
                self.bus.open(connection)
                self._consume(connection)
            except Exception as exc:  # broker away (kombu wraps some errors as its own)
                self.ready.clear()
                delay = self._reconnect_backoff.next_delay()
                log.warning("event consumer reconnecting in %.2fs: %s", delay, exc)
                time.sleep(delay)
            finally:
                self.ready.clear()
                self._inbound.clear()  # unacked deliveries return to the queue with the connection
                self._producer = None
                try:
                    connection.release()
                except Exception:  # already broken: nothing to release
                    pass

    def _consume(self, connection: Connection) -> None:
        queue = self.bus.declare(connection, self.processor.handlers.keys())
        channel = connection.default_channel
        self._producer = Producer(connection.channel())
        consumer = Consumer(
            channel,
            queues=[queue],
            on_message=self._inbound.append,
            prefetch_count=self.settings.consumer_prefetch,
            no_ack=False,
        )
        with consumer:
            self.ready.set()
            self._reconnect_backoff.reset()  # only once consuming: a broker refusing us waits longer
            while not self.should_stop:
                try:
                    connection.drain_events(timeout=0.25)
                except TimeoutError:
                    pass
                while self._inbound and not self.should_stop:
                    self._handle_delivered()
                self._release_due_retries()

    # message handling -----------------------------------------------------------------

    def _handle_delivered(self) -> None:
        """Handle what the broker has already delivered: several messages in one transaction.

        Only messages already here are taken (up to `consumer_batch`), so an idle
        consumer handles each event as soon as it arrives. A batch that fails for any
        reason was rolled back whole; its messages are then handled one at a time, with
        the retries, dead letters and outage pauses of `on_message`."""
        size = max(1, min(self.settings.consumer_batch, len(self._inbound)))
        batch = [self._inbound.popleft() for _ in range(size)]
        if len(batch) > 1:
            parsed: list[dict[str, Any]] = []
            try:
                parsed = [events.parse(message.body) for message in batch]
                self.processor.process_batch(parsed)
            except Exception as exc:  # noqa: BLE001 - each message is then handled alone
                if parsed:
                    log.info("batch of %d events handled one at a time: %s", len(batch), exc)
            else:
                if self.bus.is_memory:  # kombu's in-process transport ignores `multiple`
                    for message in batch:
                        message.ack()
                else:  # every earlier delivery is settled (handled in order): one ack covers all
                    batch[-1].ack(multiple=True)
                self.processed += len(batch)
                return
        for index, message in enumerate(batch):
            if self.should_stop:  # the rest return to the queue with the connection
                self._inbound.extendleft(reversed(batch[index:]))
                return
            self.on_message(message)

    def on_message(self, message: Message) -> None:
        headers = dict(message.headers or {})
        routing_key = headers.get(H_ROUTING_KEY) or message.delivery_info.get("routing_key", "")
        try:
            event = events.parse(message.body)
        except events.MalformedEvent as exc:
            self._dead_letter(message, headers, routing_key, str(exc), reason="malformed")
            return
        try:
            self._process_through_outages(event)
        except _Stopping:
            return  # not acked: the message returns to the queue when we disconnect
        except events.MalformedEvent as exc:
            self._dead_letter(message, headers, routing_key, str(exc), reason="malformed")
            return
        except Exception as exc:  # handler failed: retry later or dead-letter
            attempts = int(headers.get(H_ATTEMPTS, 0)) + 1
            error = f"{type(exc).__name__}: {exc}"[:2000]
            log.warning("handler failed for %s (attempt %d): %s", event.get("type"), attempts, error)
            if attempts > len(self.settings.retry_delays):
                self._dead_letter(
                    message, {**headers, H_ATTEMPTS: attempts}, routing_key, error, reason="handler-failed"
                )
            else:
                self._retry(message, headers, routing_key, attempts, error)
            return
        message.ack()
        self.processed += 1

    def _process_through_outages(self, event: dict[str, Any]) -> None:
        """Process `event`; while the database is unreachable, wait and try again (not counted)."""
        backoff = Backoff()
        while True:
            try:
                self.processor.process(event)
                return
            except Exception as exc:
                if not self._database_unavailable(exc):
                    raise
                self.paused += 1
                delay = backoff.next_delay()
                log.warning("database unavailable; consumption paused, retrying in %.2fs: %s", delay, exc)
                time.sleep(delay)
                if self.should_stop:
                    raise _Stopping from exc

    def _database_unavailable(self, exc: Exception) -> bool:
        """Whether `exc` came from the service's database being unreachable (not the event)."""
        if not isinstance(exc, DBAPIError):
            return False
        if exc.connection_invalidated:
            return True
        if not isinstance(exc, OperationalError | InterfaceError):
            return False
        try:
            self.processor.database.ping()
        except Exception:
            return True
        return False

    def _dead_letter(
        self, message: Message, headers: dict[str, Any], routing_key: str, error: str, *, reason: str
    ) -> None:
        headers.update(
            {
                H_ERROR: error[:2000],
                H_ROUTING_KEY: routing_key,
                H_REASON: reason,
                H_FAILED_AT: clock.now().isoformat(),
            }
        )
        headers.setdefault(H_ATTEMPTS, 0)
        self._publish_to_queue(
            message.body, self.bus.dead_queue().name, headers, message.properties.get("message_id")
        )
        message.ack()
        self.dead_lettered += 1
        log.error("dead-lettered %s: %s", routing_key, error)

    def _retry(
        self, message: Message, headers: dict[str, Any], routing_key: str, attempts: int, error: str
    ) -> None:
        headers.update({H_ATTEMPTS: attempts, H_ERROR: error, H_ROUTING_KEY: routing_key})
        if self.bus.is_memory:
            delay = self.settings.retry_delays[attempts - 1]
            self._delayed_seq += 1
            heapq.heappush(
                self._delayed, (time.monotonic() + delay, self._delayed_seq, message.body, headers)
            )
        else:
            queue = self.bus.retry_queues()[attempts - 1]
            self._publish_to_queue(message.body, queue.name, headers, message.properties.get("message_id"))
        message.ack()

    def _release_due_retries(self) -> None:
        now = time.monotonic()
        while self._delayed and self._delayed[0][0] <= now:
            _, _, body, headers = heapq.heappop(self._delayed)
            self._publish_to_queue(body, self.settings.queue_name("events"), headers, None)

    def _publish_to_queue(
        self, body: bytes | str, queue: str, headers: dict[str, Any], message_id: str | None
    ) -> None:
        assert self._producer is not None
        self._producer.publish(
            body if isinstance(body, bytes) else body.encode(),
            exchange="",
            routing_key=queue,
            content_type=events.CONTENT_TYPE,
            content_encoding="utf-8",
            delivery_mode=2,
            headers=headers,
            message_id=message_id,
            retry=False,
        )
