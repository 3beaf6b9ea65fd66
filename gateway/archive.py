"""The event archive: every platform event kept in a RabbitMQ stream for the retention.

A stream queue (`x-queue-type: stream`, `x-max-age`) bound to `#` on the exchange holds
every event for `EVENT_ARCHIVE_MAX_AGE` (30 days by default). A stream is an append-only
log: each message has an offset, the same for every reader, so a gateway replica started
anywhere, at any time, resumes a client at exactly the same place. The SSE `id:` is the
offset; a client's `Last-Event-ID` is where it resumes, `since` a broker-time offset
(RabbitMQ's stream timestamp, one-second resolution) refined by the CloudEvent `time`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from kombu import Connection, Queue

from services.chassis import events
from services.chassis.bus import Bus

log = logging.getLogger("gateway.archive")
ARCHIVE_QUEUE = "community.events.archive"


def archive_queue(bus: Bus, max_age: str, offset: Any = None) -> Queue:
    """The stream queue (its consumer starting at `offset`: a number, `next`, `first` or a moment)."""
    name = f"{bus.settings.bus_namespace}.{ARCHIVE_QUEUE}" if bus.settings.bus_namespace else ARCHIVE_QUEUE
    return Queue(
        name,
        exchange=bus.exchange,
        routing_key="#",
        durable=True,
        queue_arguments={"x-queue-type": "stream", "x-max-age": max_age},
        consumer_arguments=None if offset is None else {"x-stream-offset": offset},
    )


def declare(bus: Bus, connection: Connection, max_age: str) -> None:
    """The exchange and the stream (idempotent; the broker definitions declare them too)."""
    bus.declare(connection)
    archive_queue(bus, max_age)(connection.default_channel).declare()


def offset_of(message: Any) -> int:
    return int((getattr(message, "headers", None) or {})["x-stream-offset"])


def read(
    bus: Bus, max_age: str, start: int | datetime, stop_before: int | None, idle: float = 0.5
) -> Iterator[tuple[int, dict[str, Any]]]:
    """(offset, event) from `start` until `stop_before` or until the stream has nothing more."""
    with bus.connect() as connection:
        channel = connection.channel()
        channel.basic_qos(0, 500, False)  # a stream consumer must set a prefetch
        received: list[Any] = []
        queue = archive_queue(bus, max_age, offset=start)
        with connection.Consumer([queue], channel=channel, callbacks=[lambda _b, m: received.append(m)]):
            while True:
                try:
                    connection.drain_events(timeout=idle)
                except TimeoutError:
                    if not received:
                        return
                batch, received[:] = list(received), []
                for message in batch:
                    offset = offset_of(message)
                    message.ack()
                    if stop_before is not None and offset >= stop_before:
                        return
                    try:
                        yield offset, events.parse(message.body)
                    except events.MalformedEvent as exc:
                        log.warning("skipping a malformed archived event at %s: %s", offset, exc)
