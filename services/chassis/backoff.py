"""Capped exponential backoff with jitter: how a relay or consumer waits to reconnect.

The cap is short on purpose: a broker or database that comes back is noticed within
about a second, and a reconnect attempt costs one refused TCP connection.
"""

from __future__ import annotations

import random


class Backoff:
    """Delays of `first`, doubling up to `cap` seconds, each jittered to 50–100 %."""

    def __init__(self, first: float = 0.05, cap: float = 0.5, rng: random.Random | None = None) -> None:
        if not 0 < first <= cap:
            raise ValueError("need 0 < first <= cap")
        self.first = first
        self.cap = cap
        self._rng = rng or random.Random()
        self._next = first

    def next_delay(self) -> float:
        """The delay before the next attempt (grows until the cap)."""
        delay = self._next * (0.5 + 0.5 * self._rng.random())
        self._next = min(self._next * 2, self.cap)
        return delay

    def reset(self) -> None:
        """The last attempt succeeded: start from `first` again."""
        self._next = self.first
