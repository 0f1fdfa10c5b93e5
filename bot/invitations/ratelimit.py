"""Sliding-window rate limiting shared by threads: the client's limiter and the sandbox's 429 rule.

Requests made inside `bulk_requests()` (a pasted list of ids being checked) may use only
`bulk_share` of each window, so the rest stays free for interactive lookups: one person's bulk
check never makes the next person's single lookup wait.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

Clock = Callable[[], float]
Sleep = Callable[[float], None]

# The part of every window that bulk checks may use.
BULK_SHARE = 0.5

_bulk: ContextVar[bool] = ContextVar("invitations_bulk", default=False)


@contextmanager
def bulk_requests() -> Iterator[None]:
    """API requests made in this block (in this thread) are bulk work: a bounded share, lower priority."""
    token = _bulk.set(True)
    try:
        yield
    finally:
        _bulk.reset(token)


def in_bulk() -> bool:
    return _bulk.get()


class WouldExceedBudget(Exception):
    """Waiting for the rate limiter would outlast the caller's time budget.

    `retry_after`: seconds until the request could go (None when unknown).
    """

    def __init__(self, retry_after: float | None) -> None:
        super().__init__(f"the rate limit frees a slot in {retry_after:.1f}s" if retry_after is not None
                         else "no slot frees in time")
        self.retry_after = retry_after


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
        bulk_share: float = BULK_SHARE,
    ) -> None:
        if not 0 < bulk_share <= 1:
            raise ValueError(f"bulk_share must be in (0, 1], got {bulk_share}")
        # (count, seconds, every admitted stamp, the bulk stamps, the most bulk events a window may hold)
        self._windows: list[tuple[int, float, deque[float], deque[float], int]] = []
        for count, seconds in limits:
            if count < 1 or seconds <= 0:
                raise ValueError(f"a rate limit needs a positive count and window, got {count}/{seconds}s")
            self._windows.append((count, seconds, deque(), deque(), max(1, math.floor(count * bulk_share))))
        self._paused_until = float("-inf")
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
        bulk_share: float = BULK_SHARE,
    ) -> SlidingWindowLimiter:
        """The API's published windows, plus an optional per-second rule (tests, benchmarks, sandboxes)."""
        limits: list[tuple[int, float]] = []
        if per_second is not None:
            limits.append(per_second_window(per_second))
        if per_5min is not None:
            limits.append((per_5min, 300.0))
        if per_hour is not None:
            limits.append((per_hour, 3600.0))
        return cls(limits, clock=clock, sleep=sleep, margin=margin, bulk_share=bulk_share)

    def _wait_needed(self, now: float, bulk: bool) -> float:
        wait = max(0.0, self._paused_until - now)
        for count, seconds, stamps, bulk_stamps, bulk_count in self._windows:
            while stamps and stamps[0] <= now - seconds:
                stamps.popleft()
            while bulk_stamps and bulk_stamps[0] <= now - seconds:
                bulk_stamps.popleft()
            if len(stamps) >= count:
                wait = max(wait, stamps[0] + seconds - now)
            if bulk and len(bulk_stamps) >= bulk_count:
                wait = max(wait, bulk_stamps[0] + seconds - now)
        return wait

    def try_acquire(self, bulk: bool = False) -> float:
        """Admit one event now and return 0.0, or admit nothing and return the seconds until a slot frees."""
        with self._lock:
            now = self._clock()
            wait = self._wait_needed(now, bulk)
            if wait > 0:
                return wait
            for _count, _seconds, stamps, bulk_stamps, _bulk_count in self._windows:
                stamps.append(now)
                if bulk:
                    bulk_stamps.append(now)
            return 0.0

    def acquire(self, bulk: bool = False, deadline: float | None = None) -> float:
        """Block until one event is admitted; return the seconds spent waiting.

        With a `deadline` (on the limiter's clock), raise WouldExceedBudget at once instead of
        waiting past it.
        """
        start = self._clock()
        while True:
            wait = self.try_acquire(bulk)
            if wait <= 0:
                return self._clock() - start
            if deadline is not None and self._clock() + wait > deadline:
                raise WouldExceedBudget(wait)
            self._sleep(wait + self._margin)

    def pause(self, seconds: float) -> None:
        """Admit nothing for `seconds` (the server asked us to back off with Retry-After)."""
        with self._lock:
            self._paused_until = max(self._paused_until, self._clock() + seconds)

    def bulk_estimate(self, requests: int) -> float:
        """About how many seconds until `requests` more bulk events could be admitted, if no one
        else used the windows: the bulk share left now, then a share per window length."""
        if requests <= 0:
            return 0.0
        with self._lock:
            now = self._clock()
            self._wait_needed(now, True)  # drops expired stamps
            longest = max(0.0, self._paused_until - now)
            for count, seconds, stamps, bulk_stamps, bulk_count in self._windows:
                free = max(0, min(bulk_count - len(bulk_stamps), count - len(stamps)))
                if requests > free:
                    longest = max(longest, (requests - free) / bulk_count * seconds)
            return longest


def per_second_window(rate: float) -> tuple[int, float]:
    """A (count, seconds) window for `rate` events per second; fractional rates widen the window."""
    if rate <= 0:
        raise ValueError(f"a rate must be positive, got {rate}")
    count = max(1, math.floor(rate))
    return count, count / rate
