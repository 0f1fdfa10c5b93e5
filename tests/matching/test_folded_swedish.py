"""Swedish typed without å, ä and ö reads as the Swedish it stands for."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge.loader import load_knowledge
from bot.matching.keywords import KeywordIndex
from bot.matching.language import detect_language
from bot.matching.matcher import Matcher
from bot.matching.normalize import ascii_fold
from bot.matching.terms import content_words

QUESTIONS = Path(__file__).with_name("questions.tsv")


@pytest.fixture(scope="module")
def kb():
    return load_knowledge()


@pytest.fixture(scope="module")
def matcher(kb):
    return Matcher(kb)


def _swedish_questions() -> list[tuple[str, str]]:
    rows = [line.split("\t") for line in QUESTIONS.read_text(encoding="utf-8").splitlines()[1:]]
    return [(query, expected) for query, expected, kind in rows if kind == "question_sv"]


def test_every_swedish_question_keeps_its_answer_without_diacritics(matcher):
    changed = []
    for query, _expected in _swedish_questions():
        folded = ascii_fold(query)
        if folded != query and matcher.match(folded).status != matcher.match(query).status:
            changed.append(query)
    assert not changed


def test_a_folded_word_reads_as_the_word_with_diacritics(kb):
    index = KeywordIndex(kb)
    for plain, written in (("kon", "kön"), ("forsoka", "försöka"), ("paminnelse", "påminnelse")):
        assert index.resolve(plain, "sv"), plain
        assert {term for term, _ in index.resolve(plain, "sv")} == {term for term, _ in index.resolve(written, "sv")}


def test_folded_function_words_are_no_terms():
    folded = content_words("nar gar den ivag pa riktigt", language="sv")
    assert folded == [ascii_fold(word) for word in content_words("när går den iväg på riktigt", language="sv")]


def test_star_is_a_word_of_its_own_in_english():
    assert "star" in content_words("a one star review", language="en")
    assert "star" not in content_words("det star att den vantar", language="sv")


def test_a_folded_swedish_question_is_swedish():
    assert detect_language("varfor gar inbjudan inte ivag nar kunden har handlat") == "sv"
