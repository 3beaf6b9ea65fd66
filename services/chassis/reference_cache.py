"""Reference data read on every write (a business type's form, say), kept briefly in process.

A hit saves the request a query; an entry lives `ttl` seconds, and the process that changes
the data clears it at once (`clear_after_commit`). Another process of the same service sees
a change at most `ttl` seconds late (`REFERENCE_CACHE_SECONDS`, default 5; 0 turns the
cache off). Misses are never cached: a new entry is visible everywhere at once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any


class ReferenceCache:
    """Values by key, each kept `ttl` seconds after it was loaded."""

    def __init__(self, ttl: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self._clock = clock
        self._entries: dict[Hashable, tuple[float, Any]] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable, load: Callable[[], Any]) -> Any:
        """The cached value of `key`, or `load()` (kept unless it is None)."""
        now = self._clock()
        entry = self._entries.get(key)
        if entry is not None and entry[0] > now:
            return entry[1]
        value = load()
        if value is not None and self.ttl > 0:
            with self._lock:
                self._entries[key] = (now + self.ttl, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
