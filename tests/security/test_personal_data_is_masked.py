"""Promise 1: in a conversation shared with another organisation, no email address or recipient name reaches Slack or
Microsoft Teams, wherever it hides: recipient fields, a mail server's bounce message, any other API text, the asker's
echoed words."""

from __future__ import annotations

import json
import logging

from connectorstub import (
    ALICE,
    BERTIL,
    MERCHANT,
    MERCHANT_TENANT,
    SHARED_CHANNEL,
    channel_mention,
    group_chat_mention,
    message_action,
)
from connectorstub import GUEST as TEAMS_GUEST
from secure_slack import BOUND, FORM, GUEST, MERCHANT_TEAM, UNBOUND, everything, mention, staff
from secure_teams import MERCHANT_CHAT, all_sent, ask, texts
from slackstub import command_body, post

# Sandbox demo data: ORDER-10007 bounced with "550 5.1.1 <erik.lindqvist@example.se>: Recipient address rejected",
# ORDER-10019 with a bounce that names Anna Svensson and her address at kund.example.
ERIK = ("erik.lindqvist@example.se", "Erik Lindqvist", "erik.lindqvist")
ANNA = ("anna.svensson@kund.example", "Anna Svensson", "anna.svensson")
# A group chat of our own tenant, bound to nothing, with a guest among its members.
GROUP_CHAT_OF_OURS = "19:support-and-a-guest@thread.v2"


def assert_hidden(text: str, *personal: str) -> None:
    for value in personal:
        assert value.lower() not in text.lower(), f"{value!r} reached Slack"


def test_an_address_inside_a_bounce_message_is_masked_for_the_merchant(app, caplog):
    caplog.set_level(logging.DEBUG)
    reply = mention(app, "ORDER-10007 at nordic-shoes.example", "Sec1-bounce", channel=BOUND, user=GUEST,
                    user_team=MERCHANT_TEAM)
    shown = everything(reply)
    assert "550 5.1.1 <e***@example.se>: Recipient address rejected" in reply.args["text"] or \
        "550 5.1.1 &lt;e***@example.se&gt;: Recipient address rejected" in reply.args["text"]
    assert_hidden(shown, *ERIK)
    assert_hidden(caplog.text, ERIK[0])


def test_a_name_inside_a_bounce_message_is_masked_for_staff_in_a_shared_channel(app):
    reply = mention(app, "ORDER-10019 at nordic-shoes.example", "Sec1-name", channel=UNBOUND, **staff())
    shown = everything(reply)
    assert "A*** S***" in shown and "a***@kund.example" in shown
    assert_hidden(shown, *ANNA, "Svensson")


def test_the_askers_echoed_words_are_masked_when_they_name_a_recipient(app, stub):
    text = "what happened to erik.lindqvist@example.se at nordic-shoes.example"
    post(app.events_url, command_body(text, stub.response_url("sec1-echo"), channel=UNBOUND), FORM,
         secret=app.secret)
    (answer,) = stub.wait_calls("response:sec1-echo")
    shown = everything(answer)
    assert "e***@example.se" in shown
    assert_hidden(shown, *ERIK)


def test_a_pasted_list_of_ids_keeps_recipients_hidden(app, components):
    from bot.invitations.sandbox import NORDIC_SHOES_ID

    client = components.source.client()
    ids = [client.find_invitations(NORDIC_SHOES_ID, reference_number=ref)[0].id
           for ref in ("ORDER-10007", "ORDER-10019", "ORDER-10023")]
    reply = mention(app, "check these\n" + "\n".join(ids), "Sec1-bulk", channel=UNBOUND, **staff())
    assert_hidden(everything(reply), *ERIK, *ANNA, "anna@example.se")


# -- Microsoft Teams: the same promise for cards, their summaries and fallback texts, and dialogs -----------------

def test_teams_an_address_inside_a_bounce_message_is_masked_for_the_merchant(teams, connector, caplog):
    caplog.set_level(logging.DEBUG)
    question = channel_mention(connector.service_url, "ORDER-10007 at nordic-shoes.example", user=MERCHANT,
                               channel=SHARED_CHANNEL, shared=True, tenant=MERCHANT_TENANT)
    card = ask(teams, connector, question)
    assert "550 5.1.1 <e***@example.se>: Recipient address rejected" in texts(card)
    assert_hidden(all_sent(connector), *ERIK)
    assert_hidden(caplog.text, ERIK[0])


def test_teams_a_name_inside_a_bounce_message_is_masked_for_staff_in_a_cross_tenant_chat(teams, connector):
    # A group chat the merchant's tenant hosts, bound to nothing: our agent asks, everyone there reads the answer.
    question = group_chat_mention(connector.service_url, "ORDER-10019 at nordic-shoes.example", user=ALICE,
                                  chat=MERCHANT_CHAT, tenant=MERCHANT_TENANT)
    card = ask(teams, connector, question)
    assert "A*** S***" in texts(card) and "a***@kund.example" in texts(card)
    assert_hidden(all_sent(connector), *ANNA, "Svensson")


def test_teams_a_chat_with_a_guest_in_it_masks_for_staff_too(teams, connector):
    connector.rosters[GROUP_CHAT_OF_OURS] = [ALICE, BERTIL, TEAMS_GUEST]
    question = group_chat_mention(connector.service_url, "ORDER-10007 at nordic-shoes.example", user=ALICE,
                                  chat=GROUP_CHAT_OF_OURS)
    card = ask(teams, connector, question)
    assert "e***@example.se" in texts(card)
    assert_hidden(all_sent(connector), *ERIK)


def test_teams_the_askers_echoed_words_are_masked_in_the_message_actions_dialog(teams, connector):
    where = channel_mention(connector.service_url, "x", user=ALICE, channel=SHARED_CHANNEL, shared=True)
    response = teams.post(message_action(where, "<p>what happened to erik.lindqvist@example.se at "
                                                "nordic-shoes.example</p>", user=ALICE))
    assert response.status == 200
    shown = json.dumps(response.body, ensure_ascii=False)
    assert "e***@example.se" in shown
    assert_hidden(shown, *ERIK)

