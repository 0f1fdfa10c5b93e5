"""Promise 11: a request that is not shaped like Slack's gets 400 with a short reason, signed or not; never a 500,
never a traceback in the log, never a call to Slack."""

from __future__ import annotations

import json
import logging

import pytest
from secure_slack import FORM, JSON
from slackstub import command_body, interactive_body, post

BAD = [
    (b'{"type": "event_callback", "event": ', JSON, "malformed JSON"),
    (b"not json at all", JSON, "malformed JSON"),
    (b"[1, 2, 3]", JSON, "the JSON body is not an object"),
    (b'{"type": "event_callback", "event": [1]}', JSON, "the event is not an object"),
    (b'{"type": "event_callback", "event": {}, "authorizations": [1]}', JSON,
     "the authorizations are not a list of objects"),
    (b'{"type": "no_such_type"}', JSON, "an unknown request type"),
    (b"token=x&team_id=T1&user_id=U1", FORM, "a form body without payload"),
    (b"token=x&payloads=1", FORM, "a form body without payload"),
    (b"payload=not-json", FORM, "malformed payload JSON"),
    (interactive_body([1, 2]), FORM, "the payload is not an object"),
    (interactive_body({"type": "view_closed", "user": {"id": "U1"}}), FORM, "an unknown interaction type"),
    (interactive_body({"type": "block_actions", "user": "U1", "actions": []}), FORM,
     "the payload's user is not an object"),
    (interactive_body({"type": "block_actions", "actions": "x"}), FORM,
     "the payload's actions are not a list of objects"),
    (b"command=%2Fsomething&text=x", FORM, "an unknown command"),
    ("\u00e5".encode("latin-1"), FORM, "the body is not UTF-8"),
    (b"", JSON, "the body is empty"),
]


@pytest.mark.parametrize("signed", [True, False], ids=["signed", "unsigned"])
@pytest.mark.parametrize(("body", "content_type", "reason"), BAD, ids=[reason for _b, _c, reason in BAD])
def test_a_malformed_request_gets_400_with_its_reason(app, stub, caplog, body, content_type, reason, signed):
    caplog.set_level(logging.DEBUG)
    response = post(app.events_url, body, content_type, secret=app.secret if signed else None)
    assert (response.status, response.body.decode()) == (400, f"bad request: {reason}\n")
    assert app.bot.wait_idle()
    assert "Traceback" not in caplog.text
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert f"refused a request to /slack/events: {reason}" in caplog.text
    assert [call.method for call in stub.calls if not call.method.startswith("auth.")] == []


def test_requests_slack_really_sends_still_pass(app, stub):
    assert post(app.events_url, command_body("spf", stub.response_url("sec11")), FORM, secret=app.secret).status == 200
    stub.wait_calls("response:sec11")
    challenge = json.dumps({"type": "url_verification", "challenge": "c-123", "token": "t"}).encode()
    response = post(app.events_url, challenge, JSON, secret=app.secret)
    assert response.status == 200 and b"c-123" in response.body
    # Well formed but unsigned: still refused by the signature check.
    assert post(app.events_url, command_body("spf", stub.response_url("sec11b")), FORM, secret=None).status == 401
