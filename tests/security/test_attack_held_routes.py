"""Attacks that held: a merchant's user in the Slack Connect channel bound to Nordic Shoes (and a careless
colleague) trying the routes to another merchant's data, to personal data, to the bot's voice and to stale
rights. Kept as regular tests: each asserts what a broken check would have leaked, and each answer that
refuses reads the same whether or not the thing asked for exists."""

from __future__ import annotations

import json

import pytest
from secure_slack import BOUND, FORM, GUEST, INTERNAL, MERCHANT_TEAM, STAFF, everything, mention, staff
from slackstub import (
    BOT_USER,
    HOME_TEAM,
    block_action_payload,
    command_body,
    event_body,
    interactive_body,
    mention_event,
    post,
)

from bot.invitations.sandbox import BRIGHT_LAMPS_ID
from bot.render.blocks import ACTION_SHARE, ACTION_SWITCH_LANGUAGE

OWN = "01188f639aae8f1da0f15423"      # ORDER-10023, Nordic Shoes (the channel's own account)
MISSING = "0123456789abcdef01234567"  # no such invitation anywhere
REFUSALS = ("I cannot show live invitation data", "Jag kan inte visa aktuella inbjudningsuppgifter")


@pytest.fixture(scope="module")
def foreign(components):
    """Emily Clarke's invitation at Bright Lamps: another merchant."""
    (found,) = components.source.client().find_invitations(BRIGHT_LAMPS_ID, reference_number="BL-700009")
    return found


def leaked(text: str) -> list[str]:
    return [word for word in ("BL-700009", "Emily", "Clarke", "example.co.uk", "Bright Lamps", BRIGHT_LAMPS_ID)
            if word in text]


def merchant(app, text: str, event_id: str):
    return mention(app, text, event_id, channel=BOUND, user=GUEST, user_team=MERCHANT_TEAM)


def without(text: str, *words: str) -> str:
    for word in words:
        text = text.replace(word, "ID")
    return text


def test_a_pasted_list_mixing_own_and_foreign_ids_shows_only_the_own_ones(app, foreign):
    reply = merchant(app, f"{OWN}\n{foreign.id}\n{MISSING}", "Atk-held-1")
    shown = everything(reply)
    assert OWN in shown and "anna@example.se" not in shown
    assert leaked(shown) == []
    data = reply.args["text"]
    # The other merchant's id is listed exactly as the id that exists nowhere: "not found".
    assert data.count(foreign.id) == 1 and data.count(MISSING) == 1


@pytest.mark.parametrize("asked", ["status {foreign}", "status {foreign} at bright-lamps.example",
                                   "status {foreign} at " + BRIGHT_LAMPS_ID, "BL-700009",
                                   "BL-700009 at bright-lamps.example", "emily.clarke@example.co.uk",
                                   "summary for bright-lamps.example last 30 days",
                                   "summary for " + BRIGHT_LAMPS_ID + " from 1000-01-01 to 9998-12-31"],
                         ids=["id", "id at domain", "id at unit", "reference", "reference at domain", "email",
                              "summary", "summary of all time"])
def test_another_merchants_data_is_refused_exactly_like_something_that_does_not_exist(app, foreign, asked):
    reply = merchant(app, asked.format(foreign=foreign.id), f"Atk-held-2-{asked[:12]}")
    shown = everything(reply)
    assert leaked(shown) == []
    assert any(refusal in reply.args["text"] for refusal in REFUSALS)
    nothing = asked.format(foreign=MISSING).replace("bright-lamps.example", "no-such-shop.example").replace(
        BRIGHT_LAMPS_ID, "ffffffffffffffffffffffff").replace("BL-700009", "ZZ-999999").replace(
        "emily.clarke@example.co.uk", "nobody@no-such-shop.example")
    other = merchant(app, nothing, f"Atk-held-3-{asked[:12]}")
    assert without(reply.args["text"], foreign.id, MISSING) == without(other.args["text"], foreign.id, MISSING)


def click(app, value: str, name: str, *, user: str, team: str, channel: str, action_id=ACTION_SWITCH_LANGUAGE,
          ephemeral=False):
    payload = block_action_payload(action_id, value, app.stub.response_url(name), user=user, channel=channel,
                                   trigger_id=f"t-{name}", ephemeral=ephemeral)
    payload["user"]["team_id"] = team
    assert post(app.events_url, interactive_body(payload), FORM, secret=app.secret).status == 200
    (answer,) = app.stub.wait_calls(f"response:{name}")
    assert app.bot.wait_idle()
    return answer


def button_value(call, action_id=ACTION_SWITCH_LANGUAGE) -> str:
    return next(el["value"] for block in call.args["blocks"] if block["type"] == "actions"
                for el in block["elements"] if el["action_id"] == action_id)


