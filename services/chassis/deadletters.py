"""Browse and replay a service's dead-letter queue."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from .bus import Bus
from .consumer import H_ATTEMPTS, H_ERROR, H_FAILED_AT, H_REASON, H_ROUTING_KEY
from .events import CONTENT_TYPE


def _body_text(body: Any) -> str:
    return body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)


def _event_id(body: str) -> str | None:
    try:
        parsed = json.loads(body)
    except ValueError:
        return None
    return parsed.get("id") if isinstance(parsed, dict) else None


def browse(bus: Bus, limit: int = 10_000) -> Iterator[dict[str, Any]]:
    """Each dead letter with its error, attempts and routing key; nothing is removed."""
    with bus.connect() as connection:
        channel = connection.channel()
        queue = bus.dead_queue()(channel)
        queue.declare()
        held = []
        try:
            for _ in range(limit):
                message = queue.get(no_ack=False)
                if message is None:
                    break
                held.append(message)
                headers = dict(message.headers or {})
                body = _body_text(message.body)
                yield {
                    "event_id": _event_id(body),
                    "routing_key": headers.get(H_ROUTING_KEY),
                    "reason": headers.get(H_REASON),
                    "error": headers.get(H_ERROR),
                    "attempts": headers.get(H_ATTEMPTS),
                    "failed_at": headers.get(H_FAILED_AT),
                    "body": body,
                }
        finally:
            for message in held:
                message.requeue()
            channel.close()


def replay(bus: Bus, event_id: str | None = None) -> int:
    """Move dead letters (one event id, or all) back into the service queue; return how many."""
    main_queue = bus.settings.queue_name("events")
    replayed = 0
    with bus.connect() as connection:
        channel = connection.channel()
        queue = bus.dead_queue()(channel)
        queue.declare()
        producer = connection.Producer(channel)
        skipped = []
        try:
            while True:
                message = queue.get(no_ack=False)
                if message is None:
                    break
                body = _body_text(message.body)
                if event_id is not None and _event_id(body) != event_id:
                    skipped.append(message)
                    continue
                headers = dict(message.headers or {})
                headers = {H_ROUTING_KEY: headers.get(H_ROUTING_KEY), "x-replayed": True}
                producer.publish(
                    body.encode(),
                    exchange="",
                    routing_key=main_queue,
                    content_type=CONTENT_TYPE,
                    content_encoding="utf-8",
                    delivery_mode=2,
                    headers=headers,
                    message_id=message.properties.get("message_id"),
                    retry=False,
                )
                message.ack()
                replayed += 1
        finally:
            for message in skipped:
                message.requeue()
            channel.close()
    return replayed
