"""Thread context stores: in process by default, in Redis when several instances share the threads."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from bot.core.ports import THREAD_TTL_SECONDS, ThreadContext, ThreadStore
from bot.platform.cache import TtlCache

log = logging.getLogger(__name__)

# About 1 KB each: 100,000 threads answered in one day stay well under 100 MB.
MAX_MEMORY_THREADS = 100_000


class MemoryThreadStore:
    def __init__(self, ttl: float = THREAD_TTL_SECONDS, max_threads: int = MAX_MEMORY_THREADS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._cache: TtlCache[ThreadContext] = TtlCache(ttl, max_threads, clock)

    def get(self, thread: str) -> ThreadContext | None:
        return self._cache.get(thread)

    def put(self, thread: str, context: ThreadContext) -> None:
        self._cache.put(thread, context)


class RedisThreadStore:
    """Any instance continues any thread. When Redis fails, this instance's memory stands in
    (a follow-up that lands on this instance still has its context)."""

    def __init__(self, redis: Any, ttl: int = THREAD_TTL_SECONDS, prefix: str = "invitation-bot:thread:") -> None:
        self._redis = redis
        self._ttl = ttl
        self._prefix = prefix
        self._local = MemoryThreadStore(ttl=ttl)

    def get(self, thread: str) -> ThreadContext | None:
        try:
            raw = self._redis.get(self._prefix + thread)
        except Exception as exc:  # redis raises many types (connection, timeout, response)
            log.warning("redis unavailable for thread context (%s); using this instance's memory", exc)
            return self._local.get(thread)
        return ThreadContext.from_json(raw) if raw is not None else None

    def put(self, thread: str, context: ThreadContext) -> None:
        self._local.put(thread, context)
        try:
            self._redis.set(self._prefix + thread, context.to_json().encode(), ex=self._ttl)
        except Exception as exc:
            log.warning("redis unavailable for thread context (%s); kept in this instance's memory", exc)

    def close(self) -> None:
        self._redis.close()


def thread_store(redis_url: str | None) -> ThreadStore:
    """Redis when a URL is given, else in-process memory."""
    if not redis_url:
        return MemoryThreadStore()
    import redis
    from redis.backoff import ExponentialBackoff
    from redis.retry import Retry

    client = redis.Redis.from_url(redis_url, socket_timeout=1, socket_connect_timeout=1, health_check_interval=30,
                                  retry=Retry(ExponentialBackoff(cap=0.2, base=0.05), 1))
    return RedisThreadStore(client)
