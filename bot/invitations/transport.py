"""The gate every HTTP exchange of the client passes: bounded concurrency, the rate limiter, counters."""

from __future__ import annotations

import threading
import time

import httpx

from bot.invitations.ratelimit import Clock, SlidingWindowLimiter


class GuardedTransport(httpx.BaseTransport):
    """Wraps the real transport so that token fetches and retries count exactly like first attempts.

    Time spent queueing here (for a concurrency slot or the limiter) is the
    client's own pacing, not server trouble, so it is tallied per thread and
    left out of the retry budget.
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
        self._clock = clock
        self._local = threading.local()
        self._count_lock = threading.Lock()
        self.requests_sent = 0
        self.responses_by_status: dict[int, int] = {}

    def queued_seconds(self) -> float:
        """Seconds this thread has spent waiting at the gate so far."""
        return float(getattr(self._local, "queued", 0.0))

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        start = self._clock()
        with self._slots:
            self._limiter.acquire()
            self._local.queued = self.queued_seconds() + (self._clock() - start)
            with self._count_lock:
                self.requests_sent += 1
            response = self._inner.handle_request(request)
            try:
                # Read the body while holding the slot, so the bound covers the whole exchange.
                response.read()
            except BaseException:
                response.close()
                raise
        with self._count_lock:
            self.responses_by_status[response.status_code] = (
                self.responses_by_status.get(response.status_code, 0) + 1
            )
        return response

    def close(self) -> None:
        self._inner.close()
