"""A message as clauses, each marked for whether it speaks of now or of something over (knowledge/contrast.yaml).

"Vi fixade SPF-felet, nu står det ogiltig avsändaradress": the first clause is over, the second is now, and the
answer is about the second. "It's not unsubscribed but blocked": the first clause denies the status it names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.knowledge.model import ContrastCues, LocalizedList
from bot.matching.normalize import ascii_fold, fold_key
from bot.matching.reading import sentences

# Clauses end at commas and semicolons as well as where sentences do.
_PUNCTUATION = re.compile(r"\s*[,;]\s*")


@dataclass(frozen=True)
class Clause:
    text: str
    # Speaks of a situation that is over or denied ("fixed", "no longer").
    over: bool = False
    # Speaks of an earlier time ("previously"), which counts only beside a clause about now.
    before: bool = False
    # Speaks of the present ("now", "instead").
    now: bool = False
    # Holds a negation ("not", "inte"): it denies what it names, when what it names is a status.
    negated: bool = False


def _phrases(lists: LocalizedList) -> tuple[tuple[str, ...], ...]:
    found = {tuple(ascii_fold(fold_key(item)).split()) for language in ("sv", "en") for item in lists.get(language)}
    return tuple(sorted(found))


class ClauseReader:
    def __init__(self, cues: ContrastCues | None, negations: frozenset[str] = frozenset()) -> None:
        self._over = _phrases(cues.over) if cues else ()
        self._before = _phrases(cues.before) if cues else ()
        self._now = _phrases(cues.now) if cues else ()
        self._negations = frozenset(ascii_fold(word) for word in negations)
        words = sorted({ascii_fold(w) for lang in ("sv", "en") for w in cues.splits.get(lang)} if cues else set())
        words += sorted({w for lang in ("sv", "en") for w in cues.splits.get(lang)} - set(words)) if cues else []
        # A split word starts a clause where it does not start the sentence already, and where a clause follows
        # ("is sorted now" ends with one).
        self._split = (
            re.compile(r"(?<=\w)\s+(?=(?:" + "|".join(map(re.escape, words)) + r")\b\W*\w+\W+\w)", re.IGNORECASE)
            if words
            else None
        )

    def __bool__(self) -> bool:
        return bool(self._over or self._now)

    def is_negation(self, word: str) -> bool:
        return ascii_fold(word) in self._negations

    def clauses(self, text: str) -> list[Clause]:
        """The clauses of a stripped message, in order, each marked."""
        found: list[Clause] = []
        for sentence in sentences(text):
            for part in _PUNCTUATION.split(sentence):
                pieces = self._split.split(part) if self._split is not None else [part]
                found.extend(self._clause(piece) for piece in pieces if piece.strip())
        return found

    def _clause(self, text: str) -> Clause:
        tokens = ascii_fold(fold_key(text)).split()
        return Clause(
            text=text.strip(),
            over=_holds(tokens, self._over),
            before=_holds(tokens, self._before),
            now=_holds(tokens, self._now),
            negated=not self._negations.isdisjoint(tokens),
        )


def _holds(tokens: list[str], phrases: tuple[tuple[str, ...], ...]) -> bool:
    if not phrases or not tokens:
        return False
    for start in range(len(tokens)):
        for phrase in phrases:
            if tokens[start] == phrase[0] and tuple(tokens[start : start + len(phrase)]) == phrase:
                return True
    return False


def past_clauses(clauses: list[Clause]) -> set[int]:
    """The clauses that speak of a situation that is over: an "over" word ("it's fixed now" too), or "before"
    beside a clause about now."""
    now_said = any(clause.now for clause in clauses)
    return {
        i for i, clause in enumerate(clauses) if clause.over or (clause.before and not clause.now and now_said)
    }
