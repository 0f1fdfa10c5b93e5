"""The Slack app over real HTTP: signed requests in, Web API calls to a stub Slack out."""

from __future__ import annotations

import json
import threading

import pytest
from scripted import TITLES, ScriptedAssistant
from slackstub import (
    BOT_ID,
    BOT_USER,
    HOME_TEAM,
    block_action_payload,
    command_body,
    dm_event,
    event_body,
    get,
    interactive_body,
    mention_event,
    post,
    shortcut_payload,
    sign,
)

from bot.core.access import AccessPolicy
from bot.render.button_values import (
    ACTION_EXPLAIN_STATUS,
    ACTION_SHARE,
    ACTION_SHOW_ALL_STEPS,
    ACTION_SWITCH_LANGUAGE,
    ActionValue,
    StatusValue,
)

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"


def send_event(app, event, event_id, *, retry_num=None, ext_shared=False):
    response = post(app.events_url, event_body(event, event_id, ext_shared=ext_shared), JSON, secret=app.secret,
                    retry_num=retry_num)
    assert response.status == 200, response.body
    return response


def header_of(call) -> str:
    return call.args["blocks"][0]["text"]["text"]


def buttons_of(blocks) -> dict:
    return {el["action_id"]: el for b in blocks if b["type"] == "actions" for el in b["elements"]}


def posts(app):
    return app.stub.calls_to("chat.postMessage")


@pytest.fixture
def assistant():
    return ScriptedAssistant()


@pytest.fixture
def app(make_app, stub, assistant):
    stub.users["U0ALICE"] = {"id": "U0ALICE", "team_id": HOME_TEAM, "locale": "en-US"}
    stub.users["U0BERTIL"] = {"id": "U0BERTIL", "team_id": HOME_TEAM, "locale": "sv-SE"}
    return make_app(assistant)


def test_health_check_answers_200(app):
    response = get(app.url + "/healthz")
    assert response.status == 200
    assert response.body == b"ok\n"
    assert get(app.url + "/nope").status == 404


def test_mention_is_answered_in_a_new_thread_under_the_message(app, assistant):
    send_event(app, mention_event(f"<@{BOT_USER}> what is SPF failure?", ts="1700000100.000200"), "Ev100")
    (call,) = app.stub.wait_calls("chat.postMessage")
    assert call.args["channel"] == "C0GENERAL"
    assert call.args["thread_ts"] == "1700000100.000200"
    assert header_of(call) == TITLES["en"]  # Alice's locale en-US is the fallback language
    assert call.args["text"].startswith(TITLES["en"])  # plain-text fallback
    # The bot's own mention is stripped before the brain sees the question.
    assert assistant.questions[0].text == "what is SPF failure?"
    assert app.bot.wait_idle()
    assert len(posts(app)) == 1


def test_mention_inside_a_thread_is_answered_in_that_thread(app):
    send_event(app, mention_event(f"<@{BOT_USER}> and this?", ts="1700000101.000300",
                                  thread_ts="1700000050.000100"), "Ev101")
    (call,) = app.stub.wait_calls("chat.postMessage")
    assert call.args["thread_ts"] == "1700000050.000100"


def test_direct_message_is_answered_in_its_thread_with_the_users_locale(app, assistant):
    send_event(app, dm_event("vad betyder SPF-fel?", user="U0BERTIL", channel="D0BERTIL",
                             ts="1700000102.000100"), "Ev102")
    (call,) = app.stub.wait_calls("chat.postMessage")
    assert call.args["channel"] == "D0BERTIL"
    assert call.args["thread_ts"] == "1700000102.000100"
    assert header_of(call) == TITLES["sv"]  # sv-SE negotiated to sv
    question = assistant.questions[0]
    assert question.fallback_language == "sv"
    assert question.asker.is_direct_message and question.asker.internal


def test_user_text_is_decoded_from_slack_format(app, assistant):
    send_event(app, mention_event(f"<@{BOT_USER}> find <mailto:anna@example.se|anna@example.se> at "
                                  "<http://shop.example|shop.example> &amp; more"), "Ev103")
    app.stub.wait_calls("chat.postMessage")
    assert assistant.questions[0].text == "find anna@example.se at shop.example & more"


def test_question_with_pings_never_pings(app):
    send_event(app, mention_event(f"<@{BOT_USER}> <!channel> <!here> <@U0OTHER> spf"), "Ev104")
    (call,) = app.stub.wait_calls("chat.postMessage")
    serialized = json.dumps(call.args["blocks"]) + call.args["text"]
    assert "<!" not in serialized and "<@U0OTHER>" not in serialized
    assert "&lt;" in serialized or "@here" in serialized


