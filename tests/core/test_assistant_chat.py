"""The brain as a chat: what a person types, what the bot answers."""

from bot.core.assistant import Assistant
from bot.core.models import Match, Question, ReplyKind
from bot.render.text import render_text


def test_pasted_swedish_label_is_explained_in_swedish(say):
    reply = say("Ej levererad – SPF-fel")
    assert reply.kind is ReplyKind.EXPLAIN and reply.status == "spf_failure"
    assert reply.language == "sv"
    text = render_text(reply)
    assert "Nästa steg" in text and "include:trustpilotservice.com" in text


def test_english_question_gets_an_english_answer_even_with_swedish_fallback(say):
    reply = say("the customer gave us a disposable throwaway address", fallback="sv")
    assert reply.status == "temporary_email"
    assert reply.language == "en"
    assert "Next steps" in render_text(reply)


def test_forced_language_wins_over_the_question(say):
    reply = say("Not delivered - Invalid recipient", language="sv")
    assert reply.status == "invalid_recipient" and reply.language == "sv"
    assert reply.title == "Ej levererad – ogiltig mottagare"


def test_a_bare_code_answers_in_the_fallback_language(say):
    assert say("spf_failure", fallback="en").language == "en"
    assert say("spf_failure", fallback="sv").language == "sv"


def test_empty_messages_get_help_not_a_guess(say):
    for text in ("", "   ", "?"):
        reply = say(text)
        assert reply.kind is ReplyKind.HELP, text
        assert reply.status is None


def test_greetings_get_a_friendly_word_and_the_help_in_their_language(say):
    for text, language, title in (("hej!", "sv", "Hej! Vad kan jag hjälpa dig med?"),
                                  ("Hello", "en", "Hi! How can I help?"),
                                  ("God morgon <@U123> :wave:", "sv", "Hej! Vad kan jag hjälpa dig med?")):
        reply = say(text, fallback="en" if language == "sv" else "sv")
        assert reply.kind is ReplyKind.SMALL_TALK and reply.status is None, text
        assert reply.language == language and reply.title == title
        # The help comes along: a greeting starts a conversation.
        assert any(section.items for section in reply.sections), text


def test_thanks_and_acknowledgements_get_a_short_word_never_a_status(say):
    for text, title in (("thanks, that fixed it 🙏", "Great, glad it works now!"),
                        ("tack så mycket!", "Varsågod!"),
                        ("ok 👍", "Bra!"),
                        ("👍", "Bra!"),
                        ("Perfekt, tack Anna!", "Varsågod!"),
                        ("sorry for the slow reply, I was away", "No worries!"),
                        ("förlåt, mitt fel", "Ingen fara!"),
                        ("Okej, jag återkommer när jag pratat med vår byrå", "Bra!")):
        reply = say(text)
        assert reply.kind is ReplyKind.SMALL_TALK and reply.status is None, text
        assert reply.title == title, text
        assert "\n".join(render_text(reply).splitlines()[1:]).count("\n") < 3, text


def test_small_talk_around_a_question_leaves_the_question(say):
    reply = say("Hej! Vad betyder Ej levererad – SPF-fel? Tack på förhand\nMvh Erik")
    assert reply.kind is ReplyKind.EXPLAIN and reply.status == "spf_failure"


def test_unrelated_questions_get_no_invented_status(say):
    for text in ("vad kostar en pizza i Stockholm", "what is the capital of Norway"):
        reply = say(text)
        assert reply.status is None, text
        assert reply.kind in (ReplyKind.HELP, ReplyKind.NO_MATCH, ReplyKind.OUT_OF_SCOPE)


def test_a_near_miss_topic_is_outside_with_a_pointer_not_a_status(say):
    for text in ("how do I set up SPF for our newsletter?", "hur byter jag logga på vår profil?"):
        reply = say(text)
        assert reply.kind is ReplyKind.OUT_OF_SCOPE and reply.status is None, text
        assert "support" in render_text(reply), text


def test_several_pasted_rows_explain_each_status_most_frequent_first(say):
    paste = (
        "2026-11-02\tanna@example.se\tNot delivered - Invalid recipient\n"
        "2026-11-02\tbo@example.se\tNot delivered - SPF failure\n"
        "2026-11-03\tcarl@example.se\tNot delivered - SPF failure\n"
    )
    reply = say(paste)
    assert reply.kind is ReplyKind.EXPLAIN
    assert reply.status == "spf_failure" and reply.data["also"] == ["invalid_recipient"]
    assert [section.heading for section in reply.sections] == ["Not delivered - SPF failure",
                                                                "Not delivered - Invalid recipient"]
    assert [offer.status for offer in reply.offers] == ["spf_failure", "invalid_recipient"]


def test_confusable_labels_are_told_apart(say):
    assert say("Levererad").status == "delivered"
    assert say("Levererad – avregistrerad").status == "delivered_unsubscribed"
    assert say("Ej levererad – ingen mall").status == "no_template"
    assert say("Ej levererad – ingen anpassad mall").status == "no_custom_template"


def test_hostile_input_gets_a_bounded_answer(say):
    for text in ("x" * 100_000, "\x00\x07\x1b[31m" * 500, "🙂🙂🙂", "<!channel> <@U123> *SPF* ~x~",
                 "Ej levererad – SPF-fel " * 5000):
        reply = say(text)
        assert reply.kind is not ReplyKind.ERROR, text[:40]
        assert len(render_text(reply)) < 20_000


class ExplodingMatcher:
    def match(self, text: str) -> Match:
        raise RuntimeError("secret internals")


def test_unexpected_failure_is_an_apology_without_internals(kb, caplog):
    reply = Assistant(kb, ExplodingMatcher()).answer(Question(text="SPF?", fallback_language="en"))  # type: ignore[arg-type]
    assert reply.kind is ReplyKind.ERROR
    assert "secret internals" not in render_text(reply)
    assert "secret internals" in caplog.text


def test_a_label_naming_no_status_is_said_to_be_unknown_with_the_closest_offered(say):
    reply = say("Not delivered - Unknown error")
    assert reply.kind is ReplyKind.NO_MATCH and reply.status is None
    assert reply.title == '"Not delivered - Unknown error" is not a status I know.'
    assert reply.offers and all(offer.label for offer in reply.offers)
    swedish = say("Levererad – okänd")
    assert swedish.language == "sv" and swedish.title == "”Levererad – okänd” är ingen status jag känner till."
    assert "delivered" in [offer.status for offer in swedish.offers]


def test_a_colloquial_answer_offers_the_other_statuses_that_fit(say):
    reply = say("spf strular igen 😤")
    assert reply.kind is ReplyKind.EXPLAIN and reply.status == "spf_failure"
    assert reply.offers and reply.offers_heading == "Menade du en annan?"
    assert "spf_failure" not in [offer.status for offer in reply.offers]
    # A pasted label is sure: nothing else offered.
    assert say("Ej levererad – SPF-fel").offers == ()
