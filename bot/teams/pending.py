"""Action lists waiting for the uploader's consent to receive them (Teams' file consent card).

Teams sends a bot's file to a person only after they accept it, and that may take a while or never happen.
Meanwhile the list waits here, compressed, under an opaque id (the card's acceptContext), for at most
CONSENT_TTL_SECONDS; then it is dropped and an acceptance says to send the export again. It is kept in this
process's memory, bounded in total size (the oldest go first), or in Redis with REDIS_URL so that the acceptance
may reach any instance. Nothing is ever written to disk.
"""

from __future__ import annotations

import json
import logging
import secrets
import threading
import time
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from typing import IO, Any, Protocol

log = logging.getLogger(__name__)

# How long an action list waits for the uploader to accept it.
CONSENT_TTL_SECONDS = 15 * 60
# In memory: at most this many lists and this many compressed bytes in all; the oldest are dropped first.
MAX_PENDING_LISTS = 1000
MAX_PENDING_BYTES = 64 * 1024 * 1024
# One list larger than this, compressed, is not kept (an action list compresses about tenfold).
MAX_LIST_BYTES = 16 * 1024 * 1024
_CHUNK = 256 * 1024


@dataclass(frozen=True)
class PendingList:
    """An action list as it waits: who may accept it, where, and its bytes (compressed)."""

    # The uploader's Teams user id and the conversation the file was sent in: nobody else may take it.
    uploader: str
    conversation: str
    filename: str
    # Its size uncompressed, as the consent card shows it and the upload declares it.
    size: int
    language: str
    data: bytes

    def chunks(self) -> Iterator[bytes]:
        """The list's bytes, uncompressed a piece at a time."""
        inflate = zlib.decompressobj()
        for start in range(0, len(self.data), _CHUNK):
            piece = inflate.decompress(self.data[start:start + _CHUNK])
            if piece:
                yield piece
        if tail := inflate.flush():
            yield tail

    @classmethod
    def compress(cls, source: IO[bytes], *, uploader: str, conversation: str, filename: str,
                 language: str) -> PendingList:
        """The list read from `source` (from its start) and compressed."""
        source.seek(0)
        deflate = zlib.compressobj(6)
        parts: list[bytes] = []
        size = 0
        while chunk := source.read(_CHUNK):
            size += len(chunk)
            parts.append(deflate.compress(chunk))
        parts.append(deflate.flush())
        return cls(uploader=uploader, conversation=conversation, filename=filename, size=size, language=language,
                   data=b"".join(parts))

    def to_bytes(self) -> bytes:
        """One JSON line of the facts, then the compressed bytes (one Redis value)."""
        facts = {key: value for key, value in asdict(self).items() if key != "data"}
        return json.dumps(facts, ensure_ascii=False).encode() + b"\n" + self.data

    @classmethod
    def from_bytes(cls, raw: bytes) -> PendingList | None:
        try:
            head, data = raw.split(b"\n", 1)
            facts: dict[str, Any] = json.loads(head)
            return cls(uploader=str(facts["uploader"]), conversation=str(facts["conversation"]),
                       filename=str(facts["filename"]), size=int(facts["size"]), language=str(facts["language"]),
                       data=data)
        except (ValueError, KeyError, TypeError):
            return None


class ListTooLarge(Exception):
    """The action list is too large to keep while it waits for consent."""


class ConsentStore(Protocol):
    def put(self, pending: PendingList) -> str:
        """Keep `pending`; returns its new opaque id. Raises ListTooLarge."""
        ...

    def get(self, list_id: str) -> PendingList | None:
        """The list, or None when unknown, expired or already taken."""
        ...

    def take(self, list_id: str) -> bool:
        """Removes the list; True only for the one caller that removed it (an acceptance is acted on once)."""
        ...


def new_list_id() -> str:
    return secrets.token_urlsafe(18)