def test_a_button_value_carried_from_a_staff_answer_elsewhere_opens_nothing(app, foreign):
    # Staff looked Emily's invitation up in our own channel; the value of its button reaches the merchant
    # (pasted, guessed, forwarded): clicked in the merchant's channel it shows a note, never the lookup.
    answer = mention(app, f"status {foreign.id}", "Atk-held-4", channel=INTERNAL, **staff())
    assert "BL-700009" in everything(answer)
    value = button_value(answer)
    got = click(app, value, "atk-held-4", user=GUEST, team=MERCHANT_TEAM, channel=BOUND)
    assert leaked(everything(got)) == []
    assert got.args.get("response_type") == "ephemeral" and app.stub.calls_to("chat.update") == []
    # A share button's value does not post anything for someone else either.
    got = click(app, value, "atk-held-5", user=GUEST, team=MERCHANT_TEAM, channel=BOUND, action_id=ACTION_SHARE,
                ephemeral=True)
    assert leaked(everything(got)) == []
    assert [c for c in app.stub.calls_to("chat.postMessage") if leaked(everything(c))] == [answer]


@pytest.mark.parametrize("value", ['{"a":"AAAAAAAAAAAAAAAAAAAAAA","l":"en"}', '{"a":"x","l":"en"}',
                                   '{"a":"AAAAAAAAAAAAAAAAAAAAAA","l":"de"}', "not json", '{"q":"status ' + OWN + '"}'],
                         ids=["guessed id", "short id", "bad language", "not json", "a question instead"])
def test_forged_button_values_show_nothing(app, value):
    before = len(app.stub.calls)
    payload = block_action_payload(ACTION_SWITCH_LANGUAGE, value, app.stub.response_url("atk-forged"), user=GUEST,
                                   channel=BOUND, trigger_id=f"t-atk-forged-{abs(hash(value))}")
    payload["user"]["team_id"] = MERCHANT_TEAM
    assert post(app.events_url, interactive_body(payload), FORM, secret=app.secret).status == 200
    assert app.bot.wait_idle()
    shown = json.dumps([c.args for c in app.stub.calls[before:]], ensure_ascii=False)
    assert OWN not in shown and "@example.se" not in shown and "***" not in shown


def test_markup_in_a_shared_question_is_text_in_the_channel(app, stub):
    # Typed in Slack, "<" arrives as "&lt;": what reaches the brain is the person's literal text.
    typed = "&lt;!channel&gt; Ej levererad – SPF-fel &lt;https://evil.example/login|Log in to fix it&gt; &lt;@U0CEO&gt;"
    body = command_body(typed, stub.response_url("atk-markup"), user=STAFF, channel=BOUND, team_id=HOME_TEAM,
                        trigger_id="t-atk-markup")
    assert post(app.events_url, body, FORM, secret=app.secret).status == 200
    (ephemeral,) = stub.wait_calls("response:atk-markup")
    click(app, button_value(ephemeral, ACTION_SHARE), "atk-markup-share", user=STAFF, team=HOME_TEAM,
          channel=BOUND, action_id=ACTION_SHARE, ephemeral=True)
    (posted,) = [c for c in stub.calls_to("chat.postMessage") if c.args.get("channel") == BOUND]
    assert "evil.example" in everything(posted)  # echoed, as text
    for call in (posted, ephemeral):
        text = everything(call)
        for markup in ("<!channel>", "<https://evil.example", "<@U0CEO>"):
            assert markup not in text


def test_a_reply_in_the_thread_of_an_answer_without_a_mention_is_not_read(app, stub):
    answer = merchant(app, "Ej levererad – SPF-fel", "Atk-held-6")
    thread = answer.args["thread_ts"]
    event = mention_event(f"status {OWN}", user="U0OTHER", channel=BOUND, user_team=MERCHANT_TEAM,
                          ts="1700005000.000200", thread_ts=thread)
    event["type"] = "message"
    event["channel_type"] = "channel"
    assert post(app.events_url, event_body(event, "Atk-held-7"), "application/json", secret=app.secret).status == 200
    assert app.bot.wait_idle()
    assert len(stub.calls_to("chat.postMessage")) == 1


def test_an_envelope_saying_unshared_cannot_unmask_a_shared_channel(app, stub):
    event = mention_event(f"<@{BOT_USER}> ORDER-10023", user=STAFF, channel=BOUND, user_team=HOME_TEAM,
                          ts="1700005100.000100")
    body = event_body(event, "Atk-held-8", ext_shared=False)
    assert post(app.events_url, body, "application/json", secret=app.secret).status == 200
    (reply,) = stub.wait_calls("chat.postMessage")
    assert "anna@example.se" not in everything(reply) and "a***@example.se" in everything(reply)
