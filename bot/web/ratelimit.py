"""Rate limits for residents and sign-in attempts, kept by the `limits` library.

Counters live in memory on one machine and in Redis (shared by every replica) when
`redis_url` is set. When Redis cannot be reached the counts carry on in this process's memory,
so a Redis outage loosens the limits across replicas for a while but never fails a request.
"""

from __future__ import annotations

import logging
import math
import time

from limits import RateLimitItem, parse, storage, strategies
from redis.exceptions import RedisError

from bot.web.errors import Problem

log = logging.getLogger(__name__)
# After a failed Redis call, count in memory this long before trying Redis again: a
# connection attempt to a dead Redis costs every request that makes it.
RETRY_REDIS_AFTER_SECONDS = 10.0


class RateLimiter:
    def __init__(self, redis_url: str = "") -> None:
        # A strategy holds only a weak reference to its storage, so keep them alive here.
        self._storages = [storage.storage_from_string(url)
                          for url in ([redis_url] if redis_url else []) + ["memory://"]]
        self._limiters = [strategies.MovingWindowRateLimiter(s) for s in self._storages]
        self._redis_down_until = 0.0

    def _call(self, method: str, item: RateLimitItem, key: tuple[str, ...]):  # type: ignore[no-untyped-def]
        *shared, local = self._limiters
        if shared and time.monotonic() >= self._redis_down_until:
            try:
                return getattr(shared[0], method)(item, *key)
            except (RedisError, OSError) as exc:
                self._redis_down_until = time.monotonic() + RETRY_REDIS_AFTER_SECONDS
                log.warning("rate limits: Redis unreachable (%s); counting in this process "
                            "for %.0f s", type(exc).__name__, RETRY_REDIS_AFTER_SECONDS)
        return getattr(local, method)(item, *key)

    def check(self, rate: str, *key: str, message: str = "Too many requests.") -> None:
        """Count one hit against `rate` (e.g. "20/minute") for `key`; 429 when over."""
        item = parse(rate)
        if self._call("hit", item, key):
            return
        self.refuse(rate, *key, message=message)

    def allowed(self, rate: str, *key: str) -> bool:
        """Whether one more hit would be within `rate`, without counting it."""
        return bool(self._call("test", parse(rate), key))

    def count(self, rate: str, *key: str) -> None:
        """Count one hit (e.g. a failed sign-in) without refusing anything."""
        self._call("hit", parse(rate), key)

    def clear(self, rate: str, *key: str) -> None:
        self._call("clear", parse(rate), key)

    def refuse(self, rate: str, *key: str, message: str) -> None:
        item = parse(rate)
        reset_at, _remaining = self._call("get_window_stats", item, key)
        retry_after = max(1, math.ceil(reset_at - time.time()))
        raise Problem(
            429, "rate_limited", message, headers={"Retry-After": str(retry_after)},
            retry_after=retry_after,
        )
