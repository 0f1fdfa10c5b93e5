"""Normalisation before matching: dashes, spaces, quotes, controls, Slack markup, hostile sizes."""

from __future__ import annotations

import pytest

from bot.matching.normalize import MAX_INPUT_CHARS, fold_key, normalize

DASHES = ["\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212", "\ufe58", "\ufe63", "\uff0d"]


@pytest.mark.parametrize("dash", DASHES)
def test_every_dash_variant_becomes_a_hyphen(dash):
    assert normalize(f"Ej levererad {dash} SPF{dash}fel") == "ej levererad - spf-fel"


@pytest.mark.parametrize("space", ["\u00a0", "\u2007", "\u202f", "\u2003", "\u3000", "\t", "\n", "\u2028"])
def test_unicode_spaces_become_one_space(space):
    assert normalize(f"Not{space}delivered{space}{space}-{space}Blocked") == "not delivered - blocked"


@pytest.mark.parametrize("quoted", ['"Levererad"', "'Levererad'", "“Levererad”", "„Levererad“", "«Levererad»",
                                    "‘Levererad’", "`Levererad`", "‹Levererad›"])
def test_quotes_are_removed(quoted):
    assert normalize(quoted) == "levererad"


def test_case_is_folded_and_nfkc_applied():
    assert normalize("ÅTERSTÄLLD Straße ﬁle") == "återställd strasse file"
    assert normalize("ＳＰＦ－fel") == "spf-fel"


def test_control_and_format_characters_are_removed():
    assert normalize("I\x00 k\u200bö\x07\x1b") == "i kö"
    assert normalize("blocke\u00adrad") == "blockerad"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<@U12345> Ej levererad – blockerad", "ej levererad - blockerad"),
        ("<!here> <#C0123|support> what is this", "what is this"),
        ("see <https://example.com/x?a=1|Ej levererad – SKU-fel>", "see ej levererad - sku-fel"),
        ("<https://example.com/plain>", "https://example.com/plain"),
        ("*Ej levererad – SPF-fel*", "ej levererad - spf-fel"),
        ("_Queued_ and ~Sending~", "queued and sending"),
        ("**bold** __under__", "bold under"),
        ("*_nested emphasis_*", "nested emphasis"),
        ("`spf_failure`", "spf_failure"),
    ],
)
def test_slack_markup_is_stripped(text, expected):
    assert normalize(text) == expected


def test_codes_keep_their_underscores():
    assert normalize("spf_failure") == "spf_failure"
    assert normalize("_invalid_reply_to_") == "_invalid_reply_to_"
    assert fold_key("invalid_reply_to") == "invalid reply to"


def test_white_space_runs_collapse_and_ends_are_trimmed():
    assert normalize("  a \t\t b \n\n c  ") == "a b c"


def test_fold_key_keeps_words_only():
    assert fold_key("Status: “Ej levererad – SPF-fel”!") == "status ej levererad spf fel"
    assert fold_key("adressen saknar @?") == "adressen saknar @"


@pytest.mark.parametrize("unit", ["a", "<", "*_", "\u2013 ", "😀", "<@U1>", "x" * 999 + "\n"])
def test_100_kb_inputs_are_cut_before_any_work(unit):
    hostile = (unit * (100_000 // len(unit) + 1))[:100_000]
    result = normalize(hostile)
    assert len(result) <= MAX_INPUT_CHARS
    # Only the first MAX_INPUT_CHARS characters count: what follows cannot change the result.
    assert result == normalize(hostile[:MAX_INPUT_CHARS] + "tail that never counts")


def test_empty_and_blank_inputs():
    assert normalize("") == ""
    assert normalize(" \u00a0\t\n") == ""
    assert fold_key("?!--") == ""


def test_fold_keys_reads_every_text_as_fold_key_does() -> None:
    from bot.knowledge.loader import load_knowledge
    from bot.matching.normalize import fold_key, fold_keys

    kb = load_knowledge()
    texts = [text for entry in kb for language in ("sv", "en") for text in entry.phrases.get(language)]
    # Texts off the plain path: markup, codes, odd spaces, compatibility forms, quotes, dashes, overlong.
    texts += ["*Blocked* – <https://x.se|länk>", "spf_failure", "a\u00a0b\tc", "ｆｕｌｌ＜x＞", "don’t — «här»"]
    texts += ["x" * 3000, "", "  ", "Ej levererad: SPF-fel", "İ ß ﬁ", "@*foo*"]
    assert fold_keys(texts) == [fold_key(text) for text in texts]
