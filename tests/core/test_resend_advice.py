"""Asked the way a merchant asks ("kan jag skicka om den?", "can I just resend it?"), the bot gives the advice
of the status's action: never "resend" where that would do harm, and always the article to read more in."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from live_fakes import NORDIC, FakeInvitations, ask, make_desk

from bot.core.models import ReplyKind
from bot.invitations.models import Invitation
from bot.render.text import render_text

ANSWERS = {
    "resend_after_fix": {
        "sv": "Ja, när orsaken är åtgärdad: skicka då inbjudan igen.",
        "en": "Yes, once the cause is fixed: then send the invitation again.",
    },
    "retries_automatically": {
        "sv": "Det behövs inte: systemet försöker själv leverera den igen om några timmar. "
              "Skickar du den också själv får kunden två inbjudningar.",
        "en": "No need: the system tries to deliver it again by itself in a few hours. "
              "Sending it yourself as well would give the customer a duplicate.",
    },
    "new_invitation_other_address": {
        "sv": "Inte till samma adress. Vill du nå kunden kan du be om en annan e-postadress "
              "och skicka en ny inbjudan dit.",
        "en": "Not to the same address. To reach the customer, ask for another email address "
              "and send a new invitation to it.",
    },
    "do_not_send_again": {
        "sv": "Nej. Skicka inte den här inbjudan igen.",
        "en": "No. Do not send this invitation again.",
    },
    "nothing_to_do": {
        "sv": "Det finns inget att skicka igen: ingen åtgärd behövs för den här inbjudan.",
        "en": "There is nothing to send again: no action is needed for this invitation.",
    },
}
# What a merchant must never read about a status that is not fixed and resent.
RESEND_PROMISES = {
    "sv": ("Ja, när orsaken", "kan skickas igen när", "kan skickas om"),
    "en": ("Yes, once the cause", "can be sent again once", "can be resent"),
}
OVERVIEW = {
    "sv": "Läs mer: Översikt över inbjudningsstatus (https://support.trustpilot.com/hc/sv/articles/4404655951762)",
    "en": "Read more: Invitation status overview (https://support.trustpilot.com/hc/en-us/articles/4404655951762)",
}
# (question, status, action, who must act, something its steps must say)
CASES = [
    ('Det står "Ej levererad – blockerad" på inbjudan, kan jag skicka om den?', "blocked", "do_not_send_again",
     "Vårt supportteam", "Kontakta supportteamet"),
    ('It says "Not delivered - Blocked". Can I just resend it?', "blocked", "do_not_send_again",
     "Our support team", "Contact the support team"),
    ("Ej levererad – schemalagd till senare. Kan jag skicka om den?", "scheduled_for_later", "retries_automatically",
     "Ingen", "Skicka inte om inbjudan själv"),
    ("Not delivered - Scheduled for later, can I just resend it?", "scheduled_for_later", "retries_automatically",
     "Nobody", "Don't send the invitation again yourself"),
    ("första leveransförsöket misslyckades och det ska provas igen senare, kan jag skicka om den?",
     "scheduled_for_later", "retries_automatically", "Ingen", "automatiskt"),
    ("Inbjudan har status Ej levererad – blockerad e-postadress, kan jag skicka om den?", "blocked_email",
     "new_invitation_other_address", "Företaget", "på en annan domän"),
    ("Status is Not delivered - Blocked email address. Can I just resend it?", "blocked_email",
     "new_invitation_other_address", "The merchant", "on a different domain"),
    ("Ej levererad – tillfällig e-postadress: kan jag skicka om den?", "temporary_email",
     "new_invitation_other_address", "Företaget", "Skicka inte om inbjudan till samma adress"),
    ("the customer used a throwaway email address, can I just resend it?", "temporary_email",
     "new_invitation_other_address", "The merchant", "Don't resend the invitation to the same address"),
    ("Ej levererad – omdöme lämnat idag, kan jag skicka om den?", "reviewed_today", "nothing_to_do", "Ingen",
     "kunden har redan lämnat ett omdöme"),
    ("Not delivered - Review left today. Can I just resend it?", "reviewed_today", "nothing_to_do", "Nobody",
     "the customer has already reviewed your business"),
    ("kunden har redan lämnat ett omdöme idag och inbjudan stoppades, kan jag skicka om den?", "reviewed_today",
     "nothing_to_do", "Ingen", "Ingen åtgärd behövs"),
    ("Ej levererad – passerat tidsgränsen för kickstart-inbjudningar, kan jag skicka om den?", "kickstart_expired",
     "do_not_send_again", "Ingen", "Skicka inte om inbjudan som kickstart-inbjudan"),
    ("Not delivered - Out of kickstart invitations. Can I just resend it?", "kickstart_used_up",
     "do_not_send_again", "Nobody", "Don't resend the invitation as a kickstart invitation"),
    ("Ej levererad – manuellt avbruten, kan jag skicka om den?", "manually_cancelled", "nothing_to_do", "Ingen",
     "skapa nya inbjudningar"),
    ("Not delivered - Already invited. Can I just resend it?", "already_invited", "nothing_to_do", "Nobody",
     "already been invited with this reference number"),
    ("Ej levererad – påminnelser inaktiverade, kan jag skicka om den?", "reminders_disabled", "nothing_to_do",
     "Ingen", "skickas inte ut"),
    ("Not delivered - Recipient technical error. Can I just resend it?", "recipient_technical_error",
     "new_invitation_other_address", "The recipient", "does not help"),
    ("Ej levererad – meddelandet avvisades, kan jag skicka om den?", "message_rejected",
     "new_invitation_other_address", "Mottagaren", "skicka en ny inbjudan"),
    # Statuses that are fixed and resent still say so.
    ("Ej levererad – SPF-fel, kan jag skicka om den?", "spf_failure", "resend_after_fix", "Företaget",
     "include:trustpilotservice.com"),
    ("Not delivered - Invalid recipient. Can I just resend it?", "invalid_recipient", "resend_after_fix",
     "The merchant", "Correct the address"),
]


def resend_section(reply) -> str:
    headings = {"sv": "Kan den skickas igen?", "en": "Can it be resent?"}
    found = [s.text for s in reply.sections if s.heading == headings[reply.language]]
    assert len(found) == 1, [s.heading for s in reply.sections]
    return found[0]


@pytest.mark.parametrize(("question", "status", "action", "actor", "step"), CASES,
                         ids=[f"{c[1]}-{n}" for n, c in enumerate(CASES)])
def test_a_merchant_asking_to_resend_gets_the_statuss_own_advice(say, kb, question, status, action, actor, step):
    reply = say(question, fallback="sv")
    assert reply.kind is ReplyKind.EXPLAIN and reply.status == status, (question, reply.status)
    entry = kb.get(status)
    assert entry is not None and entry.action.value == action
    language = reply.language
    # Every Swedish question here asks "kan jag skicka om den?"; every English one "can I just resend it?".
    assert language == ("sv" if "kan jag skicka om den" in question.lower() else "en")
    assert resend_section(reply) == ANSWERS[action][language]
    text = render_text(reply)
    who = [s.text for s in reply.sections if s.heading in ("Vem behöver agera", "Who must act")]
    assert who and who[0].startswith(actor), who
    assert step in text
    if action != "resend_after_fix":
        for promise in RESEND_PROMISES[language]:
            assert promise not in text, (status, promise)
    assert text.rstrip().endswith(OVERVIEW[language])


def test_a_live_lookup_of_a_retried_invitation_says_wait_not_resend(kb):
    source = FakeInvitations()
    retried = "5f1e9c2a7b3d4e5f6a7b0999"
    source.invitations.append(Invitation(
        id=retried, business_unit_id=NORDIC, status="scheduled_for_later", reference_number="ORDER-777",
        recipient_email="nils@example.se", created_at=datetime(2026, 11, 26, 8, tzinfo=UTC), type="service",
        method="api",
    ))
    reply = ask(make_desk(source, kb), f"status {retried}", language="sv")
    assert reply.kind is ReplyKind.LOOKUP and reply.status == "scheduled_for_later"
    assert resend_section(reply) == ANSWERS["retries_automatically"]["sv"]
    assert reply.read_more is not None and reply.read_more.url.endswith("/hc/sv/articles/4404655951762")
    assert render_text(reply).rstrip().endswith(OVERVIEW["sv"])
