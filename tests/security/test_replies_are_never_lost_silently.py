"""A reply is never lost silently: posting to Slack is retried on 5xx and dropped connections with
backoff, and an answer that still cannot be posted is logged with the event id."""

from __future__ import annotations

import logging

import pytest
from slack_rig import TITLES, ScriptedAssistant
from slackstub import BOT_USER, command_body, event_body, mention_event, post


@pytest.fixture
def app(make_app, stub):
    stub.users["U0ALICE"] = {"id": "U0ALICE", "team_id": "T0HOME", "locale": "en-GB"}
    return make_app(ScriptedAssistant())


def mention(app, event_id: str, ts: str) -> None:
    body = event_body(mention_event(f"<@{BOT_USER}> spf", ts=ts), event_id)
    assert post(app.events_url, body, "application/json", secret=app.secret).status == 200


def test_server_errors_then_success_post_the_answer_once(app, stub):
    stub.server_errors["chat.postMessage"] = [502, 500]
    mention(app, "EvRetry5xx", "1700004000.000100")
    (posted,) = stub.wait_calls("chat.postMessage", 1, timeout=30)
    assert app.bot.wait_idle(30)
    assert [call.method for call in stub.calls if call.method.endswith("chat.postMessage")] == [
        "502:chat.postMessage", "500:chat.postMessage", "chat.postMessage"]
    assert posted.args["text"].startswith(TITLES["en"])


def test_a_dropped_connection_is_retried(app, stub):
    stub.dropped["chat.postMessage"] = 1
    mention(app, "EvRetryDrop", "1700004001.000100")
    stub.wait_calls("chat.postMessage", 1, timeout=30)
    assert app.bot.wait_idle(30)
    assert len(stub.calls_to("dropped:chat.postMessage")) == 1
    assert len(stub.calls_to("chat.postMessage")) == 1


def test_response_urls_are_retried_on_server_errors(app, stub):
    # The stand-in answers response_urls itself; a 5xx there comes from a name marked as failing.
    stub.server_errors["response/flaky"] = [503]
    body = command_body("spf", stub.response_url("flaky"), trigger_id="t-flaky")
    assert post(app.events_url, body, "application/x-www-form-urlencoded", secret=app.secret).status == 200
    stub.wait_calls("response:flaky", 1, timeout=30)
    assert app.bot.wait_idle(30)
    assert len(stub.calls_to("503:response/flaky")) == 1


def test_an_answer_that_cannot_be_posted_is_logged_with_its_event_id(app, stub, caplog):
    stub.server_errors["chat.postMessage"] = [503] * 10
    with caplog.at_level(logging.ERROR):
        mention(app, "EvNeverPosted", "1700004002.000100")
        stub.wait_calls("503:chat.postMessage", 4, timeout=30)  # the first attempt and three retries
        assert app.bot.wait_idle(30)
    assert len(stub.calls_to("503:chat.postMessage")) == 4
    failures = [r for r in caplog.records if r.levelno >= logging.ERROR and "EvNeverPosted" in r.getMessage()]
    assert len(failures) == 1
    assert "no answer was given" in failures[0].getMessage()
