"""Explicit text normalisation before any comparison (rapidfuzz itself does none).

The functions are pure and the steps of reading one message meet the same texts and words again and again, so
their answers are kept (bounded).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

# Hostile inputs (100 KB of anything) are cut before any regex or Unicode work runs on them;
# no real question or pasted status comes near this length.
MAX_INPUT_CHARS = 2000

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d\u2043\u1806"
_QUOTES = "\"'`´‘’‚‛“”„‟«»‹›″′「」『』"
_TRANSLATE = {ord(c): "-" for c in _DASHES} | {ord(c): None for c in _QUOTES}

# Slack mrkdwn: links keep their label, mentions and broadcasts vanish.
_SLACK_LABELLED = re.compile(r"<(?:https?://|mailto:)[^<>|]*\|([^<>]*)>")
_SLACK_LINK = re.compile(r"<((?:https?://|mailto:)[^<>|]*)>")
_SLACK_ENTITY = re.compile(r"<[@#!][^<>]*>")
# Emphasis markers only where they wrap words, so codes like spf_failure stay whole.
_EMPHASIS = re.compile(r"(?<!\w)([*_~])(?=\S)([^*_~\n]*?\S)\1(?!\w)")
_DOUBLED_MARKER = re.compile(r"([*_~])\1+")
_SPACES = re.compile(r"\s+")


def _clean_char(char: str) -> str:
    category = unicodedata.category(char)
    if category in ("Zs", "Zl", "Zp") or char in "\t\n\r\v\f":
        return " "
    if category in ("Cc", "Cf", "Cs", "Co", "Cn"):
        return ""
    return char


@lru_cache(maxsize=8192)
def normalize(text: str) -> str:
    """Text as the matcher compares it: NFKC, casefolded, one dash, no quotes, no markup, single spaces."""
    text = text[:MAX_INPUT_CHARS]
    if "<" in text:
        text = _SLACK_LABELLED.sub(r"\1", text)
        text = _SLACK_LINK.sub(r"\1", text)
        text = _SLACK_ENTITY.sub(" ", text)
    text = unicodedata.normalize("NFKC", text)
    # Only separators and control/format characters are cleaned, and a printable text has none of them
    # (str.isprintable counts every Z* and C* character but the plain space as unprintable).
    text = "".join(_clean_char(c) for c in text) if not text.isprintable() else text
    text = text.translate(_TRANSLATE)
    # Markdown habits (**bold**, __x__) pasted into Slack count as single markers.
    if any(marker in text for marker in "*_~"):
        text = _DOUBLED_MARKER.sub(r"\1", text)
        text = _EMPHASIS.sub(r"\2", text)
        text = _EMPHASIS.sub(r"\2", text)  # nested emphasis such as *_text_*
    text = text.casefold()
    return _SPACES.sub(" ", text).strip()


@lru_cache(maxsize=16384)
def ascii_fold(key: str) -> str:
    """Without diacritics: people without a Swedish keyboard type "i ko" for "i kö"."""
    if key.isascii():
        return key
    # The Swedish letters directly; anything else by decomposing it.
    key = key.translate(_SWEDISH)
    if key.isascii():
        return key
    decomposed = unicodedata.normalize("NFKD", key)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_SWEDISH = str.maketrans("åäöÅÄÖéÉüÜ", "aaoAAOeEuU")


_NON_WORD = re.compile(r"[^\w@]+|_+")


def fold_key(text: str) -> str:
    """A normalised text reduced to words: every run of punctuation, dashes or underscores is one space.

    "Ej levererad – SPF-fel", "ej levererad: spf fel" and "spf_fel" share their words this way.
    """
    return fold_normalized(normalize(text))


@lru_cache(maxsize=16384)
def fold_normalized(text: str) -> str:
    """fold_key for a text normalize() has already seen."""
    # Every non-word run (whitespace too) becomes one space, so splitting squeezes what is left.
    return " ".join(_NON_WORD.sub(" ", text).split())


# What sends a text down normalize()'s Slack and emphasis passes.
_MARKUP = re.compile(r"[<*_~]")
# _NON_WORD for plain texts, a line each: the spaces between words are left for str.split to squeeze, and
# dashes are no word characters, so of normalize()'s translation only dropping quotes is left to do.
_NON_WORD_LINES = re.compile(r"[^\w@\s]+")
_QUOTE_CHARS = re.compile("[" + re.escape(_QUOTES) + "]+")


def fold_keys(texts: Sequence[str]) -> list[str]:
    """fold_key of each text, the plain ones in one pass of each step.

    The knowledge base's thousands of texts are plain: short, printable, already in NFKC, no markup. For
    them normalize() only translates dashes and quotes, casefolds and squeezes spaces, which one string of
    all of them, a text a line, takes at once; any other text goes through fold_key() on its own.
    """
    result = [""] * len(texts)
    plain: list[int] = []
    for i, text in enumerate(texts):
        if (
            len(text) <= MAX_INPUT_CHARS
            and text.isprintable()
            and unicodedata.is_normalized("NFKC", text)
            and _MARKUP.search(text) is None
        ):
            plain.append(i)
        else:
            result[i] = fold_key(text)
    if plain:
        lines = _NON_WORD_LINES.sub(" ", _QUOTE_CHARS.sub("", "\n".join(texts[i] for i in plain)).casefold())
        for i, line in zip(plain, lines.split("\n"), strict=True):
            result[i] = " ".join(line.split())
    return result
