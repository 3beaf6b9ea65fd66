"""Discrete-event simulation of a day at the windows (first come, first served per skill).

Standard library only. Arrivals are replayed as measured; service times are drawn from
the measured distribution of each business type (bootstrap resampling), so the result
does not rest on the exponential assumption of the Erlang C formula.
"""

from __future__ import annotations

import heapq
import random
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

Arrival = tuple[float, str]  # seconds since the hall opened, business type code


@dataclass(frozen=True)
class SimWindow:
    """A simulated window: `skills` None serves everything (generalist)."""

    skills: frozenset[str] | None = None

    def serves(self, business_type: str) -> bool:
        return self.skills is None or business_type in self.skills


@dataclass(frozen=True)
class SimResult:
    waits: tuple[float, ...]
    unserved: int

    @property
    def mean(self) -> float:
        return statistics.fmean(self.waits) if self.waits else 0.0

    def percentile(self, q: float) -> float:
        return percentile(self.waits, q)


def percentile(values: Sequence[float], q: float) -> float:
    """Linear-interpolation percentile (q in [0, 1]) of `values`; 0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


class ServiceSampler:
    """Draws service seconds from each type's measured sample (all types' when it has none)."""

    def __init__(self, samples: Mapping[str, Sequence[float]]) -> None:
        self.samples = {k: list(v) for k, v in samples.items() if v}
        self.pooled = [x for values in self.samples.values() for x in values]
        if not self.pooled:
            raise ValueError("no measured service times to sample from")

    def draw(self, business_type: str, rng: random.Random) -> float:
        return rng.choice(self.samples.get(business_type) or self.pooled)


def simulate(
    arrivals: Sequence[Arrival], windows: Sequence[SimWindow], sampler: ServiceSampler, rng: random.Random
) -> SimResult:
    """Run one day: each free window takes the longest-waiting ticket it may serve."""
    ordered = sorted(arrivals)
    waiting: list[tuple[float, int, str]] = []
    free = list(range(len(windows)))
    events: list[tuple[float, int, int]] = []  # (time, kind 0=free 1=arrival, index)
    for index, (at, _) in enumerate(ordered):
        heapq.heappush(events, (at, 1, index))
    waits: list[float] = []
    while events:
        now, kind, index = heapq.heappop(events)
        if kind == 1:
            waiting.append((ordered[index][0], index, ordered[index][1]))
        else:
            free.append(index)
        free.sort()
        for window in list(free):
            for position, (arrived, _, business_type) in enumerate(waiting):
                if windows[window].serves(business_type):
                    del waiting[position]
                    free.remove(window)
                    waits.append(now - arrived)
                    heapq.heappush(events, (now + sampler.draw(business_type, rng), 0, window))
                    break
    return SimResult(tuple(waits), unserved=len(waiting))


@dataclass(frozen=True)
class Comparison:
    label: str
    mean_wait: float
    p50_wait: float
    p90_wait: float
    unserved: int


def compare(
    arrivals: Sequence[Arrival],
    layouts: Mapping[str, Sequence[SimWindow]],
    sampler: ServiceSampler,
    replications: int = 20,
    seed: int = 1,
) -> list[Comparison]:
    """Mean, p50 and p90 wait per layout, averaged over replications with common seeds."""
    results: list[Comparison] = []
    for label, windows in layouts.items():
        runs = [simulate(arrivals, windows, sampler, random.Random(seed + r)) for r in range(replications)]
        results.append(
            Comparison(
                label=label,
                mean_wait=statistics.fmean(r.mean for r in runs),
                p50_wait=statistics.fmean(r.percentile(0.5) for r in runs),
                p90_wait=statistics.fmean(r.percentile(0.9) for r in runs),
                unserved=max(r.unserved for r in runs),
            )
        )
    return results
