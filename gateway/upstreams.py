"""Service replicas: persistent connection pools, circuit breakers and round-robin choice."""

from __future__ import annotations

import itertools
import select
import threading
import time
from collections import deque
from urllib.parse import urlsplit

from .http11 import Connection

CLOSED, OPEN, HALF_OPEN = "closed", "open", "half_open"


class CircuitBreaker:
    """Opens after `failures` consecutive failures; one trial call after `reset_seconds`."""

    def __init__(self, failures: int, reset_seconds: float) -> None:
        self.threshold = max(1, failures)
        self.reset_seconds = reset_seconds
        self.failures = 0
        self.opened_at = 0.0
        self.trial_running = False
        self._lock = threading.Lock()

    @property
    def state(self) -> str:
        if self.failures < self.threshold:
            return CLOSED
        if time.monotonic() - self.opened_at < self.reset_seconds:
            return OPEN
        return HALF_OPEN

    def allows(self) -> bool:
        """May a call go to this replica now? (In half-open state: only one trial at a time.)"""
        if self.failures < self.threshold:
            return True
        with self._lock:
            if self.state != HALF_OPEN or self.trial_running:
                return False
            self.trial_running = True
            return True

    def retry_after(self) -> float:
        return max(0.0, self.reset_seconds - (time.monotonic() - self.opened_at))

    def success(self) -> None:
        if self.failures or self.trial_running:
            with self._lock:
                self.failures = 0
                self.trial_running = False

    def failure(self) -> None:
        with self._lock:
            self.failures += 1
            self.trial_running = False
            if self.failures >= self.threshold:
                self.opened_at = time.monotonic()


class Replica:
    """One base URL of a service with its idle keep-alive connections and its breaker."""

    def __init__(
        self,
        service: str,
        base_url: str,
        breaker: CircuitBreaker,
        pool_size: int = 64,
        idle_seconds: float = 1.5,
    ) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"{service}: {base_url!r} is not an http(s) base URL")
        self.service = service
        self.base_url = base_url
        self.scheme = parts.scheme
        self.host = parts.hostname
        self.port = parts.port or (443 if parts.scheme == "https" else 80)
        self.netloc = parts.netloc
        self.path_prefix = parts.path.rstrip("/")
        self.breaker = breaker
        self.healthy = True
        self.pool_size = pool_size
        self.idle_seconds = idle_seconds
        self._idle: deque[tuple[float, Connection]] = deque()

    def __repr__(self) -> str:
        return f"Replica({self.service}, {self.base_url})"

    @property
    def available(self) -> bool:
        return self.healthy and self.breaker.state != OPEN

    def new_connection(self, connect_timeout: float) -> Connection:
        """A fresh connection, connected within `connect_timeout`."""
        return Connection(self.host, self.port, connect_timeout, tls=self.scheme == "https")

    def take(self) -> Connection | None:
        """An idle connection still open and fresh enough to reuse, or None."""
        now = time.monotonic()
        while True:
            try:
                released_at, connection = self._idle.pop()
            except IndexError:
                return None
            if now - released_at <= self.idle_seconds and not _dropped(connection):
                return connection
            connection.close()

    def give_back(self, connection: Connection) -> None:
        if len(self._idle) >= self.pool_size:
            connection.close()
            return
        self._idle.append((time.monotonic(), connection))


def _dropped(connection: Connection) -> bool:
    """True when the peer has closed the idle connection (it would read EOF)."""
    sock = connection.sock
    if sock is None:
        return True
    try:
        readable, _, _ = select.select([sock], [], [], 0)
    except (OSError, ValueError):
        return True
    return bool(readable)


class ReplicaSet:
    """A service's replicas in round-robin order, skipping ejected ones."""

    def __init__(self, service: str, replicas: list[Replica]) -> None:
        if not replicas:
            raise ValueError(f"{service} has no replica")
        self.service = service
        self.replicas = replicas
        self._counter = itertools.count()

    def candidates(self) -> list[Replica]:
        """Replicas to try in order: healthy ones first, the rest when none is healthy."""
        count = len(self.replicas)
        start = next(self._counter) % count
        ordered = self.replicas[start:] + self.replicas[:start]
        healthy = [r for r in ordered if r.healthy]
        return healthy or ordered

    def retry_after(self) -> int:
        """Seconds until a breaker lets a trial call through (at least 1)."""
        waits = [r.breaker.retry_after() for r in self.replicas]
        return max(1, int(min(waits) + 0.999)) if waits else 1
