"""Acknowledgements first: background work waits for a lull in incoming requests (briefly, bounded).

Python threads share one interpreter lock, so answers being computed slow down the threads that
acknowledge new requests. During a burst (many requests within milliseconds) a job waits until no
request has arrived for `lull` seconds, but never longer than `longest`: acknowledgements have a
hard deadline (Slack's 3 s), answers a soft one.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

LULL_SECONDS = 0.02
LONGEST_SECONDS = 0.5


class AckFirst:
    def __init__(self, lull: float = LULL_SECONDS, longest: float = LONGEST_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._lull = lull
        self._longest = longest
        self._clock = clock
        self._last_request = float("-inf")
        self._calm = threading.Event()

    def request_arrived(self) -> None:
        """Called for every incoming request that must be acknowledged quickly."""
        self._last_request = self._clock()

    def wait_for_lull(self) -> None:
        """Return once requests have paused for `lull` seconds, or after `longest` at most."""
        now = self._clock()
        deadline = now + self._longest
        while True:
            calm_at = self._last_request + self._lull
            if now >= calm_at or now >= deadline:
                return
            # Wakes up on time: this is pacing against real requests, not a poll for state.
            self._calm.wait(min(calm_at, deadline) - now)
            now = self._clock()
