"""Remembers which deliveries (Slack events, Teams activities) were already taken on, so each is answered once.

A delivery is recorded when its processing starts: a redelivery (Slack's
x-slack-retry-num, Teams re-sending an activity it got no quick answer for) of
one this process or a sibling already took is dropped, while a redelivery whose
first copy never reached us is answered. In process by default; in Redis
(`SET key NX EX`) when several instances share the work.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, Protocol

log = logging.getLogger(__name__)

# Slack re-sends an event at once, after 1 minute and after 5 minutes, Teams within seconds to minutes:
# 15 minutes covers every retry of both.
SEEN_TTL_SECONDS = 900
# Bounds the in-process store's memory (a key is ~100 bytes); far above 15 minutes of real traffic.
MAX_MEMORY_KEYS = 200_000


class SeenStore(Protocol):
    def first_time(self, key: str) -> bool:
        """Record `key`; True only for the first caller within the time to live."""
        ...


class MemorySeenStore:
    def __init__(self, ttl: float = SEEN_TTL_SECONDS, max_keys: int = MAX_MEMORY_KEYS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl = ttl
        self._max_keys = max_keys
        self._clock = clock
        self._lock = threading.Lock()
        # key -> expiry; one fixed TTL keeps insertion order equal to expiry order.
        self._keys: OrderedDict[str, float] = OrderedDict()

    def first_time(self, key: str) -> bool:
        now = self._clock()
        with self._lock:
            self._expire(now)
            if key in self._keys:
                return False
            self._keys[key] = now + self._ttl
            if len(self._keys) > self._max_keys:
                self._keys.popitem(last=False)
            return True

    def _expire(self, now: float) -> None:
        while self._keys:
            oldest, expires = next(iter(self._keys.items()))
            if expires > now:
                return
            del self._keys[oldest]

    def __len__(self) -> int:
        with self._lock:
            self._expire(self._clock())
            return len(self._keys)


class RedisSeenStore:
    """Shared between instances. When Redis fails the delivery is answered rather than lost,
    and the in-process store still stops duplicates within this instance."""

    def __init__(self, redis: Any, ttl: int = SEEN_TTL_SECONDS, prefix: str = "invitation-bot:seen:") -> None:
        self._redis = redis
        self._ttl = ttl
        self._prefix = prefix
        self._local = MemorySeenStore(ttl=ttl)

    def first_time(self, key: str) -> bool:
        local = self._local.first_time(key)
        try:
            return bool(self._redis.set(self._prefix + key, b"1", nx=True, ex=self._ttl))
        except Exception as exc:  # redis raises many types (connection, timeout, response)
            log.warning("redis unavailable for de-duplication (%s); using this instance's memory", exc)
            return local

    def close(self) -> None:
        self._redis.close()


def seen_store(redis_url: str | None) -> SeenStore:
    """Redis when a URL is given, else in-process memory."""
    if not redis_url:
        return MemorySeenStore()
    import redis
    from redis.backoff import ExponentialBackoff
    from redis.retry import Retry

    # One quick retry: a Redis outage must not hold up the listener threads for long.
    client = redis.Redis.from_url(redis_url, socket_timeout=1, socket_connect_timeout=1, health_check_interval=30,
                                  retry=Retry(ExponentialBackoff(cap=0.2, base=0.05), 1))
    return RedisSeenStore(client)
