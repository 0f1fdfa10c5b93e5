"""Status labels as exports write them, to status ids: exact labels from a dictionary, the rest by the matcher.

An export holds a few dozen distinct labels over thousands of rows, so each distinct text is resolved once and
remembered for the rest of the file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from bot.knowledge.model import KnowledgeBase
from bot.matching.normalize import ascii_fold, fold_key

# Distinct texts one export may send to the matcher; beyond them (a hostile file of a million made-up
# statuses) only the dictionary answers, and the rest count as not recognised.
MAX_MATCHED = 300
# Distinct texts remembered for one export.
MAX_REMEMBERED = 20_000

# The matcher's verdict on a label that is not spelled exactly: taken only at this score or above, which the
# matcher gives a label with a few typos or quoted inside a longer text. Lower scores come from reading the text as
# a question (keywords), and a status column's unknown label is a status the knowledge base lacks far more often
# than a description of one it has ("Not delivered - Soft bounce" is not "scheduled for later").
LABEL_CONFIDENCE = 85.0


class Verdict(Protocol):
    @property
    def status(self) -> str | None: ...

    @property
    def score(self) -> float: ...


MatchStatus = Callable[[str], Verdict]


@dataclass(frozen=True)
class Resolved:
    status: str | None
    # "sv" or "en" when the text was one of that language's labels.
    language: str | None = None


_UNKNOWN = Resolved(None)


class StatusBook:
    """The knowledge base's labels in both languages, and codes, by their folded form; shared by every export."""

    def __init__(self, kb: KnowledgeBase, match: MatchStatus | None = None) -> None:
        self._match = match
        self.labels: dict[str, Resolved] = {}
        for entry in kb:
            for key in {fold_key(entry.id), ascii_fold(fold_key(entry.id))}:
                self.labels.setdefault(key, Resolved(entry.id))
            for language in ("sv", "en"):
                folded = fold_key(entry.label.get(language))
                for key in (folded, ascii_fold(folded)):
                    self.labels.setdefault(key, Resolved(entry.id, language))

    def exact(self, text: str) -> Resolved:
        """A label or code in either language, any case, dash or accent; no guessing."""
        key = fold_key(text)
        return self.labels.get(key) or self.labels.get(ascii_fold(key)) or _UNKNOWN

    def reader(self) -> LabelReader:
        """A resolver with its own memory, for one export."""
        return LabelReader(self, self._match)


class LabelReader:
    def __init__(self, book: StatusBook, match: MatchStatus | None) -> None:
        self._book = book
        self._match = match
        self._seen: dict[str, Resolved] = {}
        self._matched = 0

    def resolve(self, text: str) -> Resolved:
        found = self._seen.get(text)
        if found is not None:
            return found
        found = self._book.exact(text)
        if found.status is None and self._match is not None and self._matched < MAX_MATCHED and text.strip():
            self._matched += 1
            verdict = self._match(text)
            found = Resolved(verdict.status) if verdict.status and verdict.score >= LABEL_CONFIDENCE else _UNKNOWN
        if len(self._seen) < MAX_REMEMBERED:
            self._seen[text] = found
        return found
