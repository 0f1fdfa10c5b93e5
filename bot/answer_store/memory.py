"""Shown answers in this process's memory: expiring, bounded, thread-safe."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from bot.core.answers import ANSWER_TTL_SECONDS, ShownAnswer

# An answer is a few hundred bytes: 100,000 of them is a day of a busy workspace in some tens of MB.
MAX_ANSWERS = 100_000
# A question may be a pasted column of ids (20,000 characters): the questions kept are bounded in total too,
# so that a flood of long pastes cannot fill the memory for a day.
MAX_QUESTION_CHARS = 20_000_000


class MemoryAnswerStore:
    def __init__(self, ttl: float = ANSWER_TTL_SECONDS, max_answers: int = MAX_ANSWERS,
                 clock: Callable[[], float] = time.monotonic, max_chars: int = MAX_QUESTION_CHARS) -> None:
        self._ttl = ttl
        self._max = max_answers
        self._max_chars = max_chars
        self._chars = 0
        self._clock = clock
        self._lock = threading.Lock()
        # id -> (expires at, answer); one fixed TTL keeps insertion order equal to expiry order.
        self._answers: OrderedDict[str, tuple[float, ShownAnswer]] = OrderedDict()

    def put(self, answer_id: str, answer: ShownAnswer) -> None:
        now = self._clock()
        with self._lock:
            self._expire(now)
            self._drop(answer_id)
            self._answers[answer_id] = (now + self._ttl, answer)
            self._chars += len(answer.question.text)
            while len(self._answers) > self._max or self._chars > self._max_chars:
                # The oldest answers' buttons stop working first (they say so when clicked).
                self._drop(next(iter(self._answers)))

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
            self._drop(oldest)

    def _drop(self, answer_id: str) -> None:
        found = self._answers.pop(answer_id, None)
        if found is not None:
            self._chars -= len(found[1].question.text)

    def __len__(self) -> int:
        with self._lock:
            return len(self._answers)
