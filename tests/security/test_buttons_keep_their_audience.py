"""Promise 2: a button shows the answer that was shown, for the audience it was shown to. A click never carries
one person's rights to another, and nobody but the asker can change what a channel already saw: in Slack and in
Microsoft Teams, whose cards point at the same answer store."""

from __future__ import annotations

import json
import logging

import secure_teams
from connectorstub import ALICE, MERCHANT, MERCHANT_TENANT, OUR_TENANT, SHARED_CHANNEL, channel_mention
from secure_slack import BOUND, FORM, GUEST, INTERNAL, MERCHANT_TEAM, STAFF, UNBOUND, everything, mention, staff
from secure_teams import all_sent, ask, card_of, refused, texts
from slackstub import HOME_TEAM, block_action_payload, interactive_body, post

from bot.config import Settings, TeamsSettings
from bot.render.button_values import ACTION_SWITCH_LANGUAGE, ActionValue
from bot.render.cards import VERB_SWITCH_LANGUAGE
from bot.teams.actions import CARD_RESPONSE
from bot.teams.actions import MESSAGE_RESPONSE as NOTE_RESPONSE
from bot.work.memory import MemoryWorkQueue

LOOKUP = "ORDER-10023 at nordic-shoes.example"  # Anna's SPF failure at Nordic Shoes (sandbox demo data)
REVEALING = ("***", "550 5.7.23", "Reference number", "Referensnummer", "example.se")


def button(call, action_id):
    return next(el for block in call.args["blocks"] if block["type"] == "actions"
                for el in block["elements"] if el["action_id"] == action_id)


def click(app, call, action_id, response_name, *, user, team, channel, trigger):
    payload = block_action_payload(action_id, button(call, action_id)["value"], app.stub.response_url(response_name),
                                   user=user, channel=channel, trigger_id=trigger,
                                   message_ts=call.args.get("ts") or "1700002999.000100")
    payload["user"]["team_id"] = team
    response = post(app.events_url, interactive_body(payload), FORM, secret=app.secret)
    assert response.status == 200
    (answer,) = app.stub.wait_calls(f"response:{response_name}")
    assert app.bot.wait_idle()
    return answer


def assert_public_message_untouched(app, answer):
    assert answer.args.get("response_type") == "ephemeral"
    assert answer.args.get("replace_original") is False
    assert app.stub.calls_to("chat.update") == []


def test_staff_click_on_an_outsiders_refusal_shows_the_refusal_not_the_other_merchants_invitation(app):
    refusal = mention(app, LOOKUP, "Sec2-refusal", channel=UNBOUND, user=GUEST, user_team="T0OTHERCO")
    assert "I cannot show live invitation data" in refusal.args["text"]
    answer = click(app, refusal, ACTION_SWITCH_LANGUAGE, "sec2-a", user=STAFF, team=HOME_TEAM, channel=UNBOUND,
                   trigger="t-sec2-a")
    assert_public_message_untouched(app, answer)
    shown = everything(answer)
    # Re-rendered for the audience that saw it: the outsider's refusal, now in Swedish.
    assert "Jag kan inte visa" in shown
    for revealing in REVEALING:
        assert revealing not in shown


def test_outsider_click_on_a_staff_answer_leaves_it_alone(app, caplog):
    caplog.set_level(logging.INFO)
    staff_answer = mention(app, LOOKUP, "Sec2-staff", channel=BOUND, **staff())
    assert "a***@example.se" in everything(staff_answer)
    answer = click(app, staff_answer, ACTION_SWITCH_LANGUAGE, "sec2-b", user=GUEST, team=MERCHANT_TEAM,
                   channel=BOUND, trigger="t-sec2-b")
    assert_public_message_untouched(app, answer)
    # In the language the clicker asked for.
    assert "Bara den som frågade kan ändra det här svaret." in answer.args["text"]
    assert "example.se" not in everything(answer)
    assert "invitation_switch_language by someone other than the asker" in caplog.text


def test_the_askers_own_click_switches_language_for_the_same_masked_audience(app):
    own = mention(app, LOOKUP, "Sec2-own", channel=BOUND, user=GUEST, user_team=MERCHANT_TEAM)
    answer = click(app, own, ACTION_SWITCH_LANGUAGE, "sec2-c", user=GUEST, team=MERCHANT_TEAM, channel=BOUND,
                   trigger="t-sec2-c")
    assert answer.args["replace_original"] is True
    shown = everything(answer)
    assert "Ej levererad – SPF-fel" in shown and "a***@example.se" in shown
    assert "anna@example.se" not in shown


def test_a_button_carries_no_question_and_no_rights(app):
    reply = mention(app, LOOKUP, "Sec2-value", channel=BOUND, **staff())
    raw = json.loads(button(reply, ACTION_SWITCH_LANGUAGE)["value"])
    assert set(raw) <= {"a", "l", "f", "t", "s"}
    assert "ORDER-10023" not in json.dumps(raw)


