"""Promise 1: in a channel shared with another organisation, no email address or recipient name reaches Slack,
wherever it hides: recipient fields, a mail server's bounce message, any other API text, the asker's echoed words."""

from __future__ import annotations

import logging

from secure_slack import BOUND, FORM, GUEST, MERCHANT_TEAM, UNBOUND, everything, mention, staff
from slackstub import command_body, post

# Sandbox demo data: ORDER-10007 bounced with "550 5.1.1 <erik.lindqvist@example.se>: Recipient address rejected",
# ORDER-10019 with a bounce that names Anna Svensson and her address at kund.example.
ERIK = ("erik.lindqvist@example.se", "Erik Lindqvist", "erik.lindqvist")
ANNA = ("anna.svensson@kund.example", "Anna Svensson", "anna.svensson")


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
