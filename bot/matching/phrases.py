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
_ANY_NEGATION = NEGATIONS | frozenset(
    {"ingen", "inga", "inget", "ingenting", "none", "nothing", "didnt", "wouldnt", "shouldnt", "cannot"}
)
# Words of a phrase this short are matched as written, not by stem: too short to say which word they are.
_AS_WRITTEN = 3


@dataclass(frozen=True)
class _Word:
    # The stem in the phrase's language, or the word as written when it is short; "" for any negation.
    form: str
    exact: bool

    def meets(self, token: str, language: str) -> bool:
        if not self.form:
            return token in _ANY_NEGATION
        if self.exact:
            return token == self.form or ascii_fold(token) == self.form
        return _stem(token, language) == self.form or _stem(ascii_fold(token), language) == self.form


@dataclass(frozen=True)
class _Phrase:
    words: tuple[_Word, ...]
    language: str
    # What a question holding the phrase reads as instead: the concept's first word in that language.
    word: str


def _stem(word: str, language: str) -> str:
    return stem_sv(word) if language == "sv" else stem_en(word)


def _phrase_word(word: str, language: str) -> _Word:
    if word in _ANY_NEGATION:
        return _Word("", False)
    if len(word) <= _AS_WRITTEN:
        return _Word(word, True)
    return _Word(_stem(word, language), False)


# Words whose phrase beginnings are remembered.
_REMEMBERED = 8192


class ConceptPhrases:
    """Finds the concepts' phrases in a folded question and puts the concept's word in their place."""

    def __init__(self, concepts: tuple[Concept, ...]) -> None:
        # Phrases by the form of their first word ("" for a negation).
        self._starts: dict[str, list[_Phrase]] = {}
        for concept in concepts:
            for language in ("sv", "en"):
                word = fold_key(concept.words.get(language)[0])
                for listed in concept.phrases.get(language):
                    words = tuple(_phrase_word(w, language) for w in fold_key(listed).split())
                    self._starts.setdefault(words[0].form, []).append(_Phrase(words, language, word))
        # Longest first, so that a longer reading wins where two begin at one word.
        for phrases in self._starts.values():
            phrases.sort(key=lambda phrase: -len(phrase.words))

        # The phrases each word may begin, worked out once per word: most words are met again and again.
        self._beginning: dict[str, list[_Phrase]] = {}

    def __bool__(self) -> bool:
        return bool(self._starts)

    def _candidates(self, token: str) -> list[_Phrase]:
        if token in _ANY_NEGATION:
            return self._starts.get("", [])
        forms = {token, ascii_fold(token), stem_sv(token), stem_en(token)}
        candidates = [phrase for form in sorted(forms) for phrase in self._starts.get(form, ())]
        return sorted(candidates, key=lambda phrase: -len(phrase.words))

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
            # Words between the phrase's words stay ("kickstart" in "no kickstart invites left").
            result.append(phrase.word)
            result.extend(tokens[j] for j in range(positions[0] + 1, positions[-1]) if j not in positions)
            i = positions[-1] + 1
            changed = True
        return " ".join(result) if changed else key

    def _phrase_at(self, tokens: list[str], start: int) -> tuple[_Phrase, tuple[int, ...]] | None:
        token = tokens[start]
        candidates = self._beginning.get(token)
        if candidates is None:
            candidates = self._candidates(token)
            if len(self._beginning) >= _REMEMBERED:
                self._beginning.clear()
            self._beginning[token] = candidates
        for phrase in candidates:
            if not phrase.words[0].meets(token, phrase.language):
                continue
            positions = _extend(phrase, tokens, start)
            if positions:
                return phrase, positions
        return None


def _extend(phrase: _Phrase, tokens: list[str], start: int) -> tuple[int, ...]:
    """The positions of the phrase's words from `start` on, or () when it does not go on there.

    A negation between the words of a phrase that has none turns it around: "still have none left" is no
    "still have ... left".
    """
    positions = [start]
    at = start
    plain = all(word.form for word in phrase.words)
    for wanted in phrase.words[1:]:
        for j in range(at + 1, min(at + 2 + _GAP, len(tokens))):
            if wanted.meets(tokens[j], phrase.language):
                positions.append(j)
                at = j
                break
            if plain and tokens[j] in _ANY_NEGATION:
                return ()
        else:
            return ()
    return tuple(positions)
