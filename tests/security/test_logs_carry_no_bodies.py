"""Logs carry no request bodies, and every line we write is one bounded line.

Anyone can POST to the Slack endpoint; slack-bolt would log the whole body of an unsigned request.
"""

from __future__ import annotations

import io
import json
import logging

import pytest
from slack_rig import SECRET, serve
from slackstub import BOT_USER, event_body, mention_event, post

from bot.logs import MAX_MESSAGE_CHARS, MAX_TRACEBACK_CHARS, handler, one_line

# Bounded: the longest message plus the longest traceback plus the prefix and the markers.
LONGEST_LINE = MAX_MESSAGE_CHARS + MAX_TRACEBACK_CHARS + 300


@pytest.fixture
def served(stub, tmp_path):
    stub.users["U0ALICE"] = {"id": "U0ALICE", "team_id": "T0HOME", "locale": "en-GB"}
    yield from serve(stub, tmp_path / "serve.log")


def hostile_body() -> bytes:
    """Valid JSON just under the size limit whose whitespace is newlines that would forge log lines."""
    line = "2024-01-01 00:00:00,000 ERROR bot.slack: FORGED admin logged in; password=hunter2"
    lines = ",\n".join(json.dumps(line) for _ in range(990_000 // (len(line) + 4)))
    return ('{"type": "event_callback", "event": {"type": "app_mention"}, "junk": [\n' + lines + "\n]}").encode()


def test_an_unsigned_megabyte_with_newlines_leaves_one_short_line_in_the_log(served, stub):
    body = hostile_body()
    assert 900_000 < len(body) < 1_000_000  # under the size limit, so the app reads and checks it
    response = post(served.events_url, body, "application/json", secret=None, signature="v0=" + "0" * 64)
    assert response.status == 401
    # A signed event afterwards is answered: the server is fine, and its answer is logged after the rejection.
    signed = event_body(mention_event(f"<@{BOT_USER}> spf", ts="1700000900.000100"), "EvLogs1")
    assert post(served.events_url, signed, "application/json", secret=SECRET).status == 200
    stub.wait_calls("chat.postMessage", 1, timeout=30)
    served.stop()

    log = served.log_text()
    assert "FORGED" not in log and "hunter2" not in log
    rejected = [line for line in log.splitlines() if "invalid signature" in line]
    assert len(rejected) == 1
    assert "not logged" in rejected[0] and len(rejected[0]) < 400
    assert all(len(line) <= LONGEST_LINE for line in log.splitlines())
    assert len(log) < 20_000  # the log of the whole run, start and stop included


def test_every_record_is_one_bounded_line_tracebacks_included():
    stream = io.StringIO()
    log = logging.getLogger("tests.security.one_line")
    log.propagate = False
    log.addHandler(handler(stream))
    try:
        log.warning("user said %s", "line one\nFAKE ERROR line two\r\x1b[31mred\u2028")
        log.warning("x" * 100_000)
        try:
            raise ValueError("a\nmultiline\nerror " + "y" * 50_000)
        except ValueError:
            log.exception("failed")
    finally:
        log.handlers.clear()
    lines = stream.getvalue().splitlines()
    assert len(lines) == 3
    assert "line one\\nFAKE ERROR line two\\r\\x1b[31mred\\x2028" in lines[0]
    assert len(lines[1]) <= LONGEST_LINE and "98000 more characters" in lines[1]
    assert "Traceback" in lines[2] and "ValueError" in lines[2] and len(lines[2]) <= LONGEST_LINE


def test_one_line_escapes_controls_and_cuts_long_text():
    assert one_line("a\nb\tc\x00") == "a\\nb\\tc\\x00"
    assert one_line("z" * 50, limit=10) == "z" * 10 + "… (40 more characters)"
