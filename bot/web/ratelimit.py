"""Rate limits for residents and sign-in attempts, kept by the `limits` library.

Counters live in memory on one machine and in Redis (shared by every replica) when
`redis_url` is set.
"""

from __future__ import annotations

import math
import time

from limits import parse, storage, strategies

from bot.web.errors import Problem


class RateLimiter:
    def __init__(self, redis_url: str = "") -> None:
        # The strategy holds only a weak reference to its storage, so keep it alive here.
        self._storage = storage.storage_from_string(redis_url or "memory://")
        self._limiter = strategies.MovingWindowRateLimiter(self._storage)

    def check(self, rate: str, *key: str, message: str = "Too many requests.") -> None:
        """Count one hit against `rate` (e.g. "20/minute") for `key`; 429 when over."""
        item = parse(rate)
        if self._limiter.hit(item, *key):
            return
        reset_at, _remaining = self._limiter.get_window_stats(item, *key)
        retry_after = max(1, math.ceil(reset_at - time.time()))
        raise Problem(
            429, "rate_limited", message, headers={"Retry-After": str(retry_after)},
            retry_after=retry_after,
        )
