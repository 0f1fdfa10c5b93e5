"""A small thread-safe cache whose entries expire, bounded in size (directory lookups: users, channels, members)."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable


class TtlCache[V]:
    def __init__(self, ttl: float, max_entries: int = 10_000, clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl = ttl
        self._max = max_entries
        self._clock = clock
        self._lock = threading.Lock()
        # key -> (expires at, value); kept in insertion order so the oldest go first when full.
        self._entries: OrderedDict[str, tuple[float, V]] = OrderedDict()
        self._loading: dict[str, threading.Lock] = {}

    def get(self, key: str) -> V | None:
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                return None
            expires, value = found
            if expires <= self._clock():
                del self._entries[key]
                return None
            return value

    def put(self, key: str, value: V, ttl: float | None = None) -> None:
        with self._lock:
            self._entries.pop(key, None)
            self._entries[key] = (self._clock() + (self._ttl if ttl is None else ttl), value)
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)

    def forget(self, key: str) -> None:
        with self._lock:
            self._entries.pop(key, None)

    def get_or_load(self, key: str, load: Callable[[], tuple[V, float | None]]) -> V:
        """The cached value, else `load()` -> (value, ttl or None for the default), cached.

        Concurrent callers for one missing key wait for a single load: a burst of messages in
        one channel makes one lookup, not hundreds (Slack and Teams rate-limit them).
        """
        value = self.get(key)
        if value is not None:
            return value
        with self._lock:
            loading = self._loading.setdefault(key, threading.Lock())
        with loading:
            value = self.get(key)
            if value is None:
                value, ttl = load()
                self.put(key, value, ttl)
        with self._lock:
            if self._loading.get(key) is loading:
                del self._loading[key]
        return value

    def __len__(self) -> int:
        return len(self._entries)
