"""End to end with the real brain: Slack request in, the knowledge base and the bundled sandbox API behind
it, the Web API calls out. Access policy: our workspace is internal, one shared channel is bound to Nordic Shoes."""

from __future__ import annotations

import json

import pytest
from slackstub import (
    BOT_USER,
    HOME_TEAM,
    block_action_payload,
    command_body,
    dm_event,
    event_body,
    interactive_body,
    mention_event,
    post,
    shortcut_payload,
)

from bot.cli.wiring import load_components
from bot.config import Settings
from bot.invitations.sandbox import NORDIC_SHOES_ID
from bot.render.button_values import ACTION_SWITCH_LANGUAGE

BOUND = "C0NORDIC"      # shared with Nordic Shoes and bound to its account
UNBOUND = "C0OTHERCO"   # shared with another merchant, bound to nothing
LOOKUP = "ORDER-10023 at nordic-shoes.example"  # Anna's SPF failure in the sandbox's demo data
JSON = "application/json"
FORM = "application/x-www-form-urlencoded"


@pytest.fixture(scope="module")
def components(tmp_path_factory):
    policy = tmp_path_factory.mktemp("access") / "access.yaml"
    policy.write_text(f"internal_teams: [{HOME_TEAM}]\nchannels:\n  {BOUND}:\n"
                      f"    business_units: [\"{NORDIC_SHOES_ID}\"]\n", encoding="utf-8")
    # No INVITATIONS_API_URL: the wiring starts the bundled sandbox in-process on the first live question.
    wired = load_components(Settings(access_file=policy))
    yield wired
    wired.close()


@pytest.fixture
def app(make_app, stub, components):
    stub.users["U0ALICE"] = {"id": "U0ALICE", "team_id": HOME_TEAM, "locale": "en-GB"}
    stub.users["U0BERTIL"] = {"id": "U0BERTIL", "team_id": HOME_TEAM, "locale": "sv-SE"}
    for channel in (BOUND, UNBOUND):
        stub.channels[channel] = {"id": channel, "is_ext_shared": True, "is_im": False}
    return make_app(components.assistant, components.access)


def mention(app, text, event_id, **kw):
    kw.setdefault("ts", f"1700001000.{abs(hash(event_id)) % 1_000_000:06d}")
    response = post(app.events_url, event_body(mention_event(f"<@{BOT_USER}> {text}", **kw), event_id), JSON,
                    secret=app.secret)
    assert response.status == 200
    (reply,) = app.stub.wait_calls("chat.postMessage")
    return reply


def everything(call) -> str:
    return json.dumps(call.args.get("blocks", []), ensure_ascii=False) + "\n" + call.args.get("text", "")


def label(components, status, language):
    return components.kb.get(status).label.get(language)


@pytest.mark.parametrize(("text", "language"), [("vad betyder Ej levererad – SPF-fel?", "sv"),
                                                ("what does Not delivered - SPF failure mean?", "en")])
def test_status_explained_in_the_language_of_the_question(app, components, text, language):
    # The asker's locale says the other language: the question's own language wins.
    reply = mention(app, text, f"EvL-{language}", user="U0BERTIL" if language == "en" else "U0ALICE",
                    ts="1700001001.000100")
    assert reply.args["blocks"][0] == {"type": "header", "text": {
        "type": "plain_text", "text": label(components, "spf_failure", language), "emoji": True}}
    assert reply.args["thread_ts"] == "1700001001.000100"
    assert reply.args["text"].startswith(label(components, "spf_failure", language))


def test_greeting_falls_back_to_the_users_slack_locale(app):
    reply = mention(app, "?", "EvL-locale", user="U0ALICE")  # en-GB
    assert "review-invitation statuses" in everything(reply)


def test_internal_user_in_our_own_channel_sees_the_recipient(app):
    reply = mention(app, LOOKUP, "EvL-internal", channel="C0SUPPORT")
    dumped = everything(reply)
    assert "anna@example.se" in dumped
    assert "ORDER-10023" in dumped


def test_shared_channel_masks_personal_data_even_for_staff(app):
    reply = mention(app, LOOKUP, "EvL-staff-shared", channel=UNBOUND)
    dumped = everything(reply)
    assert "a***@example.se" in dumped
    assert "anna@example.se" not in dumped and "Anna Svensson" not in dumped


