"""Change signals for pages: "this community's queue changed", pushed from the event feed.

The hall display (public, no sign-in), the resident's ticket page and the clerk's desk
follow `GET /api/changes/stream?community=<code>` (Server-Sent Events) instead of
polling, and refetch what they show when a signal arrives — conditionally, so an answer
that did not change costs a 304. The stream is the departments' event stream
(`gateway/stream.py`: the same feed, buffer, heartbeats and hang-up checks) with another
filter and another message: a signal names the topic, the community and the event name,
nothing of the event's data (ticket ids and numbers, windows, times), so it can be
public. It has no `id:` and no resume: a page that reconnects refetches once.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qs

from services.chassis import events
from services.chassis.config import COMMUNITIES

from .headers import Headers, client_address
from .problems import EdgeProblem
from .settings import GatewaySettings
from .slots import StreamSlots
from .stream import SSE_HEADERS, BufferedEvent, EventFeed, Stream, notice, peer_closed

StartResponse = Callable[..., Any]

# Which events change what a page shows: (event name pattern, topic). The one table.
TOPICS: tuple[tuple[str, str], ...] = (
    # a ticket issued, called, completed or not shown: the waiting queue, the windows and
    # the hall display change (the desk, the ticket page's "ahead of you", the hall screen)
    ("intake.ticket.*", "intake.queue"),
)
SIGNAL_KEYS = ("topic", "community", "event")
_GAP = notice("gap", "Some events went by unseen; refetch what you show.")


@lru_cache(maxsize=256)
def topic_of(name: str) -> str | None:
    """The topic an event of this name changes, or None (no page is told of it)."""
    for pattern, topic in TOPICS:
        if events.topic_matches(pattern, name):
            return topic
    return None


@lru_cache(maxsize=1024)
def signal(topic: str, community: str, name: str) -> bytes:
    """The SSE message of one change: `event: change`, the topic, community and event name."""
    data = json.dumps(dict(zip(SIGNAL_KEYS, (topic, community, name), strict=True)), separators=(",", ":"))
    return f"event: change\ndata: {data}\n\n".encode()


class ChangeStream(Stream):
    """One page's signals: the events of its community that change a topic, without their data."""

    def wanted(self, name: str, community: str | None) -> bool:
        assert self.communities is not None
        return community in self.communities and topic_of(name) is not None

    def render(self, entry: BufferedEvent) -> bytes:
        return signal(topic_of(entry.name) or "", entry.community or "", entry.name)

    def replay(self, start: int | datetime, cursor: int) -> Iterator[tuple[int, bytes]]:
        """Events evicted before this stream saw them are not read back from the archive:
        one `gap` tells the page to refetch, which is all a signal would have said."""
        yield cursor, _GAP


def parse_community(query_string: str) -> str:
    """The `community` of the query: one of the seven codes; 422 otherwise."""
    values = parse_qs(query_string).get("community", [])
    if len(values) != 1 or values[0] not in COMMUNITIES:
        message = f"community must be one of: {', '.join(COMMUNITIES)}"
        raise EdgeProblem(422, message, type_="validation-failed", errors={"community": [message]})
    return values[0]


def serve(
    environ: dict[str, Any],
    start_response: StartResponse,
    edge: Headers,
    settings: GatewaySettings,
    slots: StreamSlots,
    feed_of: Callable[[], EventFeed],
) -> Iterable[bytes]:
    """`GET /api/changes/stream?community=<code>`: the community's change signals (public).

    Anonymous, so held per client address (`SSE_MAX_PER_ADDRESS`, the address the rate
    limits use) within the process's `SSE_MAX_CLIENTS`; a page refused a stream polls.
    """
    if environ.get("REQUEST_METHOD") != "GET":
        raise EdgeProblem(
            405, "The change stream is read with GET.", type_="method-not-allowed", headers=[("Allow", "GET")]
        )
    community = parse_community(environ.get("QUERY_STRING", ""))
    feed = feed_of()
    client = environ.get("gunicorn.socket") or environ.get("werkzeug.socket")
    stream = ChangeStream(feed, frozenset({community}), ())
    # A random reconnection delay: a thousand pages that lost the gateway do not all come back at once.
    opening = f"retry: {random.randint(3000, 10000)}\n: connected\n\n".encode()
    body = stream.follow(
        opening,
        feed.last_position,
        None,
        settings.sse_heartbeat_seconds,
        peer_closed(client),
        settings.sse_disconnect_check_seconds,
    )
    holder = f"address:{client_address(environ, settings.trusted_proxies)}"
    slots.take(
        holder,
        settings.sse_max_per_address,
        f"This address already holds {settings.sse_max_per_address} change stream(s) on this gateway "
        "process; the page falls back to polling.",
    )
    start_response("200 OK", [*SSE_HEADERS, *edge])
    return slots.held(body, holder)
