"""Sliding-window rate limiting shared by threads: the client's limiter and the sandbox's 429 rule."""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable

Clock = Callable[[], float]
Sleep = Callable[[float], None]


class SlidingWindowLimiter:
    """At most `count` events in any `seconds`-long window, for every (count, seconds) pair at once.

    Each window keeps the times of its last `count` admitted events, so the
    rule is exact (no bucket edges) and memory stays bounded by the limits.
    """

    def __init__(
        self,
        limits: Iterable[tuple[int, float]],
        *,
        clock: Clock = time.monotonic,
        sleep: Sleep = time.sleep,
        margin: float = 0.0,
    ) -> None:
        self._windows: list[tuple[int, float, deque[float]]] = []
        for count, seconds in limits:
            if count < 1 or seconds <= 0:
                raise ValueError(f"a rate limit needs a positive count and window, got {count}/{seconds}s")
            self._windows.append((count, seconds, deque()))
        self._clock = clock
        self._sleep = sleep
        # Extra wait past the exact edge: the server stamps a request when it
        # arrives, a little after we stamped it, so waking exactly on the edge
        # could still look like one request too many to the server.
        self._margin = margin
        self._lock = threading.Lock()

    @classmethod
    def for_api(
        cls,
        *,
        per_5min: int | None = 833,
        per_hour: int | None = 10_000,
        per_second: float | None = None,
        clock: Clock = time.monotonic,
        sleep: Sleep = time.sleep,
        margin: float = 0.0,
    ) -> SlidingWindowLimiter:
        """The API's published windows, plus an optional per-second rule (tests, benchmarks, sandboxes)."""
        limits: list[tuple[int, float]] = []
        if per_second is not None:
            limits.append(per_second_window(per_second))
        if per_5min is not None:
            limits.append((per_5min, 300.0))
        if per_hour is not None:
            limits.append((per_hour, 3600.0))
        return cls(limits, clock=clock, sleep=sleep, margin=margin)

    def _wait_needed(self, now: float) -> float:
        wait = 0.0
        for count, seconds, stamps in self._windows:
            while stamps and stamps[0] <= now - seconds:
                stamps.popleft()
            if len(stamps) >= count:
                wait = max(wait, stamps[0] + seconds - now)
        return wait

    def try_acquire(self) -> float:
        """Admit one event now and return 0.0, or admit nothing and return the seconds until a slot frees."""
        with self._lock:
            now = self._clock()
            wait = self._wait_needed(now)
            if wait > 0:
                return wait
            for _count, _seconds, stamps in self._windows:
                stamps.append(now)
            return 0.0

    def acquire(self) -> float:
        """Block until one event is admitted; return the seconds spent waiting."""
        start = self._clock()
        while True:
            wait = self.try_acquire()
            if wait <= 0:
                return self._clock() - start
            self._sleep(wait + self._margin)


def per_second_window(rate: float) -> tuple[int, float]:
    """A (count, seconds) window for `rate` events per second; fractional rates widen the window."""
    if rate <= 0:
        raise ValueError(f"a rate must be positive, got {rate}")
    count = max(1, math.floor(rate))
    return count, count / rate