def test_a_click_on_ones_own_private_copy_replaces_only_that_copy(app):
    refusal = mention(app, LOOKUP, "Sec2-copy", channel=UNBOUND, user=GUEST, user_team="T0OTHERCO")
    copy = click(app, refusal, ACTION_SWITCH_LANGUAGE, "sec2-copy", user=STAFF, team=HOME_TEAM, channel=UNBOUND,
                 trigger="t-sec2-copy")
    payload = block_action_payload(ACTION_SWITCH_LANGUAGE, button(copy, ACTION_SWITCH_LANGUAGE)["value"],
                                   app.stub.response_url("sec2-copy2"), user=STAFF, channel=UNBOUND,
                                   ephemeral=True, trigger_id="t-sec2-copy2")
    post(app.events_url, interactive_body(payload), FORM, secret=app.secret)
    (again,) = app.stub.wait_calls("response:sec2-copy2")
    assert again.args["response_type"] == "ephemeral" and again.args["replace_original"] is True
    assert "I cannot show live invitation data" in again.args["text"]
    assert app.stub.calls_to("chat.update") == []


def test_a_guessed_answer_id_gets_a_private_note(app, stub):
    value = ActionValue("x" * 22, "en").encode()
    payload = block_action_payload(ACTION_SWITCH_LANGUAGE, value, stub.response_url("sec2-guess"),
                                   channel=BOUND, trigger_id="t-sec2-guess")
    post(app.events_url, interactive_body(payload), FORM, secret=app.secret)
    (answer,) = stub.wait_calls("response:sec2-guess")
    assert answer.args["replace_original"] is False
    assert "no longer available" in answer.args["text"]


def test_a_button_value_copied_into_another_channel_reads_as_expired(app, stub):
    # Alice's answer in our own staff channel shows the recipient unmasked.
    internal = mention(app, LOOKUP, "Sec2-elsewhere", channel=INTERNAL, **staff())
    assert "anna@example.se" in everything(internal)
    # Its button value, clicked in a channel shared with another merchant (by Alice herself, so her own click would
    # replace the message there), finds nothing: the same note as an answer that has expired.
    copied = click(app, internal, ACTION_SWITCH_LANGUAGE, "sec2-elsewhere", user=STAFF, team=HOME_TEAM,
                   channel=UNBOUND, trigger="t-sec2-elsewhere")
    assert_public_message_untouched(app, copied)
    assert "Det här svaret finns inte kvar längre." in copied.args["text"]  # the button asks for Swedish
    assert "example.se" not in everything(copied) and "ORDER-10023" not in everything(copied)
    expired = ActionValue("x" * 22, "sv").encode()
    payload = block_action_payload(ACTION_SWITCH_LANGUAGE, expired, stub.response_url("sec2-expired"),
                                   user=STAFF, channel=UNBOUND, trigger_id="t-sec2-expired")
    payload["user"]["team_id"] = HOME_TEAM
    post(app.events_url, interactive_body(payload), FORM, secret=app.secret)
    (note,) = stub.wait_calls("response:sec2-expired")
    assert everything(copied) == everything(note)
    # In the channel it was shown in, the same button still works.
    again = click(app, internal, ACTION_SWITCH_LANGUAGE, "sec2-home", user=STAFF, team=HOME_TEAM, channel=INTERNAL,
                  trigger="t-sec2-home")
    assert again.args["replace_original"] is True and "Ej levererad – SPF-fel" in everything(again)


def test_an_answer_shown_by_one_instance_is_found_by_another_through_redis(make_app, stub, components, redis_url):
    settings = Settings(slack_signing_secret="test-signing-secret", slack_bot_token="xoxb-test",
                        slack_api_url=stub.api_url.rstrip("/"), language="sv", slack_listener_threads=4,
                        redis_url=redis_url)
    stub.users[STAFF] = {"id": STAFF, "team_id": HOME_TEAM, "locale": "en-GB"}
    first = make_app(components.assistant, components.access, settings=settings)
    second = make_app(components.assistant, components.access, settings=settings)
    reply = mention(first, "what does Not delivered - SPF failure mean?", "Sec2-redis", channel="C0SUPPORT")
    answer = click(second, reply, ACTION_SWITCH_LANGUAGE, "sec2-redis", user=STAFF, team=HOME_TEAM,
                   channel="C0SUPPORT", trigger="t-sec2-redis")
    assert answer.args["replace_original"] is True
    assert "Ej levererad – SPF-fel" in everything(answer)


# -- Microsoft Teams: Action.Execute answers the clicker alone (the invoke's answer); only the asker's click -------
# -- replaces the card for everyone. Action.Submit (older clients) can only post: never someone else's rights. -----

OTHER_SHARED = "19:otherco-shared@thread.tacv2"  # shared with another merchant, bound to nothing