@pytest.mark.parametrize("event", [
    dm_event("hello", user=BOT_USER),                                  # our own user
    dm_event("hello", bot_id=BOT_ID),                                  # our own bot id
    dm_event("hello", user="U0OTHERBOT", bot_id="B0OTHER"),            # another bot
    dm_event("hello", subtype="bot_message", bot_id="B0OTHER"),
    dm_event("hello", subtype="message_changed"),
    dm_event("hello", subtype="message_deleted"),
    dm_event("hello", subtype="channel_join"),
    {**dm_event("hello"), "channel_type": "channel"},                  # a channel message without a mention
])
def test_bot_messages_edits_and_other_subtypes_are_not_answered(app, assistant, event):
    send_event(app, event, "Ev-ignored")
    assert app.bot.wait_idle()
    assert posts(app) == []
    assert assistant.questions == []


def test_replayed_event_is_answered_once(app):
    event = mention_event(f"<@{BOT_USER}> spf", ts="1700000110.000100")
    for _ in range(3):
        send_event(app, event, "Ev110")
    app.stub.wait_calls("chat.postMessage")
    assert app.bot.wait_idle()
    assert len(posts(app)) == 1


def test_retry_of_an_event_never_seen_is_answered_once(app):
    event = mention_event(f"<@{BOT_USER}> spf", ts="1700000111.000100")
    send_event(app, event, "Ev111", retry_num=1)
    send_event(app, event, "Ev111", retry_num=2)
    app.stub.wait_calls("chat.postMessage")
    assert app.bot.wait_idle()
    assert len(posts(app)) == 1


def test_retry_of_an_event_already_taken_is_not_answered_again(app):
    event = mention_event(f"<@{BOT_USER}> spf", ts="1700000112.000100")
    send_event(app, event, "Ev112")
    app.stub.wait_calls("chat.postMessage")
    send_event(app, event, "Ev112", retry_num=1)
    assert app.bot.wait_idle()
    assert len(posts(app)) == 1


def test_retry_while_the_first_delivery_is_still_being_answered_is_dropped(make_app, stub):
    gate = threading.Event()
    app = make_app(ScriptedAssistant(gate=gate))
    event = mention_event(f"<@{BOT_USER}> slow", ts="1700000113.000100")
    send_event(app, event, "Ev113")
    send_event(app, event, "Ev113", retry_num=1)  # acked at once although the first answer is not done
    gate.set()
    stub.wait_calls("chat.postMessage")
    assert app.bot.wait_idle()
    assert len(stub.calls_to("chat.postMessage")) == 1


def test_same_message_as_mention_and_direct_message_is_answered_once(app):
    ts = "1700000114.000100"
    send_event(app, mention_event(f"<@{BOT_USER}> spf", channel="D0ALICE", ts=ts), "Ev114a")
    send_event(app, dm_event(f"<@{BOT_USER}> spf", channel="D0ALICE", ts=ts), "Ev114b")
    app.stub.wait_calls("chat.postMessage")
    assert app.bot.wait_idle()
    assert len(posts(app)) == 1


@pytest.mark.parametrize("signature", ["v0=" + "0" * 64, None])
def test_bad_or_missing_signature_is_refused(app, signature):
    body = event_body(mention_event(f"<@{BOT_USER}> spf"), "Ev120")
    response = post(app.events_url, body, JSON, secret=None, signature=signature)
    assert response.status == 401
    assert app.bot.wait_idle()
    assert posts(app) == []


def test_stale_timestamp_is_refused_even_when_signed(app):
    body = event_body(mention_event(f"<@{BOT_USER}> spf"), "Ev121")
    response = post(app.events_url, body, JSON, secret=app.secret, timestamp=1_000_000_000)
    assert response.status == 401


def test_url_verification_challenge(app):
    body = json.dumps({"type": "url_verification", "challenge": "abc123", "token": "x"}).encode()
    response = post(app.events_url, body, JSON, secret=app.secret)
    assert response.status == 200
    assert b"abc123" in response.body


# -- internal / external / shared ----------------------------------------------------------------


def test_external_user_in_a_shared_channel_is_external_and_masked_without_a_locale_lookup(app, stub, assistant):
    stub.channels["C0SHARED"] = {"id": "C0SHARED", "is_ext_shared": True, "is_im": False}
    send_event(app, mention_event(f"<@{BOT_USER}> spf", user="U0GUEST", channel="C0SHARED", user_team="T0MERCHANT"),
               "Ev130")
    stub.wait_calls("chat.postMessage")
    asker = assistant.questions[0].asker
    assert (asker.internal, asker.shared_channel, asker.team_id, asker.channel_id) == (
        False, True, "T0MERCHANT", "C0SHARED")
    assert assistant.questions[0].fallback_language == "sv"  # BOT_LANGUAGE
    assert stub.calls_to("users.info") == []


