"""Answers the cards point at: what was asked, for which audience, in which conversation.

A card's buttons carry only an opaque id of a stored answer. A click re-renders
that answer for the audience it was decided for (the original asker's rights and
masking), never for the person who clicked, and only in the conversation it was
shown in. In process by default; in Redis when several instances share the work.

This is the Teams adapter's own small store until the platform-neutral answer
store lands in core; `AnswerStore` is the whole surface the adapter uses.
"""

from __future__ import annotations

import json
import logging
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any, Protocol

from bot.core.models import Asker, Question

log = logging.getLogger(__name__)

# A card older than a week is rarely clicked; the click then says the answer expired.
ANSWER_TTL_SECONDS = 7 * 24 * 3600
# Bounds the in-process store: by entries, and by the questions' characters (a question may be a long paste).
MAX_MEMORY_ANSWERS = 20_000
MAX_MEMORY_CHARS = 20_000_000


@dataclass(frozen=True)
class StoredAnswer:
    question: str
    # The audience the answer was decided for: rights and masking come from here on every re-render.
    asker: Asker
    # The conversation the card was posted in (a channel's thread counts as its channel conversation).
    conversation: str
    fallback_language: str
    # The account of the thread a follow-up was read in ("and ORDER-10050?"); no rights come with it.
    business_unit_hint: str | None = None

    def question_for(self, language: str, full: bool) -> Question:
        """The same answer again, for the same audience, shown in `language` (every step when `full`)."""
        return Question(text=self.question, language=language, fallback_language=self.fallback_language,
                        asker=self.asker, full=full, business_unit_hint=self.business_unit_hint)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, raw: str | bytes) -> StoredAnswer | None:
        try:
            data: dict[str, Any] = json.loads(raw)
            hint = data.get("business_unit_hint")
            return cls(question=data["question"], asker=Asker(**data["asker"]),
                       conversation=data["conversation"], fallback_language=data["fallback_language"],
                       business_unit_hint=hint if isinstance(hint, str) else None)
        except (ValueError, TypeError, KeyError):
            return None


class AnswerStore(Protocol):
    def put(self, answer: StoredAnswer) -> str:
        """Store `answer`; returns its new opaque id."""
        ...

    def get(self, answer_id: str) -> StoredAnswer | None:
        """The stored answer, or None when unknown or expired."""
        ...


def new_answer_id() -> str:
    return secrets.token_urlsafe(16)


class MemoryAnswerStore:
    def __init__(self, ttl: float = ANSWER_TTL_SECONDS, max_entries: int = MAX_MEMORY_ANSWERS,
                 max_chars: int = MAX_MEMORY_CHARS, clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl = ttl
        self._max = max_entries
        self._max_chars = max_chars
        self._chars = 0
        self._clock = clock
        self._lock = threading.Lock()
        # Oldest first: one fixed time to live keeps insertion order equal to expiry order.
        self._entries: OrderedDict[str, tuple[float, StoredAnswer]] = OrderedDict()

    def put(self, answer: StoredAnswer) -> str:
        answer_id = new_answer_id()
        with self._lock:
            self._entries[answer_id] = (self._clock() + self._ttl, answer)
            self._chars += len(answer.question)
            while len(self._entries) > self._max or (self._chars > self._max_chars and len(self._entries) > 1):
                _oldest, (_expires, dropped) = self._entries.popitem(last=False)
                self._chars -= len(dropped.question)
        return answer_id

    def get(self, answer_id: str) -> StoredAnswer | None:
        with self._lock:
            found = self._entries.get(answer_id)
            if found is None:
                return None
            expires, answer = found
            if expires <= self._clock():
                del self._entries[answer_id]
                self._chars -= len(answer.question)
                return None
            return answer


class RedisAnswerStore:
    """Shared by instances, so a click reaching another instance finds the answer.

    When Redis fails, answers are kept in this instance's memory: a click then works when it
    reaches this instance, and says the answer expired elsewhere.
    """

    def __init__(self, redis: Any, ttl: int = ANSWER_TTL_SECONDS, prefix: str = "invitation-bot:answer:") -> None:
        self._redis = redis
        self._ttl = ttl
        self._prefix = prefix
        self._local = MemoryAnswerStore(ttl=ttl)

    def put(self, answer: StoredAnswer) -> str:
        answer_id = self._local.put(answer)
        try:
            self._redis.set(self._prefix + answer_id, answer.to_json().encode("utf-8"), ex=self._ttl)
        except Exception as exc:  # redis raises many types (connection, timeout, response)
            log.warning("redis unavailable for stored answers (%s); keeping this one in memory", exc)
        return answer_id

    def get(self, answer_id: str) -> StoredAnswer | None:
        local = self._local.get(answer_id)
        if local is not None:
            return local
        try:
            raw = self._redis.get(self._prefix + answer_id)
        except Exception as exc:
            log.warning("redis unavailable for stored answers (%s)", exc)
            return None
        return StoredAnswer.from_json(raw) if raw else None

    def close(self) -> None:
        self._redis.close()


def answer_store(redis_url: str | None) -> AnswerStore:
    """Redis when a URL is given, else in-process memory."""
    if not redis_url:
        return MemoryAnswerStore()
    import redis
    from redis.backoff import ExponentialBackoff
    from redis.retry import Retry

    client = redis.Redis.from_url(redis_url, socket_timeout=1, socket_connect_timeout=1, health_check_interval=30,
                                  retry=Retry(ExponentialBackoff(cap=0.2, base=0.05), 1))
    return RedisAnswerStore(client)
