"""Whole chat messages: small talk, signatures and markup around a question, the status the asker has now,
labels that name no status, several pasted rows. Written apart from the realistic development set."""

from __future__ import annotations

import pytest

from bot.core.models import Act
from bot.matching.matcher import Matcher


@pytest.fixture(scope="module")
def matcher(kb):
    return Matcher(kb)


@pytest.mark.parametrize(
    "text, said",
    [
        ("tack!", ("thanks",)),
        ("Thanks a lot Maria 🙏", ("thanks",)),
        ("ok 👍", ("acknowledgement",)),
        (":+1:", ("acknowledgement",)),
        ("hej hej", ("greeting",)),
        ("Good morning <@U0BOT> :wave:", ("greeting",)),
        ("perfekt, nu funkar det!", ("resolved", "acknowledgement")),
        ("that did the trick, cheers", ("resolved", "thanks")),
        ("thnaks!!", ("thanks",)),
        ("glöm det, jag hittade felet", ("resolved",)),
        ("are you a bot?", ("about_bot",)),
        ("tack, nu har de gått iväg", ("resolved", "thanks")),
        ("thanks, the sender name problem is fixed now", ("resolved", "thanks")),
        # What thanks are for, and whom a next step involves, ask nothing.
        ("many thanks for the detailed answer about the reply-to address", ("thanks",)),
        ("tack för genomgången av platshållarna", ("thanks",)),
        ("perfekt, jag pratar med vår utvecklare", ("acknowledgement",)),
        ("got it, I'll check with our developer", ("acknowledgement",)),
        ("hello, hope you're well 😊", ("greeting",)),
        ("god morgon! hoppas du har en fin fredag", ("greeting",)),
        ("👋 hej hej 👋", ("greeting",)),
        ("Thanks! The scheduled ones went out this morning", ("resolved", "thanks")),
        ("tack! de köade har gått iväg nu", ("resolved", "thanks")),
    ],
)
def test_small_talk_is_never_a_status(matcher, text, said):
    match = matcher.match(text)
    assert match.act is Act.SMALL_TALK and match.status is None, match
    assert match.small_talk == said


@pytest.mark.parametrize(
    "text",
    [
        "ok, but why does it still say queued?",
        "tack! en sak till: vad betyder Ej levererad – SPF-fel?",
        "thanks, but the invitations still haven't gone out",
        "hej, kunden avregistrerade sig innan inbjudan skickades",
        "thanks for the help, but the invitations are still in the queue",
        "tack för svaret, men vad betyder redan inbjuden?",
        "thanks for explaining the SPF failure – what does invalid sender name mean then?",
    ],
)
def test_small_talk_beside_a_question_leaves_the_question(matcher, text):
    match = matcher.match(text)
    assert match.act is Act.STATUS and match.status is not None, match


def test_greeting_signature_and_markup_do_not_hide_the_problem(matcher):
    ticket = (
        "Hej <@U0BOT>!\nVi har *Magento* på vår butik och sedan i morse står det `Ej levererad – SPF-fel` på "
        "nästan alla inbjudningar 😩 Vad ska vi göra?\nTack på förhand!\nMvh\nKarin Berg\nKlädbutiken AB"
    )
    assert matcher.match(ticket).status == "spf_failure"


