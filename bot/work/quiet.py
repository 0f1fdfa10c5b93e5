"""Acknowledgements first: during a burst of incoming requests, background work waits (briefly).

Python threads share one interpreter lock, so answers being computed slow down the threads that
acknowledge new requests. While requests arrive in a burst (at least `burst` of them within
`window` seconds) a job about to start waits for the burst to pass, but a pause never lasts longer
than `longest`, and after a pause no job waits for nine times as long as it lasted: under a
sustained flood answers must keep flowing (or they would pile up), so acks get priority for at
most a tenth of the time. Outside bursts (a few requests a second) nothing waits at all.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

BURST_REQUESTS = 20
WINDOW_SECONDS = 0.1
LONGEST_SECONDS = 0.3
# After a pause of d seconds, none for COOLDOWN_FACTOR * d: workers wait at most a tenth of the time.
COOLDOWN_FACTOR = 9.0
_STEP_SECONDS = 0.005


class AckFirst:
    def __init__(self, burst: int = BURST_REQUESTS, window: float = WINDOW_SECONDS,
                 longest: float = LONGEST_SECONDS, cooldown_factor: float = COOLDOWN_FACTOR,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], object] | None = None) -> None:
        self._burst = burst
        self._window = window
        self._longest = longest
        self._cooldown_factor = cooldown_factor
        self._clock = clock
        self._arrivals: deque[float] = deque(maxlen=burst)
        self._lock = threading.Lock()
        self._pause_started: float | None = None
        self._cooldown_until = float("-inf")
        self._sleep = sleep or threading.Event().wait  # an Event never set: its wait() is a sleep

    def request_arrived(self) -> None:
        """Called for every incoming request that must be acknowledged quickly."""
        now = self._clock()
        with self._lock:
            self._arrivals.append(now)

    def _in_burst(self, now: float) -> bool:
        return len(self._arrivals) >= self._burst and self._arrivals[0] > now - self._window

    def _should_wait(self) -> bool:
        now = self._clock()
        with self._lock:
            if self._pause_started is None:
                if now < self._cooldown_until or not self._in_burst(now):
                    return False
                self._pause_started = now
                return True
            paused = now - self._pause_started
            if self._in_burst(now) and paused < self._longest:
                return True
            self._pause_started = None
            self._cooldown_until = now + self._cooldown_factor * paused
            return False

    def wait_for_lull(self) -> None:
        """Return at once outside a burst; during one, once it has passed (or the pause ran out)."""
        while self._should_wait():
            # Pacing against real requests, in small steps: the burst may end any moment.
            self._sleep(_STEP_SECONDS)
