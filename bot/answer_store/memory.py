"""Shown answers in this process's memory: expiring, bounded, thread-safe."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from bot.core.answers import ANSWER_TTL_SECONDS, ShownAnswer

# An answer is a few hundred bytes: 100,000 of them is a day of a busy workspace in some tens of MB.
MAX_ANSWERS = 100_000


class MemoryAnswerStore:
    def __init__(self, ttl: float = ANSWER_TTL_SECONDS, max_answers: int = MAX_ANSWERS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl = ttl
        self._max = max_answers
        self._clock = clock
        self._lock = threading.Lock()
        # id -> (expires at, answer); one fixed TTL keeps insertion order equal to expiry order.
        self._answers: OrderedDict[str, tuple[float, ShownAnswer]] = OrderedDict()

    def put(self, answer_id: str, answer: ShownAnswer) -> None:
        now = self._clock()
        with self._lock:
            self._expire(now)
            self._answers[answer_id] = (now + self._ttl, answer)
            while len(self._answers) > self._max:
                # The oldest answers' buttons stop working first (they say so when clicked).
                self._answers.popitem(last=False)

    def get(self, answer_id: str) -> ShownAnswer | None:
        with self._lock:
            self._expire(self._clock())
            found = self._answers.get(answer_id)
            return found[1] if found else None

    def _expire(self, now: float) -> None:
        while self._answers:
            oldest, (expires, _answer) = next(iter(self._answers.items()))
            if expires > now:
                return
            del self._answers[oldest]

    def __len__(self) -> int:
        with self._lock:
            return len(self._answers)