class MemoryConsentStore:
    def __init__(self, ttl: float = CONSENT_TTL_SECONDS, max_lists: int = MAX_PENDING_LISTS,
                 max_bytes: int = MAX_PENDING_BYTES, clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl = ttl
        self._max_lists = max_lists
        self._max_bytes = max_bytes
        self._clock = clock
        self._lock = threading.Lock()
        self._bytes = 0
        # Oldest first: one time to live keeps insertion order equal to expiry order.
        self._lists: OrderedDict[str, tuple[float, PendingList]] = OrderedDict()

    def put(self, pending: PendingList) -> str:
        if len(pending.data) > min(MAX_LIST_BYTES, self._max_bytes):
            raise ListTooLarge(f"{len(pending.data)} bytes compressed")
        list_id = new_list_id()
        with self._lock:
            self._drop_expired()
            self._lists[list_id] = (self._clock() + self._ttl, pending)
            self._bytes += len(pending.data)
            while len(self._lists) > self._max_lists or self._bytes > self._max_bytes:
                dropped_id, (_expires, dropped) = self._lists.popitem(last=False)
                self._bytes -= len(dropped.data)
                log.info("action list %s… dropped before its time: the store is full", dropped_id[:6])
        return list_id

    def get(self, list_id: str) -> PendingList | None:
        with self._lock:
            self._drop_expired()
            found = self._lists.get(list_id)
            return found[1] if found else None

    def take(self, list_id: str) -> bool:
        with self._lock:
            self._drop_expired()
            found = self._lists.pop(list_id, None)
            if found is None:
                return False
            self._bytes -= len(found[1].data)
            return True

    def _drop_expired(self) -> None:
        now = self._clock()
        while self._lists:
            oldest = next(iter(self._lists))
            expires, pending = self._lists[oldest]
            if expires > now:
                return
            del self._lists[oldest]
            self._bytes -= len(pending.data)


class RedisConsentStore:
    """`SET key value EX ttl`, so an acceptance reaching any instance finds the list; `DEL` decides which one
    instance acts on it. When Redis fails, the list waits in this instance's memory instead."""

    def __init__(self, redis: Any, ttl: int = CONSENT_TTL_SECONDS,
                 prefix: str = "invitation-bot:teams-action-list:") -> None:
        self._redis = redis
        self._ttl = ttl
        self._prefix = prefix
        self._local = MemoryConsentStore(ttl=ttl)

    def put(self, pending: PendingList) -> str:
        if len(pending.data) > MAX_LIST_BYTES:
            raise ListTooLarge(f"{len(pending.data)} bytes compressed")
        list_id = new_list_id()
        try:
            self._redis.set(self._prefix + list_id, pending.to_bytes(), ex=self._ttl)
            return list_id
        except Exception as exc:  # redis raises many types (connection, timeout, response)
            log.warning("redis unavailable for an action list (%s); it waits in this instance's memory", exc)
        return self._local.put(pending)

    def get(self, list_id: str) -> PendingList | None:
        local = self._local.get(list_id)
        if local is not None:
            return local
        try:
            raw = self._redis.get(self._prefix + list_id)
        except Exception as exc:
            log.warning("redis unavailable for reading an action list (%s)", exc)
            return None
        return PendingList.from_bytes(raw) if raw else None

    def take(self, list_id: str) -> bool:
        if self._local.take(list_id):
            return True
        try:
            return bool(self._redis.delete(self._prefix + list_id))
        except Exception as exc:
            log.warning("redis unavailable for taking an action list (%s)", exc)
            return False

    def close(self) -> None:
        self._redis.close()


def consent_store(redis_url: str | None) -> ConsentStore:
    """Redis when a URL is given (the acceptance may reach any instance), else this process's memory."""
    if not redis_url:
        return MemoryConsentStore()
    import redis
    from redis.backoff import ExponentialBackoff
    from redis.retry import Retry

    # Values up to MAX_LIST_BYTES: a longer socket timeout than for the small keys elsewhere.
    client = redis.Redis.from_url(redis_url, socket_timeout=5, socket_connect_timeout=1, health_check_interval=30,
                                  retry=Retry(ExponentialBackoff(cap=0.2, base=0.05), 1))
    return RedisConsentStore(client)
