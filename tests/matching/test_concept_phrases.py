"""Concept phrases: an expression of several words reads as its concept's word, where no single word would."""

from __future__ import annotations

import pytest

from bot.knowledge.loader import load_knowledge
from bot.knowledge.model import Concept, KnowledgeBase, LocalizedList
from bot.matching.matcher import Matcher
from bot.matching.phrases import ConceptPhrases

OPT_OUT = Concept(
    "unsubscribe",
    LocalizedList(("avregistrera",), ("unsubscribe",)),
    LocalizedList(("sluta mejla", "vill inte ha mejl"), ("not want emails", "stop getting emails")),
)


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge()


@pytest.fixture(scope="module")
def phrases() -> ConceptPhrases:
    return ConceptPhrases((OPT_OUT,))


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        # Other inflections, words in between, and any negation for a negation of the phrase.
        ("she stopped getting our emails", "she unsubscribe our"),
        ("he doesnt want any more emails from us", "he unsubscribe any more from us"),
        ("they no longer want emails", "they unsubscribe longer"),
        ("kunden bad oss sluta mejla henne", "kunden bad oss avregistrera henne"),
        ("hon vill inte längre ha några mejl", "hon avregistrera längre några"),
    ],
)
def test_a_phrase_is_read_as_its_concepts_word(phrases, key, expected):
    assert phrases.rewrite(key) == expected


@pytest.mark.parametrize(
    "key",
    [
        # Without the wish, or with too much between its words, it is no phrase.
        "the customer did not get emails",
        "we want emails to go out",
        "stop the invitations from getting stuck in our emails",
        "kunden fick inte mejl",
    ],
)
def test_text_without_a_phrase_is_left_alone(phrases, key):
    assert phrases.rewrite(key) == key


def test_a_negation_inside_a_phrase_without_one_turns_it_around():
    spare = Concept(
        "expired", LocalizedList(("utgått",), ("expired",)), LocalizedList(("har kvar",), ("still have left",))
    )
    phrases = ConceptPhrases((spare,))
    assert phrases.rewrite("we still have some left") == "we expired some"
    assert phrases.rewrite("we still have none left") == "we still have none left"
    assert phrases.rewrite("vi har inga kvar") == "vi har inga kvar"
    # Short words are matched as written: "hare" is no "har".
    assert phrases.rewrite("en hare kvar") == "en hare kvar"


def test_no_phrases_no_change():
    assert ConceptPhrases(()).rewrite("stop getting emails") == "stop getting emails"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Unsubscribing told in other words, before the invitation or after it arrived.
        ("a shopper once asked us to stop emailing him and now his invite is held back", "already_unsubscribed"),
        ("hon bad oss sluta mejla henne, därför stoppades väl inbjudan?", "already_unsubscribed"),
        ("they asked not to be contacted by us, is that why it was stopped?", "already_unsubscribed"),
        ("mottagaren fick inbjudan och ville sedan inte få mer mejl från butiken", "delivered_unsubscribed"),
    ],
)
def test_unsubscribing_described_without_the_word(kb, text, expected):
    without = tuple(Concept(c.id, c.words) for c in kb.concepts)
    plain = KnowledgeBase({entry.id: entry for entry in kb}, kb.out_of_scope, without, kb.polarity)
    # The bundled phrases are what finds it: without them the question goes elsewhere or nowhere.
    assert Matcher(plain).match(text).status != expected
    assert Matcher(kb).match(text).status == expected


def test_unsubscribing_after_delivery_described_without_the_word(kb):
    # What it arrived and the wish not to be contacted say together, with or without the phrase for the wish.
    text = "the customer opened the invite, later she asked us to stop contacting her"
    assert Matcher(kb).match(text).status == "delivered_unsubscribed"
