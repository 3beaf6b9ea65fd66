"""Server-Sent Events for departments without AMQP: the exchange, filtered, with resume.

Each gateway process keeps the last events in a bounded replay buffer. With the event
archive (`gateway/archive.py`, on RabbitMQ) it fills the buffer from the archive stream
(from `next`) and a message's `id:` is its stream offset: `Last-Event-ID` or `since`
older than the buffer is read back from the archive, the same in every replica and
after restarts, within the retention. Without it (the in-memory bus of the embedded
mode) the process consumes an exclusive, auto-deleted queue bound to `#`, `id:` is the
CloudEvent id and `Last-Event-ID` resumes only while that event is still buffered.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import re
import select
import socket
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kombu import Connection, Queue

from services.chassis import events
from services.chassis.auth import Principal
from services.chassis.bus import Bus

from . import archive

log = logging.getLogger("gateway.stream")
TYPE_PATTERN = re.compile(r"^[a-z_*#]+(\.[a-z_*#]+){0,3}$")
SSE_HEADERS = [
    ("Content-Type", "text/event-stream; charset=utf-8"),
    ("Cache-Control", "no-cache"),
    ("X-Accel-Buffering", "no"),
]


@dataclass(frozen=True)
class BufferedEvent:
    """One event in the replay buffer, with the buffer's own increasing position."""

    position: int
    id: str
    name: str
    community: str | None
    json: str


