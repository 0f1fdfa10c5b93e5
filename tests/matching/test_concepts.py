"""Concepts (knowledge/concepts.yaml) let a question and a status that word the same thing differently meet."""

from __future__ import annotations

import pytest

from bot.knowledge.loader import load_knowledge
from bot.knowledge.model import Concept, KnowledgeBase, LocalizedList
from bot.matching.concepts import CONCEPT_MARK, ConceptMap
from bot.matching.keywords import KeywordIndex
from bot.matching.matcher import Matcher
from bot.matching.normalize import fold_key
from bot.matching.terms import content_words


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge()


def _with(kb: KnowledgeBase, *concepts: Concept) -> KnowledgeBase:
    return KnowledgeBase({entry.id: entry for entry in kb}, kb.out_of_scope, concepts)


def test_a_word_no_status_uses_reaches_the_status_through_its_concept(kb):
    # "yoinked" is in no status text; listed next to "bounced" it reads as a bounce.
    text = "why was our invitation yoinked?"
    plain = _with(kb)
    grouped = _with(kb, Concept("bounce", LocalizedList(("studsade",), ("bounced", "yoinked"))))
    assert Matcher(plain).match(text).status != "message_rejected"
    assert Matcher(grouped).match(text).status == "message_rejected"


def test_a_swedish_word_meets_a_status_through_an_english_one(kb):
    concept = Concept("disposable", LocalizedList(("blixtadress",), ("throwaway",)))
    match = Matcher(_with(kb, concept)).match("kunden använde en blixtadress i kassan")
    assert match.status == "temporary_email"


def test_a_typo_of_a_concept_word_is_still_read_as_the_concept(kb):
    concept = Concept("disposable", LocalizedList(("blixtadress",), ("throwaway",)))
    match = Matcher(_with(kb, concept)).match("kunden använde en blixtadres i kassan")
    # A typo is a less sure reading: the status comes first, if perhaps only as the first offer.
    assert (match.status or match.alternatives[0]) == "temporary_email"


def test_words_are_stemmed_in_their_own_language_only():
    concepts = ConceptMap((Concept("sender", LocalizedList(("avsändare",), ("sender",))),))
    assert concepts("sender") == CONCEPT_MARK + "sender"
    # Read as Swedish, "sender" would lose its -er and swallow "send" ("sending", "sends").
    assert concepts("send") == "send"
    assert concepts("avsänd") == CONCEPT_MARK + "sender"


def test_the_bundled_concepts_keep_every_label_and_code(kb):
    from bot.matching.variants import label_variants

    matcher = Matcher(kb)
    assert kb.concepts
    wrong = [(text, expected) for text, expected, _kind in label_variants(kb) if matcher.match(text).status != expected]
    assert not wrong


def test_a_concept_word_written_in_two_reads_as_one(kb):
    from bot.matching.keywords import KeywordIndex

    index = KeywordIndex(kb)
    # "opted out" is the listed "optedout", so it cannot be read as the "opt" of "opt-in".
    assert index.words("customer opted out last year") == ["customer", "optedout", "year"]
    assert index.words("the customer opted-out".replace("-", " ")) == index.words("the customer optedout")


def test_to_is_never_joined_so_replying_to_a_review_stays_a_verb(kb):
    from bot.matching.keywords import KeywordIndex

    assert "replyto" not in KeywordIndex(kb).words("reply to a review")


def test_concept_words_are_not_split_as_compounds(kb: KnowledgeBase) -> None:
    index = KeywordIndex(kb)
    # "mallen" is the template concept and nothing more; its letters end in an unrelated "late".
    assert [term for term, _ in index.resolve("mallen", "sv")] == ["=template"]


def test_every_keyword_is_read_as_a_term(kb: KnowledgeBase) -> None:
    # A keyword made only of function words ("morning" once was one) silently counts for nothing.
    silent = [
        (entry.id, language, keyword)
        for entry in (*kb, *kb.out_of_scope)
        for language in ("sv", "en")
        for keyword in entry.keywords.get(language)
        if not content_words(fold_key(keyword))
    ]
    assert silent == []