@pytest.mark.parametrize(
    "text, now",
    [
        ("vi rättade SPF-posten igår, nu står det ogiltig avsändaradress", "invalid_sender_address"),
        ("it's not the SPF failure any more, now the status says Invalid sender email", "invalid_sender_address"),
        ("inte blockerad utan avregistrerad", "delivered_unsubscribed"),
        # One word after "utan" / "but" is the clause about now, whatever follows it.
        ("inte avregistrerad utan blockerad, vad betyder det?", "blocked"),
        ("it's not queued but cancelled, why?", "manually_cancelled"),
        # "No @" says what is missing; "som inte längre finns" tells of an address, not of a status that is over.
        ("the address the customer gave has a typo, no @", "invalid_recipient"),
        # A quoted label denied, one that begins with a negation of its own too.
        ("it's not the 'no template' one, the status says the SKU is wrong", "sku_error"),
        ('det är inte "redan avregistrerad" utan att kunden markerade inbjudan som skräppost',
         "delivered_marked_as_spam"),
        # "Det står inte X längre" is over beside a clause about now; "nu är den Y" tells, it does not ask.
        ("det står inte SPF-fel längre sedan IT ändrade posten, nu är den levererad", "delivered"),
        # What a clause about now says stands, though an earlier clause seemed to deny it.
        ("Not 'already invited' – she was never invited. The number was used for another person before, and now "
         "the status says wrong reference number", "wrong_reference_number"),
        # A denial that opens a clause about now, or follows a verb of saying, still denies ...
        ("Not an SPF failure this time – it's the sender name now", "invalid_sender_name"),
        ("vi rättade svarsadressen, nu står det inte ogiltig svarsadress längre utan att de ligger i kö", "queued"),
        # ... but "it says there is no X" names X.
        ("it now says that there is no template at all", "no_template"),
        # Labels written without å, ä and ö, named or denied.
        ("vi trodde att kunden avregistrerat sig men nu star det ogiltig svarsadress", "invalid_reply_to"),
        ("Vi har produktomdömen i paketet, det är inte \"inga produktomdömen\", det står SKU-fel", "sku_error"),
        # A few words with "yesterday" in them name what it was, though "yesterday" comes last.
        ("Internt fel igår; idag står det Levererad", "delivered"),
        # A label in a clause that says "now", beside another label: the other is what it was.
        ("Det var 'Ej levererad – schemalagd till senare' hela förmiddagen, nu står det Skickar – på väg", "sending"),
        # A negation that begins a label names it: "no template selected" is no denial of "no template".
        ("there's no template selected at all since ours was deleted. Is that 'no custom template'?", "no_template"),
        # A few words opening with "before" name what it was, without a verb to say so.
        ("Först SPF-fel, nu efter ändringen står det ogiltigt avsändarnamn", "invalid_sender_name"),
        ("vi satte svarsadressen till en brevlåda som inte längre finns, nu går inget ut", "invalid_reply_to"),
        ("it doesn't say blocked, it says Delivered - Unsubscribed", "delivered_unsubscribed"),
        ("the reply-to address was fixed last week but now they fail with SPF failure", "spf_failure"),
    ],
)
def test_the_answer_is_about_the_status_the_asker_has_now(matcher, text, now):
    match = matcher.match(text)
    assert match.status == now, match


def test_a_status_that_is_over_is_not_offered_as_an_alternative(matcher):
    match = matcher.match("vi fixade SPF-felet, nu står det ogiltig avsändaradress")
    assert match.status == "invalid_sender_address" and "spf_failure" not in match.alternatives


def test_a_negated_delivery_is_what_happened_not_a_status_denied(matcher):
    # "wasn't delivered" says how it went; it does not put the delivered statuses aside as a contrast would.
    match = matcher.match("the invitation was never delivered, the customer had unsubscribed long before")
    assert match.status == "already_unsubscribed", match


@pytest.mark.parametrize(
    "text, closest",
    [
        ("Not delivered - Unknown error", "internal_error"),
        ("Levererad – okänd", "delivered"),
        ('the status says "Delivered - Read" on a few, what is that?', "delivered"),
        ("Ej levererad – studsad", None),
        # Small talk beside it is dropped without touching the dash inside the quoted label.
        ("Status says 'Delivered - Forwarded', is that a good thing?", "delivered"),
        # A quoted label whose state is none of ours.
        ('the status shows "Pending - Awaiting approval" on two rows', "queued"),
        ("Status: Bounced – soft", "message_rejected"),
    ],
)
def test_a_label_that_names_no_status_is_said_to_be_unknown(matcher, text, closest):
    match = matcher.match(text)
    assert match.act is Act.UNKNOWN_LABEL and match.status is None, match
    assert match.label and match.label in text
    if closest is not None:
        assert closest in match.alternatives


