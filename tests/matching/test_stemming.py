"""Inflected and derived forms meet on one stem, and unrelated words stay apart."""

from __future__ import annotations

import pytest

from bot.matching.stemming import stem_en, stem_sv


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("rejection", "rejected"),
        ("rejections", "reject"),
        ("deletion", "deleted"),
        ("bounced", "bounce"),
        ("invitation", "invite"),
    ],
)
def test_english_forms_share_a_stem(one: str, other: str) -> None:
    assert stem_en(one) == stem_en(other)


@pytest.mark.parametrize(("one", "other"), [("option", "opt"), ("mention", "ment")])
def test_short_nouns_in_tion_are_not_cut_to_another_word(one: str, other: str) -> None:
    assert stem_en(one) != stem_en(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("inbjudningarna", "inbjudning"),
        ("påminnelsen", "påminnelse"),
        # The passive supine: "has been deleted", "has been invited".
        ("raderats", "raderat"),
        ("skickats", "skickade"),
        ("bjudits", "bjuden"),
    ],
)
def test_swedish_forms_share_a_stem(one: str, other: str) -> None:
    assert stem_sv(one) == stem_sv(other)
