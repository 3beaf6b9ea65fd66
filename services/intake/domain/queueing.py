"""Queueing formulas for the pooling report: Erlang C (M/M/c) and window allocation.

Standard library only. Rates are per second, times in seconds. `a = λ·s` is the
offered load in erlangs (λ arrival rate, s mean service time), `c` the servers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


def erlang_b(servers: int, load: float) -> float:
    """Erlang B blocking probability (stable recursion, no factorials)."""
    if servers < 0 or load < 0:
        raise ValueError("servers and load must not be negative")
    blocking = 1.0
    for k in range(1, servers + 1):
        blocking = load * blocking / (k + load * blocking)
    return blocking


def erlang_c(servers: int, load: float) -> float:
    """Probability that an arrival waits in an M/M/c queue (1.0 when unstable)."""
    if servers <= 0:
        raise ValueError("at least one server is needed")
    if load >= servers:
        return 1.0
    if load == 0:
        return 0.0
    blocking = erlang_b(servers, load)
    return servers * blocking / (servers - load * (1 - blocking))


def mean_wait(arrival_rate: float, mean_service: float, servers: int) -> float:
    """Mean time in queue Wq of an M/M/c queue (`math.inf` when unstable)."""
    if arrival_rate == 0:
        return 0.0
    load = arrival_rate * mean_service
    if load >= servers:
        return math.inf
    return erlang_c(servers, load) * mean_service / (servers - load)


def service_level(arrival_rate: float, mean_service: float, servers: int, target: float) -> float:
    """Share of arrivals served within `target` seconds, M/M/c."""
    load = arrival_rate * mean_service
    if load >= servers:
        return 0.0
    return 1 - erlang_c(servers, load) * math.exp(-(servers - load) * target / mean_service)


@dataclass(frozen=True)
class Stream:
    """Arrivals of one queue: which business types, how often, how long they take."""

    label: str
    types: tuple[str, ...]
    arrival_rate: float
    mean_service: float

    @property
    def load(self) -> float:
        return self.arrival_rate * self.mean_service


def merge(label: str, streams: Sequence[Stream]) -> Stream:
    """One stream of several (arrival rates add; service time is the rate-weighted mean)."""
    rate = sum(s.arrival_rate for s in streams)
    service = sum(s.arrival_rate * s.mean_service for s in streams) / rate if rate else 0.0
    types = tuple(t for s in streams for t in s.types)
    return Stream(label, types, rate, service)


def weighted_wait(queues: Sequence[tuple[Stream, int]]) -> float:
    """Mean wait over every arrival of several independent M/M/c queues."""
    total = sum(stream.arrival_rate for stream, _ in queues)
    if total == 0:
        return 0.0
    waits = [
        stream.arrival_rate * mean_wait(stream.arrival_rate, stream.mean_service, servers)
        if stream.arrival_rate
        else 0.0
        for stream, servers in queues
    ]
    return sum(waits) / total


def allocate(streams: Sequence[Stream], staff: int) -> list[int]:
    """Windows per stream for the least mean wait with `staff` windows (greedy, at least 1).

    Each stream first gets the fewest windows that keep it stable (or 1); the rest go one
    by one where they cut the total waiting most. Greedy marginal allocation is optimal
    here because M/M/c waiting falls convexly in c. Returns the counts; their sum may
    exceed `staff` when the dedicated layout cannot even be stable (that is the finding).
    """
    counts = [max(1, math.floor(s.load) + 1) for s in streams]
    while sum(counts) < staff:
        best, best_gain = 0, -1.0
        for i, stream in enumerate(streams):
            rate, service = stream.arrival_rate, stream.mean_service
            now = rate * mean_wait(rate, service, counts[i])
            then = rate * mean_wait(rate, service, counts[i] + 1)
            if now - then > best_gain:
                best, best_gain = i, now - then
        counts[best] += 1
    return counts
