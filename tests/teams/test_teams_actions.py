"""Card clicks (Action.Execute invokes, Action.Submit messages) and the message action, end to end.

A click re-renders the answer the card holds for that answer's own audience: never the question asked
again with the clicker's rights, and a click by someone other than the asker never replaces the card."""

from __future__ import annotations

import json

from cardcheck import card_texts, check_attachment, check_card
from connectorstub import (
    ALICE,
    BERTIL,
    MERCHANT,
    MERCHANT_TENANT,
    SHARED_CHANNEL,
    card_submit,
    channel_mention,
    execute_invoke,
    message_action,
    personal_message,
)

from bot.render.cards import VERB_EXPLAIN_STATUS, VERB_SHOW_ALL_STEPS, VERB_SWITCH_LANGUAGE

REFUSED = "I cannot show live invitation data"
LOOKUP = "ORDER-10023 at nordic-shoes.example"


def label(components, status, language):
    return components.kb.get(status).label.get(language)


def ask(teams, stub, activity):
    """Post a question; returns (the card's message id, the card, the reply call)."""
    assert teams.post(activity).status == 202
    assert teams.idle()
    call = stub.messages()[-1]
    card = check_attachment(call.body["attachments"][0])
    return call.posted_id, card, call


def action(card, verb):
    (found,) = [a for a in card["actions"] if a["verb"] == verb]
    return found


def test_language_switch_by_the_asker_replaces_the_card_for_everyone(teams, stub, components):
    question = channel_mention(stub.service_url, "Ej levererad – SPF-fel")
    card_id, card, _call = ask(teams, stub, question)
    switch = action(card, VERB_SWITCH_LANGUAGE)
    response = teams.post(execute_invoke(question, card_id, switch, user=ALICE))
    assert response.status == 200
    assert response.body["statusCode"] == 200
    assert response.body["type"] == "application/vnd.microsoft.card.adaptive"
    english = check_card(response.body["value"])
    assert card_texts(english)[0] == label(components, "spf_failure", "en")
    (update,) = stub.updates()
    assert update.activity_id == card_id
    assert update.conversation == question["conversation"]["id"]
    assert check_attachment(update.body["attachments"][0]) == english
    assert len(stub.messages()) == 1  # no new message


def test_show_all_steps_keeps_the_language_and_shows_every_step(teams, stub, components):
    question = personal_message(stub.service_url, "Not delivered - SPF failure")
    card_id, card, _call = ask(teams, stub, question)
    response = teams.post(execute_invoke(question, card_id, action(card, VERB_SHOW_ALL_STEPS), user=ALICE))
    full = check_card(response.body["value"])
    steps = components.kb.get("spf_failure").steps.get("en")
    assert f"{len(steps)}. {steps[-1]}" in card_texts(full)
    assert card_texts(full)[0] == label(components, "spf_failure", "en")
    assert {a["verb"] for a in full["actions"]} == {VERB_SWITCH_LANGUAGE}


def test_someone_elses_click_gets_a_view_of_their_own_and_the_card_stays(teams, stub, components):
    question = channel_mention(stub.service_url, "Ej levererad – SPF-fel")
    card_id, card, _call = ask(teams, stub, question)
    response = teams.post(execute_invoke(question, card_id, action(card, VERB_SWITCH_LANGUAGE), user=BERTIL))
    assert card_texts(check_card(response.body["value"]))[0] == label(components, "spf_failure", "en")
    assert stub.updates() == []
    assert len(stub.messages()) == 1


def test_staff_click_on_a_refusal_shows_the_same_refusal_never_the_data(teams, stub):
    # A merchant asks in their shared channel for another merchant's invitation and is refused ...
    question = channel_mention(stub.service_url, "reference FK200003 at fjallkaffe.example", user=MERCHANT,
                               channel=SHARED_CHANNEL, shared=True, tenant=MERCHANT_TENANT)
    card_id, refusal, _call = ask(teams, stub, question)
    assert REFUSED in card_texts(refusal)[0]
    # ... and one of our staff, who may see everything, clicks its language button.
    response = teams.post(execute_invoke(question, card_id, action(refusal, VERB_SWITCH_LANGUAGE), user=ALICE))
    shown = check_card(response.body["value"])
    assert card_texts(shown)[0].startswith("Jag kan inte visa")
    dumped = json.dumps(response.body, ensure_ascii=False) + json.dumps([c.body for c in stub.calls])
    for revealing in ("@example.se", "Lars", "invitation_limit_reached", "Fjällkaffe"):
        assert revealing not in dumped
    assert stub.updates() == []  # not the asker: the refusal the channel sees stays