def test_merchant_in_their_bound_shared_channel_sees_masked_live_data(app, components):
    reply = mention(app, LOOKUP, "EvL-merchant-bound", channel=BOUND, user="U0GUEST", user_team="T0NORDIC")
    dumped = everything(reply)
    assert label(components, "spf_failure", "en") in dumped
    assert "a***@example.se" in dumped
    assert "anna@example.se" not in dumped and "Anna Svensson" not in dumped


def test_merchant_in_an_unbound_shared_channel_is_refused_without_revealing_anything(app):
    reply = mention(app, LOOKUP, "EvL-merchant-unbound", channel=UNBOUND, user="U0GUEST", user_team="T0OTHERCO")
    dumped = everything(reply)
    assert "I cannot show live invitation data" in reply.args["blocks"][0]["text"]["text"]
    for revealing in ("@example.se", "***", "Anna", "550 5.7.23", "Reference number"):
        assert revealing not in dumped


def test_merchant_in_a_direct_message_gets_no_live_data(app, stub):
    body = event_body(dm_event(LOOKUP, user="U0GUEST", channel="D0GUEST", team="T0NORDIC", user_team="T0NORDIC"),
                      "EvL-dm")
    assert post(app.events_url, body, JSON, secret=app.secret).status == 200
    (reply,) = stub.wait_calls("chat.postMessage")
    assert "I cannot show live invitation data" in reply.args["blocks"][0]["text"]["text"]
    assert "@example.se" not in everything(reply)


def test_slash_command_with_the_real_brain(app, stub, components):
    post(app.events_url, command_body("Ej levererad – SPF-fel", stub.response_url("live-cmd")), FORM,
         secret=app.secret)
    (call,) = stub.wait_calls("response:live-cmd")
    assert call.args["blocks"][0]["text"]["text"] == label(components, "spf_failure", "sv")


def test_message_shortcut_explains_the_status_in_a_message(app, stub, components):
    payload = shortcut_payload("Hi! Our invitation to a customer says: Not delivered - SPF failure. Why?",
                               stub.response_url("live-sc"))
    post(app.events_url, interactive_body(payload), FORM, secret=app.secret)
    (call,) = stub.wait_calls("response:live-sc")
    assert call.args["blocks"][0]["text"]["text"] == label(components, "spf_failure", "en")


def test_language_switch_with_the_real_brain(app, stub, components):
    reply = mention(app, "what does Not delivered - SPF failure mean?", "EvL-switch")
    switch = next(el for b in reply.args["blocks"] if b["type"] == "actions" for el in b["elements"]
                  if el["action_id"] == ACTION_SWITCH_LANGUAGE)
    payload = block_action_payload(ACTION_SWITCH_LANGUAGE, switch["value"], stub.response_url("live-switch"),
                                   trigger_id="t-live-switch")
    post(app.events_url, interactive_body(payload), FORM, secret=app.secret)
    (call,) = stub.wait_calls("response:live-switch")
    assert call.args["blocks"][0]["text"]["text"] == label(components, "spf_failure", "sv")


def test_a_pasted_column_of_ids_keeps_a_progress_note_in_the_thread(app, components):
    import itertools

    ids = [inv.id for inv in itertools.islice(components.source.client().iter_invitations(NORDIC_SHOES_ID), 12)]
    text = "check these please\n" + "\n".join(ids)
    response = post(app.events_url, event_body(mention_event(f"<@{BOT_USER}> {text}", channel="C0SUPPORT",
                                                             ts="1700001099.000100"), "EvL-bulk"),
                    JSON, secret=app.secret)
    assert response.status == 200
    note, answer = app.stub.wait_calls("chat.postMessage", 2)
    assert note.args["thread_ts"] == answer.args["thread_ts"] == "1700001099.000100"
    # Told up front how long the check takes, then the progress.
    assert note.args["text"] == "Checking 12 invitations; this takes less than a minute."
    updates = app.stub.calls_to("chat.update")
    assert updates and updates[-1].args["text"] == "Checked 12 of 12 invitations…"
    assert answer.args["text"].startswith("Checked 12 invitations")