class EventFeed:
    """One consumer thread per process filling a bounded replay buffer."""

    def __init__(self, bus: Bus, size: int, archive_max_age: str | None = None) -> None:
        self.bus = bus
        self.archive_max_age = archive_max_age if archive_max_age and not bus.is_memory else None
        self.buffer: deque[BufferedEvent] = deque()
        self.size = max(1, size)
        self.positions: dict[str, int] = {}
        self.condition = threading.Condition()
        self._next = itertools.count(1)
        self.last_position = -1 if self.archived else 0  # a stream's first offset is 0
        self.ready = threading.Event()  # consuming
        self.declared = threading.Event()  # the exchange and the archive exist
        self._wanted = threading.Event()  # someone streams from this process
        self._stop = threading.Event()
        # The process is stopping (a graceful stop, `Gateway.end_streams`): every stream ends
        # at its next check, so that clients which never hang up do not hold the stop for its
        # whole timeout; they resume with Last-Event-ID at another replica or this one again.
        # A plain flag: it is set from a signal handler.
        self.ending = False
        self._pid: int | None = None
        self._thread: threading.Thread | None = None

    def start(self, consume: bool = True) -> None:
        """Start the feed's thread in this process (again after a fork); return at once.

        `consume=False` only declares the exchange and the archive (so that the archive
        holds every event from the start) until a later `start()` asks for events."""
        if consume:
            self._wanted.set()
        if self._pid == os.getpid() and self._thread is not None and self._thread.is_alive():
            return
        with self.condition:
            if self._pid == os.getpid() and self._thread is not None and self._thread.is_alive():
                return
            self._pid = os.getpid()
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="gateway-event-feed", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)

    def _run(self) -> None:
        delay = 0.5
        while not self._stop.is_set():
            try:
                if not self._wanted.is_set():
                    self._declare()
                    while not (self._wanted.wait(1.0) or self._stop.is_set()):
                        pass
                    continue
                self._consume()
                delay = 0.5
            except Exception as exc:  # broker gone: keep the buffer, reconnect with backoff
                self.ready.clear()
                log.warning("event feed disconnected, retrying in %.1fs: %s", delay, exc)
                self._stop.wait(delay)
                delay = min(delay * 2, 15.0)

    def _connect(self) -> Connection:
        if self.bus.is_memory:  # in-process broker: poll gently, events are not latency-bound
            return Connection("memory://localhost/", transport_options={"polling_interval": 0.1})
        return self.bus.connect()

    @property
    def archived(self) -> bool:
        return self.archive_max_age is not None

    def _declare(self) -> None:
        with self._connect() as connection:
            if self.archive_max_age is not None:
                archive.declare(self.bus, connection, self.archive_max_age)
            else:
                self.bus.declare(connection)
        self.declared.set()

    def _consume(self) -> None:
        if self.archive_max_age is not None:
            self._consume_archive(self.archive_max_age)
            return
        with self._connect() as connection:
            self.bus.declare(connection)
            self.declared.set()
            queue = Queue(
                self.bus.settings.queue_name(f"stream.{uuid.uuid4().hex[:12]}"),
                exchange=self.bus.exchange,
                routing_key="#",
                exclusive=True,
                auto_delete=True,
                durable=False,
            )
            with connection.Consumer(queue, on_message=self._on_message, no_ack=True):
                self.ready.set()
                while not self._stop.is_set():
                    try:
                        connection.drain_events(timeout=1)
                    except TimeoutError:
                        continue

    def _consume_archive(self, max_age: str) -> None:
        with self._connect() as connection:
            archive.declare(self.bus, connection, max_age)
            self.declared.set()
            channel = connection.channel()
            channel.basic_qos(0, 500, False)
            # Back from an outage: on from the last offset buffered, not `next`, or every stream
            # of this process would miss what was published while the feed reconnected.
            start = self.last_position + 1 if self.last_position >= 0 else "next"
            queue = archive.archive_queue(self.bus, max_age, offset=start)
            with connection.Consumer([queue], channel=channel, on_message=self._on_archived):
                self.ready.set()
                while not self._stop.is_set():
                    try:
                        connection.drain_events(timeout=1)
                    except TimeoutError:
                        continue

    def _on_archived(self, message: Any) -> None:
        position = archive.offset_of(message)
        self._on_message(message, position)
        message.ack()

    def read_archive(
        self, start: int | datetime, stop_before: int | None
    ) -> Iterator[tuple[int, dict[str, Any]]]:
        """Archived (offset, event) from `start` (an offset or a broker-time moment)."""
        assert self.archive_max_age is not None
        return archive.read(self.bus, self.archive_max_age, start, stop_before)

    def _on_message(self, message: object, position: int | None = None) -> None:
        body = getattr(message, "body", b"")
        try:
            event = events.parse(body)
            name = events.event_name(event)
        except events.MalformedEvent as exc:
            log.warning("skipping a malformed event: %s", exc)
            return
        self.add(
            event["id"],
            name,
            event.get("community"),
            json.dumps(event, ensure_ascii=False, separators=(",", ":")),
            position,
        )

    def add(
        self, event_id: str, name: str, community: str | None, text: str, position: int | None = None
    ) -> None:
        """Append one event (evicting the oldest) and wake the streams."""
        with self.condition:
            if event_id in self.positions:  # a redelivery: already buffered
                return
            if len(self.buffer) >= self.size:
                evicted = self.buffer.popleft()
                self.positions.pop(evicted.id, None)
            position = next(self._next) if position is None else position
            self.buffer.append(BufferedEvent(position, event_id, name, community, text))
            self.positions[event_id] = position
            self.last_position = position
            self.condition.notify_all()

    def position_of(self, event_id: str) -> int | None:
        with self.condition:
            return self.positions.get(event_id)

    def first_position(self) -> int | None:
        """The oldest buffered position (None: nothing buffered yet in the archived mode)."""
        with self.condition:
            if self.buffer:
                return self.buffer[0].position
            return None if self.archived else self.last_position + 1

    def after(self, position: int, timeout: float) -> list[BufferedEvent]:
        """Buffered events after `position`, waiting up to `timeout` for one to arrive."""
        with self.condition:
            if self.last_position <= position:
                self.condition.wait(timeout)
            if not self.buffer or self.last_position <= position:
                return []
            if self.archived:  # stream offsets need not be contiguous
                return [entry for entry in self.buffer if entry.position > position]
            start = max(0, position + 1 - self.buffer[0].position)
            return list(itertools.islice(self.buffer, start, None))


def parse_types(value: str | None) -> tuple[str, ...]:
    """`grid.case.*,intake.case.referred` → patterns; ValueError on anything else."""
    patterns = tuple(p.strip() for p in (value or "#").split(",") if p.strip())
    bad = [p for p in patterns if not TYPE_PATTERN.match(p)]
    if bad or not patterns or len(patterns) > 20:
        raise ValueError(
            "types must be up to 20 comma-separated event name patterns such as "
            "grid.case.* or intake.case.referred"
        )
    return patterns


def parse_since(value: str | None) -> datetime | None:
    """`since=2026-03-02T09:00:00+08:00` → an aware moment; ValueError on anything else."""
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None or not 1900 <= moment.year <= 2200:
        raise ValueError("since must be an RFC 3339 date-time with its offset (2026-03-02T09:00:00+08:00)")
    return moment


def _message(entry: BufferedEvent, archived: bool = False) -> bytes:
    return f"id: {entry.position if archived else entry.id}\ndata: {entry.json}\n\n".encode()


def notice(kind: str, detail: str) -> bytes:
    return f"event: {kind}\ndata: {json.dumps({'detail': detail})}\n\n".encode()


