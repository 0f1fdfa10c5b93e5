"""The sandbox's options and the trouble it can be told to cause: rate limits, flaky 5xx, slowness."""

from __future__ import annotations

import json
import math
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import datetime

from bot.invitations.ratelimit import Clock, Sleep, SlidingWindowLimiter, per_second_window
from bot.invitations.sandbox.accounts import LARGE_ACCOUNT_SIZE


@dataclass(frozen=True)
class SandboxOptions:
    # Requests per second over all clients; past it the answer is 429 with Retry-After.
    rate_limit_per_second: float | None = None
    # Every Nth request (1-based, counted after the rate limit) answers a 5xx.
    fail_every: int | None = None
    # Seconds to wait before answering each request.
    delay_seconds: float = 0.0
    # Lifetime of issued access tokens, seconds.
    token_lifetime_seconds: int = 359_999
    large_account_size: int = LARGE_ACCOUNT_SIZE
    # The moment the demo data is built around (default: now).
    now: datetime | None = None

    def __post_init__(self) -> None:
        if self.rate_limit_per_second is not None and self.rate_limit_per_second <= 0:
            raise ValueError("rate_limit_per_second must be positive")
        if self.fail_every is not None and self.fail_every < 1:
            raise ValueError("fail_every must be at least 1")
        if self.delay_seconds < 0 or self.token_lifetime_seconds < 1 or self.large_account_size < 1:
            raise ValueError("delay, token lifetime and account size must be positive")


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()


def error_reply(status: int, code: str, message: str, *headers: tuple[str, str]) -> Reply:
    body = {"message": message, "errorCode": code, "correlationId": str(uuid.uuid4())}
    return Reply(status, json.dumps(body).encode(), (("Content-Type", "application/json"), *headers))


# What a flaky deployment sends on a bad day: JSON errors, a proxy's HTML page, an empty body.
_FAILURES = (
    lambda: error_reply(500, "internal_error", "Internal server error"),
    lambda: Reply(502, b"<html><body><h1>502 Bad Gateway</h1></body></html>", (("Content-Type", "text/html"),)),
    lambda: error_reply(503, "service_unavailable", "Service temporarily unavailable"),
    lambda: Reply(504, b"", ()),
)


class FaultInjector:
    """Decides, before a request is handled, whether it is delayed, rate limited or failed on purpose."""

    def __init__(self, options: SandboxOptions, *, clock: Clock = time.monotonic, sleep: Sleep = time.sleep) -> None:
        self._options = options
        self._sleep = sleep
        self._limiter = (
            SlidingWindowLimiter([per_second_window(options.rate_limit_per_second)], clock=clock)
            if options.rate_limit_per_second is not None else None
        )
        self._lock = threading.Lock()
        self.requests = 0
        self.rate_limited = 0
        self.failed = 0

    def before(self) -> Reply | None:
        """A reply that replaces the real answer, or None to handle the request normally."""
        if self._options.delay_seconds:
            self._sleep(self._options.delay_seconds)
        with self._lock:
            self.requests += 1
        if self._limiter is not None:
            wait = self._limiter.try_acquire()
            if wait > 0:
                with self._lock:
                    self.rate_limited += 1
                # Retry-After is whole seconds; round up so obeying it always works.
                return error_reply(429, "too_many_requests", "Rate limit exceeded",
                                   ("Retry-After", str(max(1, math.ceil(wait)))))
        every = self._options.fail_every
        if every is not None:
            with self._lock:
                admitted = self.requests - self.rate_limited
                fail = admitted % every == 0
                if fail:
                    self.failed += 1
                    kind = (self.failed - 1) % len(_FAILURES)
            if fail:
                return _FAILURES[kind]()
        return None
