"""Stores of shown answers (the port is bot.core.answers.AnswerStore): in process, or in Redis for several instances."""

from __future__ import annotations

from bot.answer_store.memory import MemoryAnswerStore
from bot.answer_store.redis_store import RedisAnswerStore
from bot.core.answers import AnswerStore

__all__ = ["MemoryAnswerStore", "RedisAnswerStore", "answer_store"]


def answer_store(redis_url: str | None) -> AnswerStore:
    """Redis when a URL is given (a click may reach any instance), else this process's memory."""
    if not redis_url:
        return MemoryAnswerStore()
    import redis
    from redis.backoff import ExponentialBackoff
    from redis.retry import Retry

    # One quick retry: a Redis outage must not hold up answers for long (memory covers this instance).
    client = redis.Redis.from_url(redis_url, socket_timeout=1, socket_connect_timeout=1, health_check_interval=30,
                                  retry=Retry(ExponentialBackoff(cap=0.2, base=0.05), 1))
    return RedisAnswerStore(client)