def peer_closed(client: Any) -> Callable[[], bool]:
    """A check whether the client at the other end of `client` (the server's socket of
    this request, or None when the server does not expose it) has hung up."""
    if client is None or not hasattr(client, "fileno"):
        return lambda: False

    def closed() -> bool:
        try:
            readable, _, _ = select.select([client], [], [], 0)
            if not readable:
                return False
            return client.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
        except BlockingIOError:
            return False
        except (OSError, ValueError):  # reset, or the socket is already closed
            return True

    return closed


def event_stream(
    feed: EventFeed,
    principal: Principal,
    patterns: tuple[str, ...],
    last_event_id: str | None,
    heartbeat: float,
    client_gone: Callable[[], bool] = lambda: False,
    check_every: float = 1.0,
    since: datetime | None = None,
) -> Iterator[bytes]:
    """The SSE body for one client: resume, then live events, with keep-alive comments.

    The starting point is fixed now, when the client connects, not when the server first
    iterates the body, so nothing published in between is missed. Every `check_every`
    seconds the stream asks `client_gone()` and ends when the client has hung up, so its
    slot is free again at once rather than at the next failed heartbeat write.
    """
    opening = b"retry: 3000\n: connected\n\n"
    start: int | datetime | None = None
    if feed.archived and since is not None and last_event_id is None:
        start, cursor = since, -1
    elif feed.archived and last_event_id is not None and last_event_id.isdigit():
        cursor = int(last_event_id)
        start = cursor + 1
    elif last_event_id is None:
        cursor = feed.last_position
    else:
        found = feed.position_of(last_event_id)
        if found is None:
            opening += notice(
                "reset",
                "Last-Event-ID is not in the replay buffer any more; "
                "replaying every buffered event (some may be missing).",
            )
            cursor = (feed.first_position() or 1) - 1
        else:
            cursor = found
    stream = Stream(feed, None if principal.is_admin else principal.communities, patterns, since)
    return stream.follow(opening, cursor, start, heartbeat, client_gone, check_every)


@dataclass(frozen=True)
class Stream:
    """One client's filter over the feed (and the archive)."""

    feed: EventFeed
    communities: frozenset[str] | None
    patterns: tuple[str, ...]
    since: datetime | None = None

    def wanted(self, name: str, community: str | None) -> bool:
        if self.communities is not None and community and community not in self.communities:
            return False
        return any(events.topic_matches(p, name) for p in self.patterns)

    def render(self, entry: BufferedEvent) -> bytes:
        """One wanted event as an SSE message: the whole CloudEvent."""
        return _message(entry, self.feed.archived)

    def replay(self, start: int | datetime, cursor: int) -> Iterator[tuple[int, bytes]]:
        """Archived events from `start` up to the oldest buffered one, as (offset, message)."""
        oldest = self.feed.first_position()
        if isinstance(start, int) and oldest is not None and start >= oldest:
            return  # all of it is in the buffer
        for offset, event in self.feed.read_archive(start, oldest):
            if offset <= cursor:
                continue
            moment = events.parse_time(event.get("time"))
            if self.since is not None and moment is not None and moment < self.since:
                yield offset, b""
                continue
            name = events.event_name(event)
            text = json.dumps(event, ensure_ascii=False, separators=(",", ":"))
            keep = self.wanted(name, event.get("community"))
            yield (
                offset,
                _message(BufferedEvent(offset, event["id"], name, None, text), True) if keep else b"",
            )

    def follow(
        self,
        opening: bytes,
        cursor: int,
        start: int | datetime | None,
        heartbeat: float,
        client_gone: Callable[[], bool],
        check_every: float,
    ) -> Iterator[bytes]:
        yield opening
        feed = self.feed
        if start is not None:
            for offset, message in self.replay(start, cursor):
                cursor = offset
                if message:
                    yield message
        quiet_since = time.monotonic()
        while True:
            if client_gone() or feed.ending:
                return
            oldest = feed.first_position()
            if feed.archived and oldest is not None and oldest > cursor + 1:
                for offset, message in self.replay(cursor + 1, cursor):  # evicted meanwhile
                    cursor = offset
                    if message:
                        yield message
                cursor = max(cursor, oldest - 1)
            entries = feed.after(cursor, min(heartbeat, check_every))
            if not entries:
                if time.monotonic() - quiet_since >= heartbeat:
                    quiet_since = time.monotonic()
                    yield b": keep-alive\n\n"
                continue
            quiet_since = time.monotonic()
            if not feed.archived and entries[0].position > cursor + 1:
                yield notice(
                    "gap",
                    "Events were evicted from the replay buffer before they could be sent; some are missing.",
                )
            for entry in entries:
                cursor = entry.position
                if self.wanted(entry.name, entry.community):
                    yield self.render(entry)
