"""Conversations known to have become shared with another organisation, so that every instance masks at once.

Slack or Teams tells one instance (Slack's channel_shared or an outside member joining, Teams' members
added to a chat or team); what the others know of the conversation is cached for minutes. A mark in
Redis (when REDIS_URL is set) reaches them all; in process otherwise. A mark only ever adds masking,
so a lost or stale one is never a leak.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

log = logging.getLogger(__name__)

# Longer than what a conversation is known as is cached (Slack's channel facts, Teams' member lists, minutes):
# by then every instance has asked again and learnt that it is shared.
MARK_TTL_SECONDS = 3600


class ChannelMarks(Protocol):
    def mark(self, channel_id: str) -> None: ...

    def unmark(self, channel_id: str) -> None: ...

    def marked(self, channel_id: str) -> bool: ...


class MemoryChannelMarks:
    def __init__(self, ttl: float = MARK_TTL_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl = ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._until: dict[str, float] = {}

    def mark(self, channel_id: str) -> None:
        with self._lock:
            self._until[channel_id] = self._clock() + self._ttl

    def unmark(self, channel_id: str) -> None:
        with self._lock:
            self._until.pop(channel_id, None)

    def marked(self, channel_id: str) -> bool:
        with self._lock:
            until = self._until.get(channel_id)
            if until is None:
                return False
            if until <= self._clock():
                del self._until[channel_id]
                return False
            return True


class RedisChannelMarks:
    """Shared by every instance; this instance's own marks still hold when Redis fails."""

    def __init__(self, redis: Any, ttl: int = MARK_TTL_SECONDS, prefix: str = "invitation-bot:shared-channel:") -> None:
        self._redis = redis
        self._ttl = ttl
        self._prefix = prefix
        self._local = MemoryChannelMarks(ttl=ttl)

    def mark(self, channel_id: str) -> None:
        self._local.mark(channel_id)
        try:
            self._redis.set(self._prefix + channel_id, b"1", ex=self._ttl)
        except Exception as exc:  # redis raises many types (connection, timeout, response)
            log.warning("redis unavailable for marking channel %s shared (%s); marked here only", channel_id, exc)

    def unmark(self, channel_id: str) -> None:
        self._local.unmark(channel_id)
        try:
            self._redis.delete(self._prefix + channel_id)
        except Exception as exc:
            log.warning("redis unavailable for unmarking channel %s (%s)", channel_id, exc)

    def marked(self, channel_id: str) -> bool:
        if self._local.marked(channel_id):
            return True
        try:
            return bool(self._redis.exists(self._prefix + channel_id))
        except Exception as exc:
            log.warning("redis unavailable for channel marks (%s); using this instance's", exc)
            return False

    def close(self) -> None:
        self._redis.close()


def channel_marks(redis_url: str | None) -> ChannelMarks:
    if not redis_url:
        return MemoryChannelMarks()
    import redis
    from redis.backoff import ExponentialBackoff
    from redis.retry import Retry

    client = redis.Redis.from_url(redis_url, socket_timeout=1, socket_connect_timeout=1, health_check_interval=30,
                                  retry=Retry(ExponentialBackoff(cap=0.2, base=0.05), 1))
    return RedisChannelMarks(client)
