"""Concept phrases: several words that say one concept ("stop getting our emails") read as its first word."""

from __future__ import annotations

from dataclasses import dataclass

from bot.knowledge.model import Concept
from bot.matching.normalize import ascii_fold, fold_key
from bot.matching.stemming import stem_en, stem_sv
from bot.matching.terms import NEGATIONS

# Words allowed between two words of a phrase: "doesn't want any more mail" holds "not want mail".
_GAP = 2
# A negation in a phrase stands for any negation: "not want" is met by "doesn't want" and "no longer want".
# Besides the negations the keyword lookup drops on, a few the phrases need.
_ANY_NEGATION = NEGATIONS | frozenset({"ingen", "inga", "inget", "didnt", "wouldnt", "shouldnt", "cannot"})
_NEGATION = "\x00not"


@dataclass(frozen=True)
class _Phrase:
    # Each word as a stem of the phrase's language, or _NEGATION for any negation.
    stems: tuple[str, ...]
    language: str
    # What a question holding the phrase reads as instead: the concept's first word in that language.
    word: str


def _stem(word: str, language: str) -> str:
    return stem_sv(word) if language == "sv" else stem_en(word)


class ConceptPhrases:
    """Finds the concepts' phrases in a folded question and puts the concept's word in their place."""

    def __init__(self, concepts: tuple[Concept, ...]) -> None:
        self._starts: dict[tuple[str, str], list[_Phrase]] = {}
        for concept in concepts:
            for language in ("sv", "en"):
                words = concept.words.get(language)
                for listed in concept.phrases.get(language):
                    stems = tuple(
                        _NEGATION if word in _ANY_NEGATION else _stem(word, language)
                        for word in fold_key(listed).split()
                    )
                    phrase = _Phrase(stems, language, fold_key(words[0]))
                    self._starts.setdefault((language, stems[0]), []).append(phrase)
        # Phrases are sorted longest first, so that a longer reading wins where two begin at one word.
        for phrases in self._starts.values():
            phrases.sort(key=lambda phrase: -len(phrase.stems))

    def __bool__(self) -> bool:
        return bool(self._starts)

    def rewrite(self, key: str) -> str:
        """The folded text with each phrase found replaced by its concept's word (unchanged when none is)."""
        if not self._starts:
            return key
        tokens = key.split()
        result: list[str] = []
        i = 0
        changed = False
        while i < len(tokens):
            found = self._phrase_at(tokens, i)
            if found is None:
                result.append(tokens[i])
                i += 1
                continue
            phrase, positions = found
            # Words between the phrase's words stay ("any", "more"): the keyword lookup drops them if empty.
            result.append(phrase.word)
            result.extend(tokens[j] for j in range(positions[0] + 1, positions[-1]) if j not in positions)
            i = positions[-1] + 1
            changed = True
        return " ".join(result) if changed else key

    def _phrase_at(self, tokens: list[str], start: int) -> tuple[_Phrase, tuple[int, ...]] | None:
        for phrase in self._candidates(tokens[start]):
            positions = _extend(phrase, tokens, start)
            if positions:
                return phrase, positions
        return None

    def _candidates(self, token: str) -> list[_Phrase]:
        if token in _ANY_NEGATION:
            return self._starts.get(("sv", _NEGATION), []) + self._starts.get(("en", _NEGATION), [])
        return self._starts.get(("sv", stem_sv(token)), []) + self._starts.get(("en", stem_en(token)), [])


def _extend(phrase: _Phrase, tokens: list[str], start: int) -> tuple[int, ...]:
    """The positions of the phrase's words from `start` on, or () when it does not go on there."""
    positions = [start]
    at = start
    for wanted in phrase.stems[1:]:
        for j in range(at + 1, min(at + 2 + _GAP, len(tokens))):
            if _same(tokens[j], wanted, phrase.language):
                positions.append(j)
                at = j
                break
        else:
            return ()
    return tuple(positions)


def _same(token: str, wanted: str, language: str) -> bool:
    if wanted == _NEGATION:
        return token in _ANY_NEGATION
    return _stem(token, language) == wanted or _stem(ascii_fold(token), language) == wanted