def test_merchants_click_on_a_staff_answer_never_replaces_it(teams, stub):
    question = channel_mention(stub.service_url, LOOKUP, channel=SHARED_CHANNEL, shared=True)
    card_id, card, _call = ask(teams, stub, question)
    response = teams.post(execute_invoke(question, card_id, action(card, VERB_SWITCH_LANGUAGE), user=MERCHANT))
    # Someone else's live answer: a note for the merchant alone (as in Slack), nothing of the answer.
    assert response.body["type"] == "application/vnd.microsoft.activity.message"
    assert response.body["value"].startswith("Bara den som frågade kan ändra det här svaret.")
    assert "example.se" not in json.dumps(response.body, ensure_ascii=False)
    assert stub.updates() == [] and len(stub.messages()) == 1


def test_a_button_from_another_conversation_reveals_nothing(teams, stub):
    question = personal_message(stub.service_url, LOOKUP)
    card_id, card, _call = ask(teams, stub, question)
    elsewhere = channel_mention(stub.service_url, "x", user=MERCHANT, channel=SHARED_CHANNEL,
                                tenant=MERCHANT_TENANT)
    response = teams.post(execute_invoke(elsewhere, card_id, action(card, VERB_SWITCH_LANGUAGE), user=MERCHANT))
    assert response.status == 200
    assert response.body["type"] == "application/vnd.microsoft.activity.message"
    # Read as expired (in the language the button asks for): nothing tells that the answer exists.
    assert response.body["value"].startswith("Det här svaret finns inte kvar längre.")
    assert "example.se" not in json.dumps(response.body)
    forged = {"verb": VERB_SWITCH_LANGUAGE, "data": {**action(card, VERB_SWITCH_LANGUAGE)["data"],
                                                     "answer": "A" * 22}}
    response = teams.post(execute_invoke(question, card_id, forged, user=ALICE))
    assert response.body["value"].startswith("Det här svaret finns inte kvar längre.")
    assert stub.updates() == []


def test_action_submit_by_the_asker_updates_the_card(teams, stub, components):
    question = channel_mention(stub.service_url, "Ej levererad – SPF-fel")
    card_id, card, _call = ask(teams, stub, question)
    click = card_submit({**question, "replyToId": card_id}, action(card, VERB_SWITCH_LANGUAGE)["data"], user=ALICE)
    assert teams.post(click).status == 202
    assert teams.idle()
    (update,) = stub.updates()
    assert update.activity_id == card_id
    assert card_texts(check_attachment(update.body["attachments"][0]))[0] == label(components, "spf_failure", "en")
    assert len(stub.messages()) == 1


def test_action_submit_by_someone_else_answers_apart_and_keeps_the_card(teams, stub, components):
    question = channel_mention(stub.service_url, "Ej levererad – SPF-fel")
    card_id, card, _call = ask(teams, stub, question)
    click = card_submit({**question, "replyToId": card_id}, action(card, VERB_SWITCH_LANGUAGE)["data"], user=BERTIL)
    teams.post(click)
    assert teams.idle()
    assert stub.updates() == []
    _first, second = stub.messages()
    assert second.conversation == question["conversation"]["id"]
    assert card_texts(check_attachment(second.body["attachments"][0]))[0] == label(components, "spf_failure", "en")


def test_a_message_with_a_value_that_is_not_ours_is_ignored(teams, stub):
    question = personal_message(stub.service_url, "x")
    teams.post(card_submit({**question, "replyToId": "1"}, {"something": "else"}, user=ALICE))
    assert teams.idle()
    assert stub.messages() == [] and stub.updates() == []


