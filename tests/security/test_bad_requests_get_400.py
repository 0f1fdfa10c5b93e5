"""Promise 11: a request that is not shaped like Slack's (or a Teams activity) gets 400 with a short reason, signed
or not; never a 500, never a traceback in the log, never a call to Slack (or to the Bot Connector)."""

from __future__ import annotations

import json
import logging

import pytest
from connectorstub import ALICE as TEAMS_STAFF
from connectorstub import personal_message
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


# -- Microsoft Teams: POST /api/messages -------------------------------------------------------------------------

def _activity(service_url: str, **changes: object) -> bytes:
    activity = personal_message(service_url, "Not delivered - SPF failure", user=TEAMS_STAFF)
    for key, value in changes.items():
        if value is DROP:
            del activity[key]
        else:
            activity[key] = value
    return json.dumps(activity).encode()


DROP = object()
TEAMS_BAD = [
    (lambda url: b'{"type": "message", "conversation": ', "malformed JSON"),
    (lambda url: b"not json at all", "malformed JSON"),
    (lambda url: b"[" * 100_000, "the JSON is nested too deeply"),
    (lambda url: b"[1, 2, 3]", "the JSON body is not an object"),
    (lambda url: "\u00e5".encode("latin-1"), "the body is not UTF-8"),
    (lambda url: b"", "the body is empty"),
    (lambda url: _activity(url, type=DROP), "an activity needs a type"),
    (lambda url: _activity(url, type=5), "an activity needs a type"),
    (lambda url: _activity(url, conversation="x"), "an activity needs conversation.id"),
    (lambda url: _activity(url, conversation={"conversationType": "personal"}), "an activity needs conversation.id"),
    (lambda url: _activity(url, serviceUrl=DROP), "an activity needs an http(s) serviceUrl"),
    (lambda url: _activity(url, serviceUrl="not a url"), "an activity needs an http(s) serviceUrl"),
    (lambda url: _activity(url, serviceUrl="file:///etc/"), "an activity needs an http(s) serviceUrl"),
    (lambda url: _activity(url, **{"from": DROP}), "an activity needs from.id"),
    (lambda url: _activity(url, **{"from": "29:1alice-staff"}), "an activity needs from.id"),
    (lambda url: _activity(url, text=5), "the activity's text field is not valid"),
    (lambda url: _activity(url, entities="x"), "the activity's entities field is not valid"),
    (lambda url: _activity(url, timestamp="yesterday"), "the activity's timestamp field is not valid"),
    (lambda url: _activity(url, type="conversationUpdate", membersAdded=[1]),
     "the activity's membersAdded field is not valid"),
    (lambda url: _activity(url, channelId="msteams:web", entities=[{"type": "ProductInfo", "id": "other"}]),
     "the activity is not valid"),
]
TEAMS_BAD_IDS = ["cut-off JSON", "not JSON", "deep JSON", "a list", "latin-1", "empty", "no type", "type not a string",
                 "conversation not an object", "no conversation id", "no serviceUrl", "serviceUrl not a URL",
                 "serviceUrl not http", "no from", "from not an object", "text not a string", "entities not a list",
                 "timestamp not a date", "members not objects", "sub-channels that disagree"]


@pytest.mark.parametrize(("body", "reason"), TEAMS_BAD, ids=TEAMS_BAD_IDS)
def test_teams_a_malformed_activity_gets_400_with_its_reason(teams, connector, caplog, body, reason):
    caplog.set_level(logging.DEBUG)
    response = teams.post(None, raw=body(connector.service_url))
    assert (response.status, response.body) == (400, {"error": reason})
    assert teams.idle()
    assert "Traceback" not in caplog.text
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert f"refused a request to /api/messages: {reason}" in caplog.text
    assert connector.calls == []


def test_teams_activities_teams_really_sends_still_pass(teams, connector):
    assert teams.post(None, raw=_activity(connector.service_url)).status == 202
    assert len(connector.wait_messages(1)) == 1