@pytest.mark.parametrize(
    "text, status",
    [
        ("Ej levererad - ogiltig avsandare", "invalid_sender_address"),
        ("Not delivered - Invalid recipent", "invalid_recipient"),
        ("Ej levererad – SPF-fle", "spf_failure"),
    ],
)
def test_a_label_written_in_part_or_mistyped_is_still_that_status(matcher, text, status):
    assert matcher.match(text).status == status


def test_several_rows_name_each_status_most_frequent_first(matcher):
    paste = (
        "| email | status | date |\n"
        "| a@shop.example | Not delivered - Blocked | 2026-11-02 |\n"
        "| b@shop.example | Delivered | 2026-11-02 |\n"
        "| c@shop.example | Not delivered - Blocked | 2026-11-03 |\n"
        "| d@shop.example | Not delivered - Temporary email address | 2026-11-03 |"
    )
    match = matcher.match(paste)
    assert match.status == "blocked" and match.also == ("delivered", "temporary_email")
    # Written out on one line, as a batch line holds it.
    assert matcher.match(paste.replace("\n", "\\n")).also == ("delivered", "temporary_email")


@pytest.mark.parametrize(
    "text, status",
    [
        # The asker's guess is set aside; what they describe decides.
        ("The customer mistyped her own address when ordering. Is that 'Invalid sender email'?", "invalid_recipient"),
        ("Kunden hade avregistrerat sig långt innan och inbjudan gick aldrig ut. Är det Levererad – avregistrerad?",
         "already_unsubscribed"),
        # ... and when the description fits the guess, the guess stands.
        ("Our SPF record lacks the include. Is that 'Not delivered - SPF failure'?", "spf_failure"),
    ],
)
def test_a_status_only_guessed_at_gives_way_to_the_situation_described(matcher, text, status):
    assert matcher.match(text).status == status


def test_what_works_is_not_the_answer(matcher):
    match = matcher.match("Our sender settings are fine. The customer typed gmial.com in her own address.")
    assert match.status == "invalid_recipient", match


def test_a_label_said_to_be_all_the_page_shows_is_the_answer_however_long_the_story(matcher):
    text = (
        "Hej! En kund hör av sig och säger att hon aldrig fick något mejl från oss om omdömen, men i vår översikt "
        "står det bara levererad på hennes rad, inga fel. Vad svarar vi henne?"
    )
    assert matcher.match(text).status == "delivered"


def test_a_label_after_a_verb_of_saying_is_what_the_page_shows(matcher):
    assert matcher.match("yesterday it said queued, today it shows delivered").status == "delivered"
    # A quoted state names its one status.
    assert matcher.match('fastnat på "skickar" sedan i går kväll').status == "sending"


def test_a_ticket_about_invitations_is_not_taken_for_its_setting(matcher):
    ticket = ("Hej! Vi kör WooCommerce-integrationen och sedan i måndags stoppas alla inbjudningar av ett SPF-fel. "
              "Vi har inte ändrat något i DNS, kan det ha med pluginet att göra?")
    assert matcher.match(ticket).status == "spf_failure"
    # A question about setting up the integration stays outside.
    match = matcher.match("how do I connect our WooCommerce shop so invitations go out on their own?")
    assert match.status is None


def test_a_short_message_that_fits_one_status_clearly_is_answered(matcher):
    match = matcher.match("refnumret för långt 🙄")
    assert match.status == "reference_number_too_long"
    # Two statuses close together stay a question.
    assert matcher.match("kickstart").status is None


@pytest.mark.parametrize(
    "text, status",
    [
        # The candidates a question names are guesses: what the message tells picks one of them, surely.
        ("At checkout the shopper typed their own address wrong, it ends in .co. Invalid sender or invalid "
         "recipient?", "invalid_recipient"),
        ("Kickstarten pågår fortfarande men vi har skickat det högsta antalet. Tidsgränsen passerad eller "
         "kickstart-inbjudningarna slut?", "kickstart_used_up"),
        ("Kunden hade avregistrerat sig långt innan vi skickade. Redan avregistrerad eller levererad – avregistrerad?",
         "already_unsubscribed"),
        # ... unless the story surely names a look-alike of both: then it is neither.
        ("The reference number had been used before for a completely different customer, and now a new customer "
         "got the same one. Already invited or invitation frequency?", "wrong_reference_number"),
    ],
)
def test_a_question_between_candidates_is_decided_by_the_situation(matcher, text, status):
    match = matcher.match(text)
    assert match.status == status and match.score >= 50.0, match


