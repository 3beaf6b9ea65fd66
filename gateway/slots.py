"""The open Server-Sent Events streams of one gateway process, and their caps.

Every stream (the departments' event stream and the pages' change signals) holds one
greenlet and one connection, so one count per process bounds them all
(`SSE_MAX_CLIENTS`, 503 beyond), and a count per holder — a token subject, or a client
address for the anonymous change signals — keeps one holder from taking every slot
(429 `too-many-streams` beyond).
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator

from prometheus_client import Gauge

from .problems import EdgeProblem


class StreamSlots:
    """At most `total` open streams per process, and at most a given number per holder."""

    def __init__(self, total: int, gauge: Gauge) -> None:
        self.total = total
        self.gauge = gauge
        self.open = 0
        self.by_holder: Counter[str] = Counter()
        self._lock = threading.Lock()

    def take(self, holder: str, per_holder: int, refusal: str) -> None:
        """Count one more stream of `holder`, or refuse it: 429 (`refusal` as the detail)
        when the holder has `per_holder` already, 503 when the process is full."""
        with self._lock:
            if self.by_holder[holder] >= per_holder:
                raise EdgeProblem(429, refusal, type_="too-many-streams", headers=[("Retry-After", "30")])
            if self.open >= self.total:
                raise EdgeProblem(
                    503,
                    "Too many event stream clients on this gateway process.",
                    type_="unavailable",
                    headers=[("Retry-After", "30")],
                )
            self.open += 1
            self.by_holder[holder] += 1
        self.gauge.inc()

    def release(self, holder: str) -> None:
        with self._lock:
            self.open -= 1
            self.by_holder[holder] -= 1
            if self.by_holder[holder] <= 0:
                del self.by_holder[holder]
        self.gauge.dec()

    def held(self, body: Iterator[bytes], holder: str) -> HeldStream:
        """The stream's body, giving its slot back when the server closes it."""
        return HeldStream(body, self, holder)


class HeldStream:
    """An SSE body that gives its slot back when the client leaves (the server calls close)."""

    def __init__(self, body: Iterator[bytes], slots: StreamSlots, holder: str) -> None:
        self.body = body
        self.slots = slots
        self.holder = holder
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        return self.body

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            close = getattr(self.body, "close", None)
            if close is not None:
                close()
            self.slots.release(self.holder)
