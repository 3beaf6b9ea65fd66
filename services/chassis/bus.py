"""The event bus on kombu: topology of the `community.events` exchange and publishing.

RabbitMQ in production (publisher confirms, durable or quorum queues, TTL retry
queues that dead-letter back into the service queue); kombu's in-memory transport in
the embedded mode, where retries are delayed by a timer instead.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from typing import Any

from kombu import Connection, Exchange, Producer, Queue, binding

from .config import Settings
from .events import CONTENT_TYPE

DEFAULT_EXCHANGE = Exchange("", type="direct")


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
            connection = self.open(self.connect())
            self._connection = connection
            self._producer = Producer(connection.channel(), exchange=self.exchange)
            self.exchange(self._producer.channel).declare()
        return self._producer

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
        with self._lock:
            producer = self._ensure_producer()
            producer.publish(
                body,
                exchange=self.exchange if exchange is None else exchange,
                routing_key=routing_key,
                content_type=CONTENT_TYPE,
                content_encoding="utf-8",
                delivery_mode=2,
                message_id=message_id,
                headers=dict(headers or {}),
                retry=False,
            )

    def reset_publisher(self) -> None:
        with self._lock:
            connection, self._connection, self._producer = self._connection, None, None
        if connection is not None:
            try:
                connection.release()
            except Exception:  # already broken: nothing to release
                pass