def teams_outsiders_refusal(teams, connector):
    question = channel_mention(connector.service_url, LOOKUP, user=MERCHANT, channel=OTHER_SHARED, shared=True,
                               tenant=MERCHANT_TENANT)
    card = ask(teams, connector, question)
    assert refused(texts(card))
    return question, card


def test_teams_staff_click_on_an_outsiders_refusal_shows_the_refusal_not_the_other_merchants_invitation(
        teams, connector):
    question, card = teams_outsiders_refusal(teams, connector)
    response = secure_teams.click(teams, question, card, VERB_SWITCH_LANGUAGE, user=ALICE)
    # Re-rendered for the audience that saw it: the outsider's refusal, now in Swedish, for Alice alone.
    assert response.body["type"] == CARD_RESPONSE
    assert "Jag kan inte visa" in secure_teams.everything(response)
    for revealing in REVEALING:
        assert revealing not in secure_teams.everything(response)
    assert connector.updates() == [] and len(connector.messages()) == 1


def test_teams_staff_submit_on_an_outsiders_refusal_posts_the_same_refusal(teams, connector):
    question, card = teams_outsiders_refusal(teams, connector)
    secure_teams.submit(teams, question, card, VERB_SWITCH_LANGUAGE, user=ALICE)
    _refusal, again = connector.messages()
    assert "Jag kan inte visa" in texts(again)
    for revealing in REVEALING:
        assert revealing not in all_sent(connector)
    assert connector.updates() == []


def teams_staff_answer(teams, connector):
    question = channel_mention(connector.service_url, LOOKUP, user=ALICE, channel=SHARED_CHANNEL, shared=True)
    card = ask(teams, connector, question)
    assert "a***@example.se" in texts(card)
    return question, card


def test_teams_outsider_click_on_a_staff_answer_leaves_it_alone(teams, connector):
    question, card = teams_staff_answer(teams, connector)
    response = secure_teams.click(teams, question, card, VERB_SWITCH_LANGUAGE, user=MERCHANT)
    # A note for the merchant alone, in the language the button asks for; nothing of the answer.
    assert response.body["type"] == NOTE_RESPONSE
    assert response.body["value"].startswith("Bara den som frågade kan ändra det här svaret.")
    assert "example.se" not in secure_teams.everything(response)
    assert connector.updates() == [] and len(connector.messages()) == 1


def test_teams_outsider_submit_on_a_staff_answer_posts_only_a_note(teams, connector):
    question, card = teams_staff_answer(teams, connector)
    secure_teams.submit(teams, question, card, VERB_SWITCH_LANGUAGE, user=MERCHANT)
    _answer, note = connector.messages()
    assert note.body["text"].startswith("Bara den som frågade kan ändra det här svaret.")
    assert "example.se" not in secure_teams.everything(note)
    assert connector.updates() == []


def test_teams_the_askers_own_click_switches_language_for_everyone_for_the_same_masked_audience(teams, connector):
    question = channel_mention(connector.service_url, LOOKUP, user=MERCHANT, channel=SHARED_CHANNEL, shared=True,
                               tenant=MERCHANT_TENANT)
    card = ask(teams, connector, question)
    response = secure_teams.click(teams, question, card, VERB_SWITCH_LANGUAGE, user=MERCHANT)
    (update,) = connector.updates()
    assert update.activity_id == card.posted_id
    assert card_of(update) == response.body["value"]
    assert "Ej levererad – SPF-fel" in texts(update) and "a***@example.se" in texts(update)
    assert "anna@example.se" not in all_sent(connector) + secure_teams.everything(response)


def test_teams_a_button_carries_no_question_and_no_rights(teams, connector):
    _question, card = teams_staff_answer(teams, connector)
    data = secure_teams.button(card, VERB_SWITCH_LANGUAGE)["data"]
    assert set(data) <= {"verb", "answer", "language", "full"}
    assert "ORDER-10023" not in json.dumps(data) and ALICE not in json.dumps(data)


def test_teams_a_card_shown_by_one_instance_is_answered_by_another_through_redis(make_teams, connector,
                                                                                 redis_url):
    settings = Settings(language="sv", redis_url=redis_url,
                        teams=TeamsSettings(tenant_id=OUR_TENANT, answer_threads=4))
    # Each answers what it is told itself (a work queue of its own); the answers are found through Redis.
    first, second = (make_teams(settings=settings, work=MemoryWorkQueue(4, "teams")) for _ in range(2))
    question = channel_mention(connector.service_url, "what does Not delivered - SPF failure mean?", user=ALICE)
    card = ask(first, connector, question)
    response = secure_teams.click(second, question, card, VERB_SWITCH_LANGUAGE, user=ALICE)
    assert "Ej levererad – SPF-fel" in secure_teams.everything(response)
    (update,) = connector.updates()
    assert update.activity_id == card.posted_id
