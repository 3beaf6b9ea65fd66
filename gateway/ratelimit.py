"""Rate limits per token subject (or client IP) and route class, on the `limits` library.

`limits` is flask-limiter's engine, by the same maintainers. The gateway's hot path is a
raw WSGI callable rather than a Flask app (a Flask request context per proxied request
costs more than the whole forwarding), so it uses the engine directly. Counters live in
Redis when REDIS_URL is set (shared by every gateway process and replica), in process
memory otherwise.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Mapping
from dataclasses import dataclass

from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter

log = logging.getLogger("gateway.ratelimit")


@dataclass(frozen=True)
class Verdict:
    """The outcome of one hit: allowed, or refused with the seconds to wait."""

    allowed: bool
    limit: str = ""
    retry_after: int = 0


ALLOWED = Verdict(True)


class RateLimiter:
    """Fixed-window counters keyed by route class and caller (one INCR on Redis)."""

    def __init__(
        self, limits: Mapping[str, str], redis_url: str | None = None, key_prefix: str = "community-gateway"
    ) -> None:
        self.items: dict[str, RateLimitItem] = {name: parse(value) for name, value in limits.items()}
        if redis_url:
            self.storage = storage_from_string(redis_url, key_prefix=key_prefix)
        else:
            self.storage = storage_from_string("memory://")
        self.strategy = FixedWindowRateLimiter(self.storage)
        self.shared = bool(redis_url)
        self._warned_at = 0.0

    def hit(self, route_class: str, caller: str) -> Verdict:
        """Count one request of `caller` in `route_class`; refuse when over the limit."""
        item = self.items.get(route_class)
        if item is None:
            return ALLOWED
        try:
            if self.strategy.hit(item, route_class, caller):
                return ALLOWED
            stats = self.strategy.get_window_stats(item, route_class, caller)
        except Exception as exc:  # the counter store is down: fail open, loudly but not per request
            now = time.monotonic()
            if now - self._warned_at > 30:
                self._warned_at = now
                log.error("rate limit storage unavailable, not limiting: %s", exc)
            return ALLOWED
        wait = max(1, math.ceil(stats.reset_time - time.time()))
        return Verdict(False, str(item), wait)
