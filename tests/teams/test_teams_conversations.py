"""Teams end to end with the real brain: activities shaped as Teams sends them into the real app on a socket,
the knowledge base and the bundled sandbox API behind it, and what reached the stand-in Bot Connector.

Access policy: our tenant is internal; the shared channel and the group chat are bound to Nordic Shoes."""

from __future__ import annotations

import itertools
import json

import pytest
from cardcheck import card_texts, check_attachment
from connectorstub import (
    ALICE,
    BERTIL,
    CHANNEL,
    GROUP_CHAT,
    GUEST,
    MERCHANT,
    MERCHANT_TENANT,
    SHARED_CHANNEL,
    bot_added,
    channel_mention,
    group_chat_mention,
    personal_message,
)

from bot.invitations.sandbox import NORDIC_SHOES_ID

LOOKUP = "ORDER-10023 at nordic-shoes.example"  # Anna's SPF failure in the sandbox's demo data
ELSEWHERE = "reference FK200003 at fjallkaffe.example"   # another merchant's invitation
NOWHERE = "reference FK999999 at fjallkaffe.example"
REFUSED = "I cannot show live invitation data"


def label(components, status, language):
    return components.kb.get(status).label.get(language)


def answer_of(teams, stub, activity):
    """Post the activity, wait for its one answer; returns (call, card)."""
    response = teams.post(activity)
    assert response.status == 202, response.body
    assert teams.idle()
    (call,) = stub.messages()
    (attachment,) = call.body["attachments"]
    return call, check_attachment(attachment)


def everything(call) -> str:
    return json.dumps(call.body, ensure_ascii=False)


def test_personal_chat_answer_is_one_card_in_the_same_conversation(teams, stub, components):
    activity = personal_message(stub.service_url, "Ej levererad – SPF-fel", locale="en-US")
    call, card = answer_of(teams, stub, activity)
    assert call.conversation == activity["conversation"]["id"]
    assert call.reply_to == activity["id"] and call.body["replyToId"] == activity["id"]
    assert call.body["conversation"]["id"] == activity["conversation"]["id"]
    assert call.body["recipient"]["id"] == ALICE
    # The question's language (Swedish) wins over the Teams locale (en-US).
    assert card_texts(card)[0] == label(components, "spf_failure", "sv")
    assert call.body["summary"] == label(components, "spf_failure", "sv")
    assert "text" not in call.body  # Teams would split text and card into two messages
    assert call.token is None  # anonymous development mode sends no token
    assert call.path.startswith("v3/conversations/")  # under the serviceUrl's own path (/emea/)


@pytest.mark.parametrize(("locale", "expected"), [("en-GB", "en"), ("sv-SE", "sv"), ("de-DE", "sv")])
def test_without_language_in_the_question_the_locale_decides_else_bot_language(teams, stub, locale, expected):
    _call, card = answer_of(teams, stub, personal_message(stub.service_url, "?", locale=locale))
    title = card_texts(card)[0]
    if expected == "en":
        assert title == "I explain review-invitation statuses and what to do about them."
    else:
        assert title.startswith("Jag förklarar")


def test_channel_mention_is_answered_in_the_thread_of_the_post(teams, stub, components):
    activity = channel_mention(stub.service_url, "what does Not delivered - SPF failure mean?", locale="sv-SE")
    call, card = answer_of(teams, stub, activity)
    assert call.conversation == f"{CHANNEL};messageid={activity['id']}"
    assert call.reply_to == activity["id"]
    assert card_texts(card)[0] == label(components, "spf_failure", "en")


def test_mention_in_an_existing_thread_is_answered_in_that_thread(teams, stub, components):
    activity = channel_mention(stub.service_url, "Ej levererad – SPF-fel", root_id="1699999999000")
    call, _card = answer_of(teams, stub, activity)
    assert call.conversation == f"{CHANNEL};messageid=1699999999000"
    assert call.reply_to == activity["id"]


def test_the_bots_mention_is_removed_before_matching(make_teams, stub):
    from scripted_teams import RecordingAssistant

    assistant = RecordingAssistant()
    teams = make_teams(assistant=assistant)
    teams.post(channel_mention(stub.service_url, "Ej levererad – SPF-fel, <at>Bertil</at> ser du?"))
    assert teams.idle()
    (question,) = assistant.questions
    assert question.text == "Ej levererad – SPF-fel, Bertil ser du?"
    assert question.asker.internal and question.asker.channel_id == CHANNEL
    assert not question.asker.shared_channel and not question.asker.is_direct_message


def test_group_chat_mention_is_answered_in_the_chat(teams, stub, components):
    stub.rosters[GROUP_CHAT] = [ALICE, BERTIL]
    activity = group_chat_mention(stub.service_url, "Not delivered - SPF failure")
    call, card = answer_of(teams, stub, activity)
    assert call.conversation == GROUP_CHAT
    assert card_texts(card)[0] == label(components, "spf_failure", "en")


def test_staff_in_a_personal_chat_see_the_recipient(teams, stub):
    call, _card = answer_of(teams, stub, personal_message(stub.service_url, LOOKUP))
    assert "anna@example.se" in everything(call)
    assert "ORDER-10023" in everything(call)


def test_staff_in_a_shared_channel_see_masked_data(teams, stub):
    activity = channel_mention(stub.service_url, LOOKUP, channel=SHARED_CHANNEL, shared=True)
    call, _card = answer_of(teams, stub, activity)
    dumped = everything(call)
    assert "a***@example.se" in dumped
    assert "anna@example.se" not in dumped and "Anna Svensson" not in dumped