@pytest.mark.parametrize(
    "text, status",
    [
        ("I figured it was the SPF thing, but the status says invalid sender email", "invalid_sender_address"),
        ("trodde det var en tillfällig adress, men statusen säger blockerad e-postadress", "blocked_email"),
        ("It said scheduled for later on Monday, now it shows blocked", "blocked"),
    ],
)
def test_a_first_guess_or_an_earlier_status_gives_way_to_what_it_shows_now(matcher, text, status):
    assert matcher.match(text).status == status


@pytest.mark.parametrize(
    "text", ["absolute legend 🙌", "du är en klippa!", "thanks – the reply-to problem is gone now"]
)
def test_praise_and_thanks_with_news_are_small_talk(matcher, text):
    match = matcher.match(text)
    assert match.act is Act.SMALL_TALK and match.status is None, match


def test_a_short_message_that_fits_one_status_and_no_other_is_answered(matcher):
    assert matcher.match("the invites are set to go out later on").status == "scheduled_for_later"


@pytest.mark.parametrize(
    "text",
    [
        "Sorry for the slow answer, I was travelling all week.",
        "Förlåt för dröjsmålet, har varit sjuk några dagar.",
        "Perfect, I'll run it past our developer and get back to you.",
        "Okej, jag återkommer när jag har pratat med vår byrå.",
        "Tack, adressen var felstavad hos kunden, nu är den rättad och inbjudan har gått iväg.",
        "Cheers, the sender name is sorted and everything is being delivered again",
        "Hope you all had a relaxing holiday!",
        "Oj, skrev i fel kanal – ignorera mig 🙈",
        "Glad midsommar allihop! 🍓",
        "Thanks, that explains why the invites stopped: we had paused them ourselves. All good now.",
        "great bot, that was fast",
        # What the asker now understands, and trouble denied, report nothing wrong.
        "ok so 'Sending' just means it is on its way, thanks",
        "tack, inget fel alls hos oss då",
    ],
)
def test_a_message_that_only_talks_is_small_talk(matcher, text):
    match = matcher.match(text)
    assert match.act is Act.SMALL_TALK and match.status is None, match


@pytest.mark.parametrize(
    "text",
    [
        "Thanks, but now it says Not delivered - SPF failure",
        "tack, men inbjudningarna stoppas fortfarande",
        "Sorry to bother you again, the invites are being stopped with invalid reply-to",
        "ok, the customer never got it and the status is Not delivered - Invalid recipient",
    ],
)
def test_thanks_or_an_apology_beside_a_problem_leaves_the_problem(matcher, text):
    match = matcher.match(text)
    assert match.act is not Act.SMALL_TALK, match


@pytest.mark.parametrize("text", ["funkar inte", "det funkar inte nu heller", "it doesn't work", "still not fixed"])
def test_small_talk_turned_around_by_a_negation_is_no_small_talk(matcher, text):
    match = matcher.match(text)
    assert match.act is not Act.SMALL_TALK, match


def test_a_quoted_name_with_a_dash_is_a_label_only_where_the_status_is_spoken_of(matcher):
    match = matcher.match('we moved to "Shopify - Plus" last month, does that change anything for invitations?')
    assert match.act is not Act.UNKNOWN_LABEL, match


def test_a_story_told_over_lines_is_no_paste_of_rows(matcher):
    match = matcher.match("Det var inte SPF-fel längre.\nNu står det: Ej levererad – ogiltigt avsändarnamn")
    assert match.status == "invalid_sender_name" and match.also == (), match


def test_pasted_rows_stay_rows_whatever_words_they_hold(matcher):
    paste = ("anna@shop.example – New customer – Not delivered - SPF failure\n"
             "bo@shop.example – First order – Not delivered - Invalid recipient\n"
             "cy@shop.example – New customer – Not delivered - SPF failure")
    match = matcher.match(paste)
    assert match.status == "spf_failure" and match.also == ("invalid_recipient",), match