def test_internal_user_in_a_shared_channel_is_internal_but_masked(app, stub, assistant):
    stub.channels["C0SHARED"] = {"id": "C0SHARED", "is_ext_shared": True}
    send_event(app, mention_event(f"<@{BOT_USER}> spf", channel="C0SHARED"), "Ev131")
    stub.wait_calls("chat.postMessage")
    asker = assistant.questions[0].asker
    assert asker.internal and asker.shared_channel


def test_internal_teams_of_the_access_policy_count_as_internal(make_app, stub):
    assistant = ScriptedAssistant()
    app = make_app(assistant, AccessPolicy(internal_teams=frozenset({"T0SISTER"})))
    stub.users["U0SIS"] = {"id": "U0SIS", "team_id": "T0SISTER"}
    send_event(app, mention_event(f"<@{BOT_USER}> spf", user="U0SIS", user_team="T0SISTER"), "Ev132")
    stub.wait_calls("chat.postMessage")
    assert assistant.questions[0].asker.internal


def test_lookup_failures_never_lose_the_answer_and_count_as_external_and_shared(make_app, stub):
    assistant = ScriptedAssistant()
    app = make_app(assistant)  # bolt checks the token with auth.test here; the lookups fail from now on
    stub.errors.update({"auth.test": "invalid_auth", "conversations.info": "missing_scope",
                        "users.info": "missing_scope"})
    send_event(app, mention_event(f"<@{BOT_USER}> spf", channel="C0UNKNOWN"), "Ev133")
    (call,) = stub.wait_calls("chat.postMessage")
    asker = assistant.questions[0].asker
    assert not asker.internal and asker.shared_channel
    assert header_of(call) == TITLES["sv"]


def test_envelope_shared_flag_is_trusted_even_if_the_lookup_says_otherwise(app, stub, assistant):
    send_event(app, mention_event(f"<@{BOT_USER}> spf", channel="C0NEW"), "Ev134", ext_shared=True)
    stub.wait_calls("chat.postMessage")
    assert assistant.questions[0].asker.shared_channel


def test_lookups_are_cached(app, stub):
    for n in range(3):
        send_event(app, mention_event(f"<@{BOT_USER}> spf", ts=f"1700000140.00010{n}"), f"Ev140-{n}")
    stub.wait_calls("chat.postMessage", 3)
    assert app.bot.wait_idle()
    assert len(stub.calls_to("conversations.info")) == 1
    assert len(stub.calls_to("users.info")) == 1


def test_rate_limited_post_is_retried_and_delivered_once(app, stub, monkeypatch):
    import slack_sdk.http_retry.builtin_handlers as handlers

    waits: list[float] = []
    monkeypatch.setattr(handlers.time, "sleep", waits.append)
    stub.rate_limits["chat.postMessage"] = 1
    send_event(app, mention_event(f"<@{BOT_USER}> spf"), "Ev150")
    stub.wait_calls("chat.postMessage")
    assert app.bot.wait_idle()
    assert len(stub.calls_to("429:chat.postMessage")) == 1
    assert len(posts(app)) == 1
    assert waits and 2 <= waits[0] < 3  # Retry-After honoured


# -- slash command ----------------------------------------------------------------------------------


def test_slash_command_is_acked_empty_and_answered_ephemerally_with_a_share_button(app, stub, assistant):
    response = post(app.events_url, command_body("what is spf?", stub.response_url("cmd1")), FORM,
                    secret=app.secret)
    assert response.status == 200
    assert response.body == b""
    (call,) = stub.wait_calls("response:cmd1")
    assert call.args["response_type"] == "ephemeral"
    assert call.args["blocks"][0]["text"]["text"] == TITLES["en"]
    assert any("You asked: what is spf?" in json.dumps(b) for b in call.args["blocks"])
    assert ACTION_SHARE in buttons_of(call.args["blocks"])
    assert assistant.questions[0].asker.internal
    assert posts(app) == []


def test_slash_command_falls_back_to_post_ephemeral_when_response_url_fails(app, stub):
    stub.dead_response_urls.add("dead")
    post(app.events_url, command_body("spf", stub.response_url("dead"), trigger_id="t-dead"), FORM,
         secret=app.secret)
    (call,) = stub.wait_calls("chat.postEphemeral")
    assert (call.args["channel"], call.args["user"]) == ("C0GENERAL", "U0ALICE")


