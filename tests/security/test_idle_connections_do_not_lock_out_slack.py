"""A client holding many idle connections does not lock Slack out: the server's connection limit sits
far above 2,000 (poll(), not select()), and a signed event is still taken at once.

The 3 s figure is measured by benchmarks/bench_idle_connections.py; this test checks that the
event is acknowledged at all while the connections are held (before: only once waitress closed
idle connections, a minute later).
"""

from __future__ import annotations

import resource
import socket

import pytest
from slack_rig import SECRET, serve
from slackstub import BOT_USER, event_body, mention_event, post

from bot.slack.wsgi import RESERVED_FDS, connection_limit

WANTED = 2_000


def raise_limit() -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = WANTED + 1_000 if hard == resource.RLIM_INFINITY else min(WANTED + 1_000, hard)
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


@pytest.fixture
def served(stub, tmp_path):
    stub.users["U0ALICE"] = {"id": "U0ALICE", "team_id": "T0HOME", "locale": "en-GB"}
    raise_limit()  # the server inherits it
    yield from serve(stub, tmp_path / "serve.log")


def test_two_thousand_idle_connections_do_not_keep_a_signed_event_out(served, stub):
    limit = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    # Where the system allows fewer files, as many idle connections as the server could then
    # serve at once, less a margin: the promise scales with the limit.
    count = min(WANTED, limit - RESERVED_FDS - 100, connection_limit(limit) - 50)
    held: list[socket.socket] = []
    try:
        for n in range(count):
            sock = socket.create_connection(("127.0.0.1", int(served.url.rsplit(":", 1)[1])), timeout=5)
            if n % 2:
                sock.sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\n")  # a request that never ends
            held.append(sock)
        body = event_body(mention_event(f"<@{BOT_USER}> spf", ts="1700005000.000100"), "EvIdleHeld")
        # Generous: before the fix the event waited for idle connections to be closed (30-60 s).
        response = post(served.events_url, body, "application/json", secret=SECRET, timeout=20)
        assert response.status == 200
        stub.wait_calls("chat.postMessage", 1, timeout=20)
    finally:
        for sock in held:
            sock.close()
    assert count >= min(WANTED, 500)