def test_message_action_explains_the_status_named_in_a_message(teams, stub, components):
    where = channel_mention(stub.service_url, "x")
    html = "<p>Hej! Kunden fick <b>Ej levererad&nbsp;– SPF-fel</b>.</p><p>Vad gör vi?</p>"
    response = teams.post(message_action(where, html, user=ALICE))
    assert response.status == 200
    task = response.body["task"]
    assert task["type"] == "continue"
    assert task["value"]["title"] == "Inbjudningsstatus"
    card = check_attachment(task["value"]["card"])
    assert card_texts(card)[0] == label(components, "spf_failure", "sv")
    assert any("Ej levererad – SPF-fel" in text for text in card_texts(card))  # "You asked" from the message
    assert all(a["type"] == "Action.Submit" for a in card["actions"])
    assert stub.messages() == []  # only the person who used it sees the answer

    # A button inside the dialog comes back as submitAction with our data: the same answer, re-rendered.
    switch = next(a for a in card["actions"] if a["data"]["verb"] == VERB_SWITCH_LANGUAGE)
    response = teams.post(message_action(where, html, user=ALICE, kind="composeExtension/submitAction",
                                         data=switch["data"]))
    again = check_attachment(response.body["task"]["value"]["card"])
    assert card_texts(again)[0] == label(components, "spf_failure", "en")
    # Someone else cannot open that answer through the dialog's data.
    response = teams.post(message_action(where, html, user=BERTIL, kind="composeExtension/submitAction",
                                         data=switch["data"]))
    assert response.body["task"]["type"] == "message"


def test_message_action_in_a_shared_channel_masks_for_the_merchant(teams, stub):
    where = channel_mention(stub.service_url, "x", user=MERCHANT, channel=SHARED_CHANNEL, shared=True,
                            tenant=MERCHANT_TENANT)
    response = teams.post(message_action(where, f"<div>{LOOKUP}</div>", user=MERCHANT,
                                         kind="composeExtension/submitAction"))
    dumped = json.dumps(response.body, ensure_ascii=False)
    assert "a***@example.se" in dumped and "anna@example.se" not in dumped


def offered_buttons(card):
    return [a for element in card["body"] if element["type"] == "ActionSet" for a in element["actions"]]


def test_an_offered_status_is_a_button_that_explains_it_to_the_clicker_alone(teams, stub, components):
    # A label shaped like ours that names no status: the closest real ones are offered as buttons.
    question = channel_mention(stub.service_url, "Not delivered - Unknown error")
    card_id, card, _call = ask(teams, stub, question)
    offered = offered_buttons(card)
    assert offered and all(a["verb"] == VERB_EXPLAIN_STATUS for a in offered)
    status = offered[0]["data"]["status"]
    assert offered[0]["title"] == label(components, status, "en")
    # Someone else clicks: that status explained, as their own question, in the invoke's answer only.
    response = teams.post(execute_invoke(question, card_id, offered[0], user=BERTIL))
    assert response.status == 200
    assert response.body["type"] == "application/vnd.microsoft.card.adaptive"
    explained = check_card(response.body["value"])
    assert card_texts(explained)[0] == label(components, status, "en")
    assert components.kb.get(status).meaning.get("en") in card_texts(explained)
    # Its own buttons work as any answer's do, for the clicker.
    switch = action(explained, VERB_SWITCH_LANGUAGE)
    response = teams.post(execute_invoke(question, card_id, switch, user=BERTIL))
    assert card_texts(check_card(response.body["value"]))[0] == label(components, status, "sv")
    # The card the channel sees stays as it was, and nothing is posted for everyone.
    assert stub.updates() == [] and len(stub.messages()) == 1


def test_an_offer_button_with_forged_data_explains_nothing(teams, stub):
    question = channel_mention(stub.service_url, "Not delivered - Unknown error")
    card_id, card, _call = ask(teams, stub, question)
    forged = {"verb": VERB_EXPLAIN_STATUS, "data": {**offered_buttons(card)[0]["data"], "status": "<at>x</at>"}}
    response = teams.post(execute_invoke(question, card_id, forged, user=ALICE))
    assert response.body["type"] == "application/vnd.microsoft.activity.message"
    assert stub.updates() == [] and len(stub.messages()) == 1


def test_an_offer_button_inside_the_message_action_dialog_explains_that_status(teams, stub, components):
    where = channel_mention(stub.service_url, "x")
    response = teams.post(message_action(where, "<p>Not delivered - Unknown error</p>", user=ALICE))
    card = check_attachment(response.body["task"]["value"]["card"])
    offered = offered_buttons(card)
    assert offered and all(a["type"] == "Action.Submit" for a in offered)
    response = teams.post(message_action(where, "<p>Not delivered - Unknown error</p>", user=ALICE,
                                         kind="composeExtension/submitAction", data=offered[0]["data"]))
    explained = check_attachment(response.body["task"]["value"]["card"])
    assert card_texts(explained)[1:2] != [] and label(components, offered[0]["data"]["status"], "en") in card_texts(
        explained)
    assert stub.messages() == []
