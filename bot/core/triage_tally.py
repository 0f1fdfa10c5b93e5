"""The counts of one export, kept while its rows stream past: by status, unknown labels, period and weeks."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from bot.core.access import mask_email
from bot.core.masking import EMAIL
from bot.knowledge.model import Category, KnowledgeBase
from bot.triage.reader import ExportRow

# Distinct unknown labels counted one by one; a file of endless made-up labels counts the rest together.
MAX_UNKNOWN_LABELS = 1_000


def masked_text(text: str) -> str:
    """Every email address inside a text masked (a***@example.se), as the answers' own masking does."""
    return EMAIL.sub(lambda found: mask_email(found.group(0)), text)


@dataclass
class Tally:
    """Counts of one export, kept while its rows stream past."""

    kb: KnowledgeBase
    rows: int = 0
    by_status: Counter[str] = field(default_factory=Counter)
    unknown: Counter[str] = field(default_factory=Counter)
    unknown_other: int = 0
    first: date | None = None
    last: date | None = None
    # Monday of each week -> [invitations, not delivered]
    weeks: dict[date, list[int]] = field(default_factory=dict)
    names: bool = False

    def __post_init__(self) -> None:
        self._failure = {entry.id for entry in self.kb if entry.category is Category.NOT_DELIVERED}
        self._monday: dict[date, date] = {}

    def is_failure(self, status: str | None) -> bool:
        return status in self._failure

    def add(self, row: ExportRow) -> None:
        self.rows += 1
        status = row.status
        if status is not None:
            self.by_status[status] += 1
        elif row.label in self.unknown or len(self.unknown) < MAX_UNKNOWN_LABELS:
            self.unknown[row.label] += 1
        else:
            self.unknown_other += 1
        day = row.created or row.sent
        if day is not None:
            if self.first is None or day < self.first:
                self.first = day
            if self.last is None or day > self.last:
                self.last = day
            monday = self._monday.get(day)
            if monday is None:
                monday = self._monday[day] = day - timedelta(days=day.weekday())
            week = self.weeks.get(monday)
            if week is None:
                week = self.weeks[monday] = [0, 0]
            week[0] += 1
            if status in self._failure:
                week[1] += 1

    @property
    def unrecognised(self) -> int:
        return sum(self.unknown.values()) + self.unknown_other

    @property
    def failures(self) -> list[tuple[str, int]]:
        """Failure statuses and their counts, largest first."""
        found = [(code, count) for code, count in self.by_status.items() if code in self._failure]
        return sorted(found, key=lambda item: (-item[1], item[0]))

    @property
    def failed(self) -> int:
        return sum(count for _code, count in self.failures)

    def count_in(self, category: Category) -> int:
        return sum(count for code, count in self.by_status.items()
                   if (entry := self.kb.get(code)) is not None and entry.category is category)


@dataclass(frozen=True)
class FileFacts:
    """What the reply says about the file itself."""

    name: str
    encoding: str
    delimiter: str
    columns: dict[str, int]
