"""Events leave the answer path at once and reach the store once it works again, within the buffer's limit."""

from __future__ import annotations

import threading

from bot.conversation.buffer import BufferedSink
from bot.conversation.store import open_store
from bot.core.ports import Event, EventKind


class Outage:
    """The real store behind a switch: while `down`, every write and connect fails like a stopped server."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.down = threading.Event()
        self.store = None
        self.attempts = 0

    def connect(self):
        self.attempts += 1
        if self.down.is_set():
            raise ConnectionError("database is down")
        self.store = open_store(self.url)
        return self

    def write(self, batch):
        self.attempts += 1
        if self.down.is_set():
            raise ConnectionError("database is down")
        self.store.write(batch)

    def purge(self) -> int:
        return self.store.purge()

    def close(self) -> None:
        self.store.close()


def event(i: int) -> Event:
    return Event(EventKind.UNANSWERED, "slack", text=f"question {i}")


def test_events_are_written_in_the_background(sqlite_url):
    outage = Outage(sqlite_url)
    sink = BufferedSink(outage.connect)
    for i in range(1200):
        sink.record(event(i))
    assert sink.flush(30)
    assert outage.store.count() == 1200 and sink.written == 1200
    sink.close()


def test_an_outage_loses_nothing_within_the_buffer(postgres_url):
    outage = Outage(postgres_url)
    outage.down.set()
    sink = BufferedSink(outage.connect, retry_max=0.05)
    for i in range(300):
        sink.record(event(i))  # returns at once although the database is away
    assert sink.pending == 300 and sink.dropped == 0
    outage.down.clear()
    assert sink.flush(60)
    assert outage.store.count() == 300
    sink.close()


def test_past_the_limit_events_are_counted_and_dropped_never_blocking(sqlite_url):
    outage = Outage(sqlite_url)
    outage.down.set()
    drops = []
    sink = BufferedSink(outage.connect, limit=100, retry_max=0.05, on_drop=lambda: drops.append(1))
    for i in range(150):
        sink.record(event(i))
    assert sink.dropped == 50 and len(drops) == 50
    outage.down.clear()
    assert sink.flush(30)
    assert outage.store.count() == 100
    sink.close()


def test_a_real_postgresql_server_stopped_and_started_again_loses_nothing():
    import os

    import pytest
    from pgserver import start_postgres

    server = start_postgres()
    if server is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is required under CI")
        pytest.skip("PostgreSQL not installed")
    try:
        sink = BufferedSink(lambda: open_store(server.url), retry_max=0.1)
        for i in range(50):
            sink.record(event(i))
        assert sink.flush(60)
        server.stop()
        for i in range(50, 250):
            sink.record(event(i))  # the database is down: each returns at once
        assert sink.pending == 200
        server.start()
        assert sink.flush(60)
        store = open_store(server.url)
        assert store.count() == 250
        store.close()
        sink.close()
    finally:
        server.destroy()