def test_slash_command_from_another_team_is_external(app, stub, assistant):
    post(app.events_url, command_body("spf", stub.response_url("cmd2"), team_id="T0MERCHANT", user="U0GUEST"),
         FORM, secret=app.secret)
    stub.wait_calls("response:cmd2")
    assert not assistant.questions[0].asker.internal


# -- message shortcut -----------------------------------------------------------------------------


def test_message_shortcut_explains_the_message_ephemerally_with_share_to_its_thread(app, stub, assistant):
    payload = shortcut_payload("Our invitations say <http://x.example|SPF failure>", stub.response_url("sc1"),
                               message_ts="1700000160.000100")
    response = post(app.events_url, interactive_body(payload), FORM, secret=app.secret)
    assert response.status == 200
    (call,) = stub.wait_calls("response:sc1")
    assert call.args["response_type"] == "ephemeral"
    assert assistant.questions[0].text == "Our invitations say SPF failure"
    share = buttons_of(call.args["blocks"])[ACTION_SHARE]
    assert ActionValue.decode(share["value"]).thread_ts == "1700000160.000100"


# -- buttons -----------------------------------------------------------------------------------


def click(app, action_id, value, response_name, **kw):
    payload = block_action_payload(action_id, value, app.stub.response_url(response_name), **kw)
    response = post(app.events_url, interactive_body(payload), FORM, secret=app.secret)
    assert response.status == 200
    return response


def test_language_switch_replaces_the_answer_in_the_other_language(app, stub, assistant):
    send_event(app, mention_event(f"<@{BOT_USER}> spf"), "Ev170")
    (answer,) = stub.wait_calls("chat.postMessage")
    switch = buttons_of(answer.args["blocks"])[ACTION_SWITCH_LANGUAGE]
    assert switch["text"]["text"] == "Show in Swedish"
    click(app, ACTION_SWITCH_LANGUAGE, switch["value"], "lang1")
    (call,) = stub.wait_calls("response:lang1")
    assert call.args["replace_original"] is True
    assert call.args["blocks"][0]["text"]["text"] == TITLES["sv"]
    assert assistant.questions[-1].language == "sv"
    assert assistant.questions[-1].text == "spf"


def test_an_offered_status_is_a_button_that_explains_it_with_the_clickers_own_question(app, stub, assistant):
    send_event(app, mention_event(f"<@{BOT_USER}> spf unsure"), "Ev172")
    (answer,) = stub.wait_calls("chat.postMessage")
    buttons = buttons_of(answer.args["blocks"])
    offered = [buttons[f"{ACTION_EXPLAIN_STATUS}:{n}"] for n in range(2)]
    assert [button["text"]["text"] for button in offered] == ["Not delivered - Invalid sender email",
                                                               "Not delivered - Custom sender email"]
    # The button carries the status's id and nothing of the asker: the click is a question of its own.
    assert StatusValue.decode(offered[0]["value"]) == StatusValue("invalid_sender_address", "en")
    click(app, f"{ACTION_EXPLAIN_STATUS}:0", offered[0]["value"], "offer1", user="U0BERTIL")
    (call,) = stub.wait_calls("response:offer1")
    # Shown to the clicker alone; the message the channel saw stays as it is.
    assert call.args["response_type"] == "ephemeral" and not call.args.get("replace_original")
    asked = assistant.questions[-1]
    assert asked.text == "invalid_sender_address" and asked.language == "en"
    assert asked.asker.user_id == "U0BERTIL"


def test_show_all_steps_replaces_the_answer_with_every_step(app, stub, assistant):
    send_event(app, mention_event(f"<@{BOT_USER}> spf"), "Ev171")
    (answer,) = stub.wait_calls("chat.postMessage")
    assert "step 7" not in json.dumps(answer.args["blocks"])
    show_all = buttons_of(answer.args["blocks"])[ACTION_SHOW_ALL_STEPS]
    click(app, ACTION_SHOW_ALL_STEPS, show_all["value"], "all1")
    (call,) = stub.wait_calls("response:all1")
    assert "7. step 7 (en)" in json.dumps(call.args["blocks"], ensure_ascii=False)
    assert ACTION_SHOW_ALL_STEPS not in buttons_of(call.args["blocks"])
    assert assistant.questions[-1].full


