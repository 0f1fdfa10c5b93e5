"""The gate every HTTP exchange of the client passes: bounded concurrency, the rate limiter, counters."""

from __future__ import annotations

import threading
import time

import httpx

from bot.invitations.ratelimit import Clock, SlidingWindowLimiter, WouldExceedBudget, in_bulk

# How long a concurrency slot is waited for when the caller's deadline is further away: slots
# free as soon as an exchange ends, so this is far longer than any wait for one should be.
_SLOT_WAIT_CAP = 60.0
# What the average exchange is taken to last before one has been measured.
_FIRST_GUESS_SECONDS = 0.3


class GuardedTransport(httpx.BaseTransport):
    """Wraps the real transport so that token fetches and retries count exactly like first attempts.

    Time spent queueing here (for a concurrency slot or the limiter) is the
    client's own pacing, not server trouble, so it is tallied per thread and
    left out of the retry budget; but no request waits past its thread's deadline
    (`deadline()`): it raises WouldExceedBudget instead, so the asker is told.

    Bulk requests (ratelimit.bulk_requests) may hold all but one concurrency slot, so an
    interactive lookup never queues behind a whole bulk check.
    """

    def __init__(
        self,
        inner: httpx.BaseTransport,
        limiter: SlidingWindowLimiter,
        max_concurrency: int,
        *,
        clock: Clock = time.monotonic,
    ) -> None:
        if max_concurrency < 1:
            raise ValueError("max_concurrency must be at least 1")
        self._inner = inner
        self._limiter = limiter
        self._slots = threading.BoundedSemaphore(max_concurrency)
        self._bulk_slots = threading.BoundedSemaphore(max(1, max_concurrency - 1))
        self.bulk_concurrency = max(1, max_concurrency - 1)
        self._clock = clock
        self._average = _FIRST_GUESS_SECONDS
        self._local = threading.local()
        self._count_lock = threading.Lock()
        self.requests_sent = 0
        self.responses_by_status: dict[int, int] = {}

    @property
    def limiter(self) -> SlidingWindowLimiter:
        return self._limiter

    def queued_seconds(self) -> float:
        """Seconds this thread has spent waiting at the gate so far."""
        return float(getattr(self._local, "queued", 0.0))

    def set_deadline(self, deadline: float | None) -> None:
        """No request of this thread waits at the gate past `deadline` (on the gate's clock)."""
        self._local.deadline = deadline

    @property
    def average_seconds(self) -> float:
        """A running average of how long one exchange takes (for estimates)."""
        return self._average

    def _slot(self, semaphore: threading.BoundedSemaphore, deadline: float | None) -> None:
        wait = _SLOT_WAIT_CAP if deadline is None else min(_SLOT_WAIT_CAP, deadline - self._clock())
        if wait <= 0 or not semaphore.acquire(timeout=wait):
            raise WouldExceedBudget(None)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        start = self._clock()
        deadline: float | None = getattr(self._local, "deadline", None)
        if not in_bulk():
            return self._exchange(request, start, deadline, bulk=False)
        self._slot(self._bulk_slots, deadline)
        try:
            return self._exchange(request, start, deadline, bulk=True)
        finally:
            self._bulk_slots.release()

    def _exchange(self, request: httpx.Request, start: float, deadline: float | None, bulk: bool) -> httpx.Response:
        self._slot(self._slots, deadline)
        try:
            try:
                self._limiter.acquire(bulk=bulk, deadline=deadline)
            finally:
                self._local.queued = self.queued_seconds() + (self._clock() - start)
            with self._count_lock:
                self.requests_sent += 1
            sent = self._clock()
            response = self._inner.handle_request(request)
            try:
                # Read the body while holding the slot, so the bound covers the whole exchange.
                response.read()
            except BaseException:
                response.close()
                raise
        finally:
            self._slots.release()
        with self._count_lock:
            self._average = 0.8 * self._average + 0.2 * (self._clock() - sent)
            self.responses_by_status[response.status_code] = (
                self.responses_by_status.get(response.status_code, 0) + 1
            )
        return response

    def close(self) -> None:
        self._inner.close()
