"""Shown answers in Redis (`SET key value EX`), so a click reaching any instance finds the answer."""

from __future__ import annotations

import logging
from typing import Any

from bot.answer_store.memory import MemoryAnswerStore
from bot.core.answers import ANSWER_TTL_SECONDS, ShownAnswer

log = logging.getLogger(__name__)


class RedisAnswerStore:
    """When Redis fails, answers are kept and found in this instance's memory: a click then still works
    when it reaches the instance that showed the answer, and says the answer expired elsewhere."""

    def __init__(self, redis: Any, ttl: int = ANSWER_TTL_SECONDS, prefix: str = "invitation-bot:answer:") -> None:
        self._redis = redis
        self._ttl = ttl
        self._prefix = prefix
        self._local = MemoryAnswerStore(ttl=ttl)

    def put(self, answer_id: str, answer: ShownAnswer) -> None:
        self._local.put(answer_id, answer)
        try:
            self._redis.set(self._prefix + answer_id, answer.to_json().encode(), ex=self._ttl)
        except Exception as exc:  # redis raises many types (connection, timeout, response)
            log.warning("redis unavailable for storing an answer (%s); kept in this instance's memory", exc)

    def get(self, answer_id: str) -> ShownAnswer | None:
        try:
            raw = self._redis.get(self._prefix + answer_id)
        except Exception as exc:
            log.warning("redis unavailable for reading an answer (%s); looking in this instance's memory", exc)
            return self._local.get(answer_id)
        if raw is None:
            return self._local.get(answer_id)
        return ShownAnswer.from_json(raw)

    def close(self) -> None:
        self._redis.close()