def test_merchant_in_the_bound_shared_channel_sees_masked_live_data(teams, stub, components):
    activity = channel_mention(stub.service_url, LOOKUP, user=MERCHANT, channel=SHARED_CHANNEL, shared=True)
    call, _card = answer_of(teams, stub, activity)
    dumped = everything(call)
    assert label(components, "spf_failure", "en") in dumped
    assert "a***@example.se" in dumped
    assert "anna@example.se" not in dumped and "Anna Svensson" not in dumped
    # Who the merchant is came from the Bot Connector, not from the payload.
    assert any(c.path.endswith(f"/members/{MERCHANT}") for c in stub.lookups())


def refusal_of(make_teams, stub, text, **kw):
    teams = make_teams()
    call, card = answer_of(teams, stub, channel_mention(stub.service_url, text, **kw))
    stub.calls.clear()
    return call, card


def test_merchant_is_refused_another_merchants_data_without_learning_whether_it_exists(make_teams, stub):
    where = {"user": MERCHANT, "channel": SHARED_CHANNEL, "shared": True, "tenant": MERCHANT_TENANT}
    exists_call, exists = refusal_of(make_teams, stub, ELSEWHERE, **where)
    _missing_call, missing = refusal_of(make_teams, stub, NOWHERE, **where)
    assert REFUSED in card_texts(exists)[0]
    assert card_texts(exists) == card_texts(missing)
    for revealing in ("@example.se", "***", "Lars", "FK200003 ", "Fjällkaffe"):
        assert revealing not in everything(exists_call)


def test_merchant_in_an_unbound_channel_or_chat_is_refused(make_teams, stub):
    unbound = {"user": MERCHANT, "channel": "19:other-merchant@thread.tacv2", "tenant": MERCHANT_TENANT}
    call, card = refusal_of(make_teams, stub, LOOKUP, **unbound)
    assert REFUSED in card_texts(card)[0]
    assert "@example.se" not in everything(call)


def test_a_guest_of_our_own_tenant_is_not_staff(teams, stub):
    call, card = answer_of(teams, stub, personal_message(stub.service_url, LOOKUP, user=GUEST))
    assert REFUSED in card_texts(card)[0]
    assert "@example.se" not in everything(call)


def test_a_user_unknown_to_the_connector_is_not_staff(teams, stub):
    _call, card = answer_of(teams, stub, personal_message(stub.service_url, LOOKUP, user="29:1nobody"))
    assert REFUSED in card_texts(card)[0]


def test_group_chat_with_an_outsider_masks_for_staff(teams, stub):
    chat = "19:meeting_with-outsider@thread.v2"
    stub.rosters[chat] = [ALICE, MERCHANT]
    call, _card = answer_of(teams, stub, group_chat_mention(stub.service_url, LOOKUP, chat=chat))
    assert "a***@example.se" in everything(call) and "anna@example.se" not in everything(call)


def test_cross_tenant_conversation_masks_for_everyone(teams, stub):
    # A channel hosted by the merchant's tenant: our agent is a guest of theirs... still our staff member.
    activity = channel_mention(stub.service_url, LOOKUP, channel="19:hosted-by-merchant@thread.tacv2",
                               tenant=MERCHANT_TENANT)
    call, _card = answer_of(teams, stub, activity)
    assert "a***@example.se" in everything(call) and "anna@example.se" not in everything(call)


def test_member_lookups_are_cached(teams, stub):
    for text in ("Ej levererad – SPF-fel", "Not delivered - SPF failure"):
        teams.post(personal_message(stub.service_url, text))
    assert teams.idle()
    assert len(stub.messages()) == 2
    assert len(stub.lookups()) == 1


def test_bot_added_gets_one_short_welcome_in_the_users_language(teams, stub):
    conversation = {"conversationType": "personal", "tenantId": "x", "id": "a:1welcome-me"}
    for kind in ("installationUpdate", "conversationUpdate"):
        assert teams.post(bot_added(stub.service_url, kind=kind, conversation=conversation)).status == 202
    assert teams.idle()
    (welcome,) = stub.messages()
    assert welcome.conversation == "a:1welcome-me"
    assert welcome.body["text"].startswith("Hej! Jag förklarar")
    assert len(welcome.body["text"]) < 300


def test_team_install_welcome_speaks_of_mentions_and_members_joining_get_nothing(teams, stub):
    conversation = {"isGroup": True, "conversationType": "channel", "tenantId": "x", "id": TEAM_GENERAL}
    teams.post(bot_added(stub.service_url, conversation=conversation, locale="en-US"))
    someone = bot_added(stub.service_url, conversation=conversation)
    someone["membersAdded"] = [{"id": BERTIL}]
    teams.post(someone)
    assert teams.idle()
    (welcome,) = stub.messages()
    assert "Mention me" in welcome.body["text"]


TEAM_GENERAL = "19:team-general@thread.tacv2"


def test_a_pasted_column_of_ids_keeps_a_progress_note_up_to_date(teams, stub, components):
    client = components.source.client()
    ids = [inv.id for inv in itertools.islice(client.iter_invitations(NORDIC_SHOES_ID), 12)]
    activity = personal_message(stub.service_url, "check these please\n" + "\n".join(ids))
    assert teams.post(activity).status == 202
    assert teams.idle()
    note, answer = stub.messages()
    assert note.body["text"].startswith("Checked ") and "of 12 invitations" in note.body["text"]
    updates = stub.updates()
    assert updates and updates[-1].activity_id == note.posted_id
    assert updates[-1].body["text"] == "Checked 12 of 12 invitations…"
    assert updates[-1].body["type"] == "message"
    check_attachment(answer.body["attachments"][0])
    assert answer.reply_to == activity["id"]