def test_share_posts_the_answer_to_the_channel_and_removes_the_ephemeral(app, stub):
    post(app.events_url, command_body("spf", stub.response_url("cmd3"), trigger_id="t3"), FORM, secret=app.secret)
    (ephemeral,) = stub.wait_calls("response:cmd3")
    share = buttons_of(ephemeral.args["blocks"])[ACTION_SHARE]
    click(app, ACTION_SHARE, share["value"], "share1", ephemeral=True, trigger_id="t-share")
    (shared,) = stub.wait_calls("chat.postMessage")
    assert shared.args["channel"] == "C0GENERAL"
    assert "thread_ts" not in shared.args or shared.args["thread_ts"] is None
    dumped = json.dumps(shared.args["blocks"])
    assert "Shared by <@U0ALICE>" in dumped
    assert ACTION_SHARE not in buttons_of(shared.args["blocks"])
    stub.wait_for(lambda calls: any(c.method == "response:share1" and c.args.get("delete_original")
                                    for c in calls))


def test_share_from_a_shortcut_goes_into_the_messages_thread(app, stub):
    payload = shortcut_payload("SPF failure", stub.response_url("sc2"), message_ts="1700000180.000100",
                               trigger_id="t-sc2")
    post(app.events_url, interactive_body(payload), FORM, secret=app.secret)
    (ephemeral,) = stub.wait_calls("response:sc2")
    share = buttons_of(ephemeral.args["blocks"])[ACTION_SHARE]
    click(app, ACTION_SHARE, share["value"], "share2", ephemeral=True, trigger_id="t-share2")
    (shared,) = stub.wait_calls("chat.postMessage")
    assert shared.args["thread_ts"] == "1700000180.000100"


def shared_value(app, stub, name):
    """The share button's value of a /invitation answer."""
    post(app.events_url, command_body("spf", stub.response_url(name), trigger_id=f"t-{name}"), FORM,
         secret=app.secret)
    (ephemeral,) = stub.wait_calls(f"response:{name}")
    return buttons_of(ephemeral.args["blocks"])[ACTION_SHARE]["value"]


def test_share_where_the_bot_may_not_post_uses_the_response_url(app, stub):
    stub.errors["chat.postMessage"] = "not_in_channel"
    value = shared_value(app, stub, "cmd-share3")
    click(app, ACTION_SHARE, value, "share3", ephemeral=True, trigger_id="t-share3")
    stub.wait_for(lambda calls: any(c.method == "response:share3" and c.args.get("response_type") == "in_channel"
                                    for c in calls))


def test_share_that_cannot_be_posted_anywhere_tells_the_user(app, stub):
    stub.errors["chat.postMessage"] = "not_in_channel"
    stub.dead_response_urls.add("share4")
    click(app, ACTION_SHARE, shared_value(app, stub, "cmd-share4"), "share4", ephemeral=True,
          trigger_id="t-share4")
    (call,) = stub.wait_calls("chat.postEphemeral")
    assert "Invite me" in call.args["text"]


def test_same_click_delivered_twice_is_handled_once(app, stub):
    value = shared_value(app, stub, "cmd-dup")
    click(app, ACTION_SWITCH_LANGUAGE, value, "dup", trigger_id="t-dup")
    click(app, ACTION_SWITCH_LANGUAGE, value, "dup", trigger_id="t-dup")
    stub.wait_calls("response:dup")
    assert app.bot.wait_idle()
    assert len(stub.calls_to("response:dup")) == 1


def test_foreign_button_value_is_ignored(app, stub, assistant):
    click(app, ACTION_SWITCH_LANGUAGE, "<!channel>", "bad", trigger_id="t-bad")
    assert app.bot.wait_idle()
    assert assistant.questions == []
    assert stub.calls_to("response:bad") == []


def test_acks_do_not_wait_for_slow_answers(make_app, stub):
    """Every listener thread busy with a slow answer: new events and commands are still acked."""
    gate = threading.Event()
    assistant = ScriptedAssistant(gate=gate)
    app = make_app(assistant)
    threads = app.bot.work.threads
    try:
        for n in range(threads * 2):
            send_event(app, mention_event(f"<@{BOT_USER}> slow {n}", ts=f"1700000190.{n:06d}"), f"Ev190-{n}")
        # The answer pool is full; a slash command must still get its (empty) ack.
        response = post(app.events_url, command_body("spf", stub.response_url("busy"), trigger_id="t-busy"), FORM,
                        secret=app.secret, timeout=5)
        assert response.status == 200
    finally:
        gate.set()
    stub.wait_calls("chat.postMessage", threads * 2)
    stub.wait_calls("response:busy")


def test_signature_helper_matches_slack_sdk():
    from slack_sdk.signature import SignatureVerifier

    body = b'{"a":1}'
    expected = SignatureVerifier("s3cret").generate_signature(timestamp="1700000000", body=body)
    assert sign("s3cret", "1700000000", body) == expected
