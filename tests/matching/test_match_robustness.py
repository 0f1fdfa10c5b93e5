"""Hostile and odd inputs never crash the matcher, and the same text always gives the same answer."""

from __future__ import annotations

import pytest

from bot.core.models import Match
from bot.matching.matcher import MAX_ALTERNATIVES, Matcher


@pytest.fixture(scope="module")
def matcher(label_kb):
    return Matcher(label_kb)


ODD = [
    "",
    " ",
    "\x00\x01\x02",
    "\u200b\u200d\ufeff",
    "😀🙏🔥",
    "🙂 👍",
    "????",
    "-–—",
    "Ej levererad – SPF-fel 😀",
    "Not delivered - Blocked email address ✉️",
    "Неверный адрес получателя",  # Cyrillic
    "受信者が無効です",
    "Ej levererad – ogiltig mottagare مرحبا",
    "\ud800 lone surrogate",
    "<@U123> <!channel> <#C1|x>",
    "a" * 100_000,
    "Ej levererad – SPF-fel " * 5000,
    "ä" * 100_000,
    "\n".join(["x"] * 50_000),
]


@pytest.mark.parametrize("text", ODD)
def test_odd_inputs_give_a_well_formed_match(matcher, text):
    match = matcher.match(text)
    assert isinstance(match, Match)
    assert 0.0 <= match.score <= 100.0
    assert len(match.alternatives) <= MAX_ALTERNATIVES
    assert match.status is None or match.status not in match.alternatives
    assert match.language in (None, "sv", "en")


@pytest.mark.parametrize("text", ["", "   ", "\x00", "😀🙏🔥", "🙂 👍", "?!", "<!here>"])
def test_empty_and_symbol_only_inputs_name_no_status(matcher, text):
    match = matcher.match(text)
    assert match.status is None
    assert match.alternatives == ()


def test_a_label_survives_surrounding_noise(matcher):
    assert matcher.match("Ej levererad – SPF-fel 😀").status == "spf_failure"
    assert matcher.match("\x00Ej levererad\u200b – SPF-fel\x07").status == "spf_failure"


def test_matching_is_deterministic(label_kb, matcher):
    texts = ["Not deliverd - Rejected mesage", "blockerad", "the address is blocked", "hej", "ingen mall"]
    first = [matcher.match(t) for t in texts]
    again = [matcher.match(t) for t in reversed(texts)][::-1]
    rebuilt = [Matcher(label_kb).match(t) for t in texts]
    assert first == again == rebuilt


def test_alternatives_never_repeat_and_exclude_the_answer(label_kb, matcher):
    for entry in label_kb:
        match = matcher.match(entry.label.en)
        assert len(set(match.alternatives)) == len(match.alternatives)
        assert entry.id not in match.alternatives
