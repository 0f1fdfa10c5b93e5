"""Look-alike statuses told apart by the facts the status article gives for each (knowledge/lookalikes.yaml).

Keyword scores cannot tell "a reference number used before for the same customer" from "… for another person":
both statuses hold every word of it but one. When the best candidate has a look-alike close behind it, the
facts each states or denies decide between them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import replace

from bot.knowledge.lookalikes import LookAlikeGroup
from bot.knowledge.model import LocalizedList
from bot.matching.keywords import Candidate
from bot.matching.normalize import ascii_fold, fold_key

# A look-alike counts when its keyword score is at least this share of the best one's.
RIVAL = 0.4
# The status the facts pick is placed this far ahead of the best keyword score, and its look-alikes at most at
# this share of it: the facts settle the question, so the judgement that follows may be sure.
_AHEAD = 1.1
_BEHIND = 0.75
# Words of four letters or more match the words they begin ("delet" - "deleted").
_PREFIX = 4
# Words that may stand between two words of a mark, and between a negation and the mark it denies.
_GAP = 2
_BETWEEN_NEGATION = frozenset(
    {
        "t", "s", "the", "a", "an", "any", "this", "that", "these", "it", "its", "been", "be", "is", "was", "are",
        "were", "has", "have", "had", "den", "det", "en", "ett", "de", "nagon", "nagot", "nagra", "har", "hade",
        "ha", "ju", "alls", "even", "ens", "really", "actually", "egentligen", "verkligen",
    }
)  # fmt: skip
_CLEFT = frozenset({"som", "that", "which"})
# Clauses end at punctuation: a negation does not reach across it.
_CLAUSE_END = re.compile(r"[.,;:!?\n()]|\s[-–—]+\s")

_Mark = tuple[str, ...]
# A question states no fact: "are they used up or has the time run out?", "will it retry later?". One that
# begins with a question word or a verb; "the address is right, so why X?" still tells its first part.
_QUESTION = re.compile(
    r"(?:^|(?<=[.!?\n]))\s*(?:[^.!?\n]*\b(?:or|eller)\b[^.!?\n]*|"
    r"(?:will|would|does|do|did|is|are|can|could|should|has|have|why|what|how|when|which|"
    r"är|kan|ska|blir|kommer|har|hur|varför|vad|när|vilken|vilket|går)\b[^.!?\n]*)\?",
    re.IGNORECASE,
)


def _told(text: str) -> str:
    """The text without its questions."""
    return _QUESTION.sub(" . ", text)


def _marks(lists: LocalizedList) -> tuple[_Mark, ...]:
    found = {tuple(ascii_fold(fold_key(item)).split()) for language in ("sv", "en") for item in lists.get(language)}
    return tuple(sorted((mark for mark in found if mark), key=lambda mark: (-len(mark), mark)))


def _same(token: str, word: str) -> bool:
    return token == word or (len(word) >= _PREFIX and token.startswith(word))


class LookAlikes:
    """Decides between look-alike candidates by the facts a text states or denies."""

    def __init__(
        self,
        groups: Iterable[LookAlikeGroup],
        negations: Iterable[str],
        fine: Iterable[str] = (),
        eventful: Callable[[str], bool] = lambda text: False,
    ) -> None:
        self._group_of: dict[str, dict[str, tuple[tuple[_Mark, ...], tuple[_Mark, ...]]]] = {}
        for group in groups:
            facts = {member.status: (_marks(member.marks), _marks(member.against)) for member in group.statuses}
            for status in facts:
                self._group_of[status] = facts
        self._negations = frozenset(ascii_fold(word) for word in negations)
        # Single words that say something works or is allowed ("fine", "tillåten").
        self._fine = frozenset(ascii_fold(word) for word in fine if " " not in word)
        # Whether a clause tells that an invitation was stopped, sent or arrived: "stopped working", "the max
        # allowed were sent and the rest got cancelled" say nothing is fine.
        self._eventful = eventful

    def __bool__(self) -> bool:
        return bool(self._group_of)

    def alike(self, status: str, other: str) -> bool:
        """Whether two statuses are look-alikes (in one group)."""
        group = self._group_of.get(status)
        return group is not None and other in group

    def settle(self, text: str, candidates: list[Candidate]) -> list[Candidate]:
        """The candidates, reordered when the best has look-alikes close behind and the facts pick one of them."""
        if not candidates or candidates[0].status not in self._group_of:
            return candidates
        best = candidates[0]
        facts = self._group_of[best.status]
        close = [c for c in candidates if c.status in facts and c.score >= RIVAL * best.score]
        if len(close) < 2:
            return candidates
        parts = _CLAUSE_END.split(_told(text))
        clauses = [ascii_fold(fold_key(part)).split() for part in parts]
        fine = {
            number
            for number, (part, tokens) in enumerate(zip(parts, clauses, strict=True))
            if not self._fine.isdisjoint(tokens) and self._negations.isdisjoint(tokens) and not self._eventful(part)
        }
        # Every word and beginning of a word in the text, once: a mark with a word outside it is not there.
        written = {token[:size] for tokens in clauses for token in tokens for size in range(_PREFIX, len(token))}
        written.update(token for tokens in clauses for token in tokens)
        tally = {c.status: self._tally(clauses, fine, written, *facts[c.status]) for c in close}
        top = max(tally.values())
        winners = [status for status, value in tally.items() if value == top]
        if len(winners) != 1 or (top <= 0 and not (tally[best.status] < 0 and top == 0)):
            return candidates
        winner = winners[0]
        lead = best.score * _AHEAD if winner != best.status else best.score
        settled = [
            replace(c, score=lead)
            if c.status == winner
            else replace(c, score=min(c.score, _BEHIND * lead))
            if c.status in tally
            else c
            for c in candidates
        ]
        return sorted(settled, key=lambda c: (-c.score, c.status))

    def _tally(
        self,
        clauses: list[list[str]],
        fine: set[int],
        written: set[str],
        marks: tuple[_Mark, ...],
        against: tuple[_Mark, ...],
    ) -> int:
        """Facts stated for a status, less those denied and those stated against it."""
        marks = tuple(mark for mark in marks if written.issuperset(mark))
        against = tuple(mark for mark in against if written.issuperset(mark))
        if not marks and not against:
            return 0
        # Each place counts once, by the first (longest-listed) mark found there: "paketet" is one fact, not two.
        said: dict[tuple[int, int], int] = {}
        for number, tokens in enumerate(clauses):
            # "Our sender address is allowed on our plan": what a clause says is fine is not the problem.
            for sign, listed in ((1, marks), (-1, against)):
                for mark in listed:
                    for start, denied in self._found(tokens, mark):
                        said.setdefault((number, start), -sign if denied or number in fine else sign)
        return sum(said.values())

    def _found(self, tokens: list[str], mark: _Mark) -> list[tuple[int, bool]]:
        """Each place the mark is found in a clause's tokens, with whether a negation denies it there."""
        found: list[tuple[int, bool]] = []
        start = 0
        while start < len(tokens):
            end = self._match_at(tokens, start, mark)
            if end is None:
                start += 1
                continue
            found.append((start, self._denied(tokens, start)))
            start = end
        return found

    @staticmethod
    def _match_at(tokens: list[str], start: int, mark: _Mark) -> int | None:
        """Where a mark found at `start` ends, or None when it is not found there."""
        if not _same(tokens[start], mark[0]):
            return None
        at = start + 1
        for word in mark[1:]:
            for skip in range(_GAP + 1):
                if at + skip < len(tokens) and _same(tokens[at + skip], word):
                    at += skip + 1
                    break
            else:
                return None
        return at

    def _denied(self, tokens: list[str], start: int) -> bool:
        """Whether a negation just before a mark denies it ("didn't delete", "inte raderat")."""
        before = start - 1
        while before >= 0 and tokens[before] in _BETWEEN_NEGATION and start - before <= _GAP + 1:
            before -= 1
        if before >= 0 and tokens[before] in self._negations:
            return True
        # A cleft sentence: "det är inte tiden *som* gått ut", "it's not the template *that* was deleted".
        if before >= 1 and tokens[before] in _CLEFT:
            return any(token in self._negations for token in tokens[max(0, before - 3) : before])
        return False
