"""Light stemmers, so inflected forms meet: Snowball's Swedish algorithm and a small English one."""

from __future__ import annotations

from functools import lru_cache

_SV_VOWELS = frozenset("aeiouyäåö")
# Snowball Swedish step 1, longest first so the first hit is the longest suffix.
_SV_SUFFIX_LIST = (
    "a arna erna heterna orna ad e ade ande arne are aste en anden aren heten ern ar er heter or "
    "as arnas ernas ornas es ades andes ens arens hetens erns at andet het ast et"
)
_SV_SUFFIXES = tuple(sorted(_SV_SUFFIX_LIST.split(), key=len, reverse=True))
_SV_S_ENDING = frozenset("bcdfghjklmnoprtvy")
# "-ats" and "-its": the passive supine, a suffix Snowball lacks.
_SV_PASSIVE_SUPINE = ("ats", "its")
_SV_DOUBLES = ("dd", "gd", "nn", "dt", "gt", "kt", "tt")


def _sv_r1(word: str) -> int:
    for i in range(1, len(word)):
        if word[i] not in _SV_VOWELS and word[i - 1] in _SV_VOWELS:
            return max(i + 1, 3)
    return len(word)


@lru_cache(maxsize=8192)
def stem_sv(word: str) -> str:
    """Snowball Swedish: "inbjudningarna" -> "inbjudning", "påminnelsen" -> "påminn"."""
    if len(word) < 4 or not word.isalpha():
        return word
    r1 = _sv_r1(word)
    for suffix in _SV_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= r1:
            word = word[: -len(suffix)]
            break
    else:
        # The passive supine ("raderats", "bjudits") meets its verb; Snowball would only drop the s.
        if word.endswith(_SV_PASSIVE_SUPINE) and len(word) - 3 >= r1:
            word = word[:-3]
        elif word.endswith("s") and len(word) - 1 >= r1 and len(word) > 1 and word[-2] in _SV_S_ENDING:
            word = word[:-1]
    if word.endswith(_SV_DOUBLES) and len(word) - 2 >= r1:
        word = word[:-1]
    for suffix in ("lig", "els", "ig"):
        if word.endswith(suffix) and len(word) - len(suffix) >= r1:
            return word[: -len(suffix)]
    if word.endswith("löst"):
        return word[:-1]
    if word.endswith("fullt"):
        return word[:-1]
    return word


_EN_VOWELS = frozenset("aeiouy")


def _has_vowel(stem: str) -> bool:
    return not _EN_VOWELS.isdisjoint(stem)


@lru_cache(maxsize=8192)
def stem_en(word: str) -> str:
    """A light English stemmer: plurals, -ed, -ing, -ly, -ation, a final e ("bounced" = "bounce")."""
    if len(word) < 4 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("sses"):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    # "rejection" = "reject", "deletion" = "delete": a verb's noun in -tion, when the verb is left whole.
    if word.endswith("tion") and not word.endswith("ation") and len(word) >= 8:
        return word[:-3]
    for suffix in ("ations", "ation", "ingly", "edly", "ing", "ed", "ly"):
        shortest = 4 if suffix == "ly" else 3  # "reply" is no adverb
        if word.endswith(suffix) and len(word) - len(suffix) >= shortest and _has_vowel(word[: -len(suffix)]):
            word = word[: -len(suffix)]
            if suffix in ("ing", "ed") and len(word) > 3 and word[-1] == word[-2] and word[-1] not in "sz":
                word = word[:-1]
            break
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    # "replied", "replies" and "reply" all end up as "repl".
    if word.endswith(("i", "y")) and len(word) > 4:
        word = word[:-1]
    return word
