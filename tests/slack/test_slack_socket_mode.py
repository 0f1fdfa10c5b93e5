"""The Slack app in Socket Mode, end to end: bolt's builtin client opens a real WebSocket to a stand-in of
Slack's link (wsstub), envelopes come in over it, acks go back, and answers go out through the Web API stub."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from scripted import TITLES, ScriptedAssistant
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slackstub import BOT_USER, HOME_TEAM, StubSlack, mention_event
from wsstub import StubSocketMode, command_envelope, disconnect_message, events_envelope

from bot.cli.wiring import load_components
from bot.config import Settings
from bot.core.access import AccessPolicy
from bot.render.button_values import ACTION_SHARE
from bot.slack.app import SlackBot, build_slack_bot
from bot.slack.socket_mode import socket_mode_handler

APP_TOKEN = "xapp-1-A0APP-test"
BOT_TOKEN = "xoxb-test"
# slack_sdk's client would tunnel the WebSocket through a proxy named in these; the test stays on loopback.
PROXY_VARIABLES = ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy")


@dataclass
class SocketApp:
    bot: SlackBot
    handler: SocketModeHandler


@pytest.fixture
def ws() -> Iterator[StubSocketMode]:
    server = StubSocketMode().start()
    yield server
    server.stop()


def close_handler(handler: SocketModeHandler, ws: StubSocketMode, timeout: float = 10.0) -> None:
    """handler.close() as the CLI calls it, woken up instead of waited out.

    It joins two threads that block on timeouts: the reader, in recv() with a 3 s timeout on a quiet link
    (pings from the server wake it), and the message processor, in a 1 s queue.get() (a None, which it
    skips, wakes it). Closing then takes as long as the client needs and no longer.
    """
    closer = threading.Thread(target=handler.close, name="close-socket-mode")
    closer.start()
    deadline = time.monotonic() + timeout
    while closer.is_alive() and time.monotonic() < deadline:
        ws.nudge()
        handler.client.message_queue.put(None)
        closer.join(0.05)
    assert not closer.is_alive(), "the Socket Mode handler did not close"


def threads_left(before: set[threading.Thread], timeout: float = 5.0) -> list[str]:
    """Names of threads started since `before` that are still alive after waiting up to `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        extra = [thread for thread in threading.enumerate() if thread not in before]
        if not extra or time.monotonic() >= deadline:
            return [thread.name for thread in extra]
        extra[0].join(max(0.0, deadline - time.monotonic()))


@pytest.fixture
def make_socket_app(stub: StubSlack, ws: StubSocketMode, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """make_socket_app(assistant, access=None) -> SocketApp connected to `ws`, built as `python -m bot socket`
    builds it; on teardown everything is closed and no thread it started may be left running."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    stub.socket_url = ws.url
    stub.users["U0ALICE"] = {"id": "U0ALICE", "team_id": HOME_TEAM, "locale": "en-US"}
    before = set(threading.enumerate())
    started: list[SocketApp] = []

    def make(assistant: Any, access: AccessPolicy | None = None) -> SocketApp:
        settings = Settings(slack_bot_token=BOT_TOKEN, slack_app_token=APP_TOKEN,
                            slack_api_url=stub.api_url.rstrip("/"), language="sv", slack_listener_threads=4)
        bot = build_slack_bot(settings, assistant, access or AccessPolicy(), http=False)
        handler = socket_mode_handler(bot, settings.slack_app_token or "", settings.slack_listener_threads)
        running = SocketApp(bot, handler)
        started.append(running)
        handler.connect()  # what handler.start() does before it blocks forever
        ws.wait_links(1)
        return running

    yield make
    for running in started:
        running.bot.wait_idle()
        close_handler(running.handler, ws)
        running.bot.close()
    ws.wait_for(lambda: not any(link.open for link in ws.links), "the client dropping its connections")
    assert ws.errors == []
    assert threads_left(before) == []


def ack_counts(ws: StubSocketMode) -> dict[str, int]:
    counts: dict[str, int] = {}
    for ack in ws.acks():
        counts[ack.data["envelope_id"]] = counts.get(ack.data["envelope_id"], 0) + 1
    return counts


def header_of(call: Any) -> str:
    return call.args["blocks"][0]["text"]["text"]


def test_connects_with_the_app_token_to_the_url_slack_hands_out(make_socket_app, stub, ws):
    make_socket_app(ScriptedAssistant())
    (opened,) = stub.calls_to("apps.connections.open")
    assert opened.token == APP_TOKEN
    assert {call.token for call in stub.calls_to("auth.test")} == {BOT_TOKEN}
    (link,) = ws.links
    assert (link.path, link.query) == ("/link/", {"ticket": "1"})
    # The client pings right after the handshake; the stub answers with a pong.
    ws.wait_for(lambda: ws.pings >= 1, "the client's first ping")


def test_mention_is_acked_and_answered_in_its_thread(make_socket_app, stub, ws):
    assistant = ScriptedAssistant()
    make_socket_app(assistant)
    ws.send(events_envelope(mention_event(f"<@{BOT_USER}> what is SPF failure?", ts="1700002000.000100"),
                            "EvS1", "env-1"))
    (ack,) = ws.wait_acks("env-1")
    assert ack.data == {"envelope_id": "env-1"}  # events take no response payload
    (call,) = stub.wait_calls("chat.postMessage")
    assert call.token == BOT_TOKEN
    assert call.args["channel"] == "C0GENERAL"
    assert call.args["thread_ts"] == "1700002000.000100"
    assert header_of(call) == TITLES["en"]  # Alice's locale en-US is the fallback language
    assert call.args["text"].startswith(TITLES["en"])
    assert assistant.questions[0].text == "what is SPF failure?"
    # hello is not an envelope: the only thing the app sent back is the one ack.
    assert [r.data for r in ws.received] == [{"envelope_id": "env-1"}]


def test_ack_is_sent_before_the_answer_is_ready(make_socket_app, stub, ws):
    gate = threading.Event()
    app = make_socket_app(ScriptedAssistant(gate=gate))
    try:
        ws.send(events_envelope(mention_event(f"<@{BOT_USER}> slow one", ts="1700002001.000100"), "EvS2", "env-2"))
        ws.wait_acks("env-2")
        # The answer is held back by the gate, so nothing can have been posted yet: the ack did not wait for it.
        assert stub.calls_to("chat.postMessage") == []
    finally:
        gate.set()
    (call,) = stub.wait_calls("chat.postMessage")
    assert call.args["thread_ts"] == "1700002001.000100"
    assert app.bot.wait_idle()


@pytest.mark.parametrize(("envelope_ids", "retry_attempts"), [
    (("env-3", "env-3"), (0, 0)),   # the very same envelope twice
    (("env-4", "env-5"), (0, 1)),   # Slack's redelivery: a new envelope, same event_id, retry_attempt 1
], ids=["same-envelope", "redelivery"])
def test_redelivered_event_is_acked_each_time_and_answered_once(make_socket_app, stub, ws, envelope_ids,
                                                                retry_attempts):
    app = make_socket_app(ScriptedAssistant())
    event = mention_event(f"<@{BOT_USER}> spf", ts="1700002002.000100")
    for envelope_id, attempt in zip(envelope_ids, retry_attempts, strict=True):
        ws.send(events_envelope(event, "EvS3", envelope_id, retry_attempt=attempt,
                                retry_reason="timeout" if attempt else ""))
    wanted: dict[str, int] = {}
    for envelope_id in envelope_ids:
        wanted[envelope_id] = wanted.get(envelope_id, 0) + 1
    ws.wait_for(lambda: all(ack_counts(ws).get(e, 0) >= n for e, n in wanted.items()), f"acks {wanted}")
    stub.wait_calls("chat.postMessage")
    assert app.bot.wait_idle()
    assert len(stub.calls_to("chat.postMessage")) == 1
    assert ack_counts(ws) == wanted


def test_slash_command_is_acked_empty_and_answered_ephemerally(make_socket_app, stub, ws):
    assistant = ScriptedAssistant()
    app = make_socket_app(assistant)
    ws.send(command_envelope("what is spf?", stub.response_url("cmd1"), "env-c1"))
    (ack,) = ws.wait_acks("env-c1")
    # No payload in the ack: Slack would show it in the channel; the answer goes to the asker alone.
    assert ack.data == {"envelope_id": "env-c1"}
    (call,) = stub.wait_calls("response:cmd1")
    assert call.args["response_type"] == "ephemeral"
    assert header_of(call) == TITLES["en"]
    dumped = json.dumps(call.args["blocks"])
    assert "You asked: what is spf?" in dumped
    assert ACTION_SHARE in dumped
    assert assistant.questions[0].text == "what is spf?"
    assert assistant.questions[0].asker.internal
    assert app.bot.wait_idle()
    assert stub.calls_to("chat.postMessage") == []


def test_slash_command_falls_back_to_post_ephemeral_when_the_response_url_is_dead(make_socket_app, stub, ws):
    make_socket_app(ScriptedAssistant())
    stub.dead_response_urls.add("dead")
    ws.send(command_envelope("spf", stub.response_url("dead"), "env-c2", trigger_id="t-dead"))
    ws.wait_acks("env-c2")
    (call,) = stub.wait_calls("chat.postEphemeral")
    assert (call.args["channel"], call.args["user"]) == ("C0GENERAL", "U0ALICE")
    assert call.args["blocks"][0]["text"]["text"] == TITLES["en"]


def test_same_slash_command_envelope_twice_is_answered_once(make_socket_app, stub, ws):
    app = make_socket_app(ScriptedAssistant())
    envelope = command_envelope("spf", stub.response_url("cmd2"), "env-c3", trigger_id="t-twice")
    ws.send(envelope)
    ws.send(envelope)
    ws.wait_for(lambda: ack_counts(ws).get("env-c3", 0) >= 2, "both acks")
    stub.wait_calls("response:cmd2")
    assert app.bot.wait_idle()
    assert len(stub.calls_to("response:cmd2")) == 1


def test_answers_continue_after_slack_refreshes_the_connection(make_socket_app, stub, ws):
    app = make_socket_app(ScriptedAssistant())
    ws.send(disconnect_message())
    old, new = ws.wait_links(2)
    opened = stub.calls_to("apps.connections.open")
    assert [call.token for call in opened] == [APP_TOKEN, APP_TOKEN]
    assert new.query == {"ticket": "2"}  # the fresh URL, not the old one again
    old.close(1000, "refreshed")  # Slack drops the old connection once the new one is up
    ws.wait_for(lambda: not old.open, "the client dropping the old connection")
    ws.send(events_envelope(mention_event(f"<@{BOT_USER}> spf", ts="1700002003.000100"), "EvS4", "env-6"))
    (ack,) = ws.wait_acks("env-6")
    assert ack.link == new.index
    (call,) = stub.wait_calls("chat.postMessage")
    assert call.args["thread_ts"] == "1700002003.000100"
    assert app.bot.wait_idle()
    assert len(ws.links) == 2 and new.open


@pytest.fixture(scope="module")
def components():
    wired = load_components(Settings())
    yield wired
    wired.close()


def test_real_assistant_explains_a_status_over_socket_mode(make_socket_app, stub, ws, components):
    make_socket_app(components.assistant, components.access)
    ws.send(events_envelope(mention_event(f"<@{BOT_USER}> explain the status Not delivered - SPF failure",
                                          ts="1700002004.000100"), "EvS5", "env-7"))
    ws.wait_acks("env-7")
    (call,) = stub.wait_calls("chat.postMessage")
    assert call.args["thread_ts"] == "1700002004.000100"
    assert header_of(call) == components.kb.get("spf_failure").label.get("en")
