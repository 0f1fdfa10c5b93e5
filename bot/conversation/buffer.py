"""Events leave the answer path at once: a bounded in-memory buffer, written by one background thread.

A slow or stopped database never delays an answer. While it is away, events wait in the buffer
(BUFFER_LIMIT of them, about 1 KB each); once it is back they are written in order. Past the
limit new events are dropped, counted and logged: the answers themselves are never affected.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Protocol

from bot.core.ports import Event

log = logging.getLogger(__name__)

BUFFER_LIMIT = 10_000
BATCH = 500
# Waits between attempts while the database is away: doubling from the first to the last.
RETRY_FIRST_SECONDS = 0.2
RETRY_MAX_SECONDS = 5.0
PURGE_EVERY_SECONDS = 3600.0


class Writable(Protocol):
    def write(self, batch: list[Event]) -> None: ...

    def purge(self) -> int: ...

    def close(self) -> None: ...


class BufferedSink:
    def __init__(self, connect: Callable[[], Writable], *, limit: int = BUFFER_LIMIT, batch: int = BATCH,
                 retry_max: float = RETRY_MAX_SECONDS, purge_every: float = PURGE_EVERY_SECONDS,
                 on_drop: Callable[[], None] | None = None) -> None:
        self._connect = connect
        self._limit = limit
        self._batch = batch
        self._retry_max = retry_max
        self._purge_every = purge_every
        self._on_drop = on_drop
        self._pending: deque[Event] = deque()
        self._lock = threading.Condition()
        self._stop = threading.Event()
        self._store: Writable | None = None
        self.written = 0
        self.dropped = 0
        self._thread = threading.Thread(target=self._run, name="event-writer", daemon=True)
        self._thread.start()

    # -- the answer path ------------------------------------------------------------------------

    def record(self, event: Event) -> None:
        with self._lock:
            if len(self._pending) >= self._limit:
                self.dropped += 1
                dropped = self.dropped
            else:
                self._pending.append(event)
                self._lock.notify()
                return
        if self._on_drop is not None:
            self._on_drop()
        if dropped == 1 or dropped % 1000 == 0:
            log.error("event buffer full (%d events waiting for the database): %d events dropped so far",
                      self._limit, dropped)

    # -- the writer -----------------------------------------------------------------------------

    @property
    def pending(self) -> int:
        with self._lock:
            return len(self._pending)

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until every buffered event is written (tests, shutdown); False on timeout."""
        deadline = time.monotonic() + timeout
        with self._lock:
            self._lock.notify()
            while self._pending:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._lock.wait(min(left, 0.05))
        return True

    def close(self, timeout: float = 5.0) -> None:
        """Write what is buffered (for up to `timeout` seconds), then stop the writer."""
        if not self.flush(timeout):
            log.warning("stopping with %d events not yet written", self.pending)
        self._stop.set()
        with self._lock:
            self._lock.notify_all()
        self._thread.join(timeout=2)
        if self._store is not None:
            self._store.close()

    def _run(self) -> None:
        delay = RETRY_FIRST_SECONDS
        failing = False
        next_purge = 0.0
        while not self._stop.is_set():
            with self._lock:
                while not self._pending and not self._stop.is_set() and time.monotonic() < next_purge:
                    self._lock.wait(max(0.0, min(next_purge - time.monotonic(), 1.0)))
                batch = [self._pending[i] for i in range(min(self._batch, len(self._pending)))]
            try:
                if self._store is None:
                    self._store = self._connect()
                if batch:
                    self._store.write(batch)
                if time.monotonic() >= next_purge:
                    self._store.purge()
                    next_purge = time.monotonic() + self._purge_every
            except Exception as exc:
                if not failing:
                    log.warning("event store unavailable (%s: %s); %d events buffered, retrying",
                                type(exc).__name__, str(exc).splitlines()[0] if str(exc) else "", len(batch))
                failing = True
                self._stop.wait(delay)
                delay = min(delay * 2, self._retry_max)
                continue
            if failing:
                log.info("event store is back; writing the buffered events")
                failing = False
            delay = RETRY_FIRST_SECONDS
            with self._lock:
                for _ in batch:
                    self._pending.popleft()
                self.written += len(batch)
                self._lock.notify_all()
