"""The event bus on kombu: topology of the `community.events` exchange and publishing.

RabbitMQ in production (publisher confirms, durable or quorum queues, TTL retry
queues that dead-letter back into the service queue); kombu's in-memory transport in
the embedded mode, where retries are delayed by a timer instead.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kombu import Connection, Exchange, Producer, Queue, binding

from .config import Settings
from .events import CONTENT_TYPE

DEFAULT_EXCHANGE = Exchange("", type="direct")


@dataclass(frozen=True)
class Outgoing:
    """One message to publish: body, routing key, message id (and exchange, headers)."""

    body: bytes
    routing_key: str
    message_id: str
    exchange: Exchange | str | None = None
    headers: Mapping[str, Any] | None = None


class Bus:
    """Connections, topology and confirmed publishing for one service."""

    def __init__(self, settings: Settings) -> None:
        if not settings.amqp_url:
            raise ValueError("AMQP_URL is not configured")
        self.settings = settings
        self.exchange = Exchange(settings.exchange_name, type="topic", durable=True)
        self._lock = threading.Lock()
        self._connection: Connection | None = None
        self._producer: Producer | None = None
        self._next_tag = 1
        self._unconfirmed: set[int] = set()
        self._refused = False

    @property
    def is_memory(self) -> bool:
        return self.settings.amqp_url.startswith("memory://")

    def connect(self) -> Connection:
        """A new connection (publisher confirms on for AMQP)."""
        if self.is_memory:
            return Connection("memory://localhost/", transport_options={"polling_interval": 0.005})
        return Connection(
            self.settings.amqp_url,
            transport_options={"confirm_publish": True},
            connect_timeout=5,
            heartbeat=0,
        )

    def open(self, connection: Connection) -> Connection:
        """Connect `connection` now, or raise at once (the caller owns the backoff)."""
        connection.ensure_connection(max_retries=0)
        return connection

    # -- topology ---------------------------------------------------------------------

    def _queue_arguments(self, **extra: Any) -> dict[str, Any]:
        arguments: dict[str, Any] = dict(extra)
        if self.settings.quorum_queues and not self.is_memory:
            arguments["x-queue-type"] = "quorum"
        return arguments

    def service_queue(self, patterns: Iterable[str]) -> Queue:
        """The service's durable queue, bound to the event names (topic patterns) it handles."""
        bindings = [binding(self.exchange, routing_key=p) for p in sorted(set(patterns))]
        return Queue(
            self.settings.queue_name("events"),
            bindings=bindings,
            durable=True,
            queue_arguments=self._queue_arguments() or None,
        )

    def retry_queues(self) -> list[Queue]:
        """One delay queue per retry step; expired messages return to the service queue."""
        main = self.settings.queue_name("events")
        queues = []
        for step, delay in enumerate(self.settings.retry_delays, start=1):
            arguments = {
                "x-message-ttl": int(delay * 1000),
                "x-dead-letter-exchange": "",
                "x-dead-letter-routing-key": main,
            }
            queues.append(
                Queue(
                    f"{main}.retry.{step}", durable=True, queue_arguments=self._queue_arguments(**arguments)
                )
            )
        return queues

    def dead_queue(self) -> Queue:
        name = self.settings.queue_name("events.dead")
        return Queue(name, durable=True, queue_arguments=self._queue_arguments() or None)

    def declare(self, connection: Connection, patterns: Iterable[str] = ()) -> Queue | None:
        """Declare the exchange and, when `patterns` are given, the service's queues."""
        channel = connection.default_channel
        self.exchange(channel).declare()
        patterns = list(patterns)
        if not patterns:
            return None
        main = self.service_queue(patterns)
        main(channel).declare()
        self.dead_queue()(channel).declare()
        if not self.is_memory:
            for queue in self.retry_queues():
                queue(channel).declare()
        return main

    # -- publishing -------------------------------------------------------------------

    def _ensure_producer(self) -> Producer:
        if self._producer is None:
            if self.is_memory:
                connection = self.open(self.connect())
                channel = connection.channel()
            else:
                # Confirms are tracked here rather than awaited per message, so a batch
                # costs one round trip to the broker instead of one per event.
                connection = self.open(Connection(self.settings.amqp_url, connect_timeout=5, heartbeat=0))
                channel = connection.channel()
                channel.confirm_select()
                channel.events["basic_ack"].add(self._on_ack)
                channel.events["basic_nack"].add(self._on_nack)
                self._next_tag, self._unconfirmed, self._refused = 1, set(), False
            self._connection = connection
            self._producer = Producer(channel, exchange=self.exchange)
            self.exchange(self._producer.channel).declare()
        return self._producer

    def _on_ack(self, delivery_tag: int, multiple: bool) -> None:
        if multiple:
            self._unconfirmed = {tag for tag in self._unconfirmed if tag > delivery_tag}
        else:
            self._unconfirmed.discard(delivery_tag)

    def _on_nack(self, delivery_tag: int, multiple: bool) -> None:
        self._refused = True
        self._on_ack(delivery_tag, multiple)

    def publish_raw(
        self,
        body: bytes,
        *,
        routing_key: str,
        message_id: str,
        exchange: Exchange | str | None = None,
        headers: Mapping[str, Any] | None = None,
    ) -> None:
        """Publish one persistent message and wait for the broker's confirm."""
        self.publish_many([Outgoing(body, routing_key, message_id, exchange, headers)])

    def publish_many(self, messages: Sequence[Outgoing], confirm_timeout: float = 10.0) -> None:
        """Publish persistent messages in order, then wait once until the broker confirms all.

        Raises when the broker refuses one or does not confirm in time: the caller then
        publishes them again (consumers skip what they already applied).
        """
        with self._lock:
            producer = self._ensure_producer()
            for message in messages:
                producer.publish(
                    message.body,
                    exchange=self.exchange if message.exchange is None else message.exchange,
                    routing_key=message.routing_key,
                    content_type=CONTENT_TYPE,
                    content_encoding="utf-8",
                    delivery_mode=2,
                    message_id=message.message_id,
                    headers=dict(message.headers or {}),
                    retry=False,
                )
                if not self.is_memory:
                    self._unconfirmed.add(self._next_tag)
                    self._next_tag += 1
            if self.is_memory:
                return
            assert self._connection is not None
            deadline = time.monotonic() + confirm_timeout
            while self._unconfirmed:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"the broker did not confirm {len(self._unconfirmed)} messages")
                self._connection.drain_events(timeout=remaining)
            if self._refused:
                raise ConnectionError("the broker refused (nacked) a published message")

    def reset_publisher(self) -> None:
        with self._lock:
            connection, self._connection, self._producer = self._connection, None, None
        if connection is not None:
            try:
                connection.release()
            except Exception:  # already broken: nothing to release
                pass