@pytest.mark.parametrize(
    ("word", "concept"),
    [
        # Anglicisms with Swedish endings, and Swedish loan forms, read as the concept they stand for.
        ("unsubbade", "unsubscribe"),
        ("unsubbed", "unsubscribe"),
        ("bouncade", "bounce"),
        ("templaten", "template"),
        ("temporära", "disposable"),
        ("spamkorgen", "spam"),
        ("servrarna", "server"),
    ],
)
def test_colloquial_and_borrowed_words_read_as_their_concept(kb: KnowledgeBase, word: str, concept: str) -> None:
    index = KeywordIndex(kb)
    assert [term for term, _ in index.resolve(word, "sv")][:1] == [CONCEPT_MARK + concept]


def test_chat_fillers_are_not_read_as_meaning(kb: KnowledgeBase) -> None:
    # "kolla", "påstår", "enligt" say how someone talks, not what happened; "vilja" and "sådan" were once
    # read as typos of status words.
    index = KeywordIndex(kb)
    assert index.words("kunden påstår enligt dem att vi ska kolla en sådan grej") == ["kunden"]


def test_a_long_word_written_in_two_reads_as_that_word(kb: KnowledgeBase) -> None:
    index = KeywordIndex(kb)
    # Swedish compounds are often split in chat; the knowledge base writes "felformaterad" whole.
    assert "felformaterad" in index.words("adressen är fel formaterad")
    # Short words are never joined: two common words do not make a third by accident.
    assert index.words("fel adress") == ["fel", "adress"]


def test_colloquial_sen_is_then_not_late(kb: KnowledgeBase) -> None:
    # Chat Swedish writes "sen" for "sedan" (then, since); as "late" it would meet "senare" of a retried delivery.
    assert KeywordIndex(kb).words("sen dess kom inga inbjudningar") == ["inbjudningar"]


def test_for_the_time_being_reads_as_in_progress(kb: KnowledgeBase) -> None:
    index = KeywordIndex(kb)
    words = index.words("den skickas för tillfället")
    assert "förtillfället" in words
    assert index.resolve("förtillfället", "sv")[0][0] == CONCEPT_MARK + "in_progress"


def test_a_long_unknown_word_is_not_read_as_its_short_ending(kb):
    index = KeywordIndex(kb)
    # Only "ring" of "domänverifieringen" is a known word: that is no reading of it.
    assert index.resolve("domänverifieringen", "sv") == ()
    # A compound of two known words still reads through its parts.
    assert index.resolve("kundmejlet", "sv")


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("vi tog bort mallen", "delete"),
        ("tog vi bort fel mall", "delete"),
        ("jag stängde av påminnelserna", "disabled"),
        ("stangde ni av paminnelserna", "disabled"),
        ("vi slog av utskicket", "disabled"),
        ("kunden skrev in fel adress", "typo"),
        ("inbjudningarna tog slut", "used_up"),
    ],
)
def test_a_swedish_particle_verb_reads_as_its_concept(kb: KnowledgeBase, text: str, concept: str) -> None:
    index = KeywordIndex(kb)
    terms = {term for word in index.words(fold_key(text), "sv") for term, _ in index.resolve(word, "sv")}
    assert CONCEPT_MARK + concept in terms, terms


def test_a_particle_is_not_taken_across_a_content_word(kb: KnowledgeBase) -> None:
    # "tog" and "bort" are too far apart, with a word of the matter between: no particle verb.
    words = KeywordIndex(kb).words(fold_key("vi tog mallen bort"), "sv")
    assert "togbort" not in words


@pytest.mark.parametrize(
    ("text", "joined"),
    [
        ("somebody switched them off yesterday", "switchedoff"),
        ("I turned it off in settings", "turnedoff"),
        ("the mail bounced back", "bouncedback"),
        ("a long standing fault", "longstanding"),
    ],
)
def test_english_phrasal_verbs_and_split_words_read_as_their_concept(kb, text, joined):
    assert joined in KeywordIndex(kb).words(fold_key(text))


def test_a_persistent_fault_at_the_recipient_is_their_technical_error(kb):
    matcher = Matcher(kb)
    assert matcher.match("the shopper's mail host has had a chronic fault for weeks, is that it?").status == (
        "recipient_technical_error"
    )


def test_broke_is_no_guideline_breach_on_its_own(kb):
    index = KeywordIndex(kb)
    assert index.resolve("broke", "en") != ((CONCEPT_MARK + "breach", 1.0),)
