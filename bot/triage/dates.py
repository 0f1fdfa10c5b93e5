"""Dates as exports and Excel write them: 2026-10-01T08:15:00Z, 2026-10-01 08:15, 01.10.2026, 1/10/2026,
1 okt. 2026, Oct 1, 2026. Only the day matters (for the period and the weekly trend)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
_NUMERIC = re.compile(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4}|\d{2})(?!\d)")
_WORDY = re.compile(r"(\d{1,2})\.?\s+([^\W\d_]+)\.?,?\s+(\d{4})")
_WORDY_MONTH_FIRST = re.compile(r"([^\W\d_]+)\.?\s+(\d{1,2}),?\s+(\d{4})")
_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "maj": 5, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "okt": 10, "oct": 10, "nov": 11, "dec": 12,
}
# Distinct date texts remembered per column (a date with a time of day is cut to its date part first).
_REMEMBERED = 5_000
_EARLIEST, _LATEST = 2000, 2100


def _month(word: str) -> int | None:
    return _MONTHS.get(word[:3].casefold())


def _day(year: int, month: int, day: int) -> date | None:
    if year < 100:
        year += 2000
    if not _EARLIEST <= year <= _LATEST:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_date(text: str, day_first: bool = True) -> date | None:
    text = text.strip()
    if not text:
        return None
    if found := _ISO.match(text):
        return _day(int(found[1]), int(found[2]), int(found[3]))
    if found := _NUMERIC.match(text):
        first, second, year = int(found[1]), int(found[2]), int(found[3])
        day, month = (first, second) if day_first else (second, first)
        return _day(year, month, day)
    if (found := _WORDY.match(text)) and (named := _month(found[2])):
        return _day(int(found[3]), named, int(found[1]))
    if (found := _WORDY_MONTH_FIRST.match(text)) and (named := _month(found[1])):
        return _day(int(found[3]), named, int(found[2]))
    return None


def day_first_of(samples: Iterable[str]) -> bool:
    """Whether numeric dates of a column put the day first (01/10/2026 for 1 October): the European habit,
    unless a value such as 10/25/2026 shows the month first."""
    for text in samples:
        if found := _NUMERIC.match(text.strip()):
            first, second = int(found[1]), int(found[2])
            if first > 12 >= second:
                return True
            if second > 12 >= first:
                return False
    return True


class DateColumn:
    """Parses one column's values, each distinct date text once."""

    def __init__(self, day_first: bool = True) -> None:
        self.day_first = day_first
        self._seen: dict[str, date | None] = {}

    def __call__(self, text: str) -> date | None:
        # Most exports write the date first in ten characters (2026-10-01 08:15, 01.10.2026 08:15): looked up
        # as such before any other work.
        try:
            return self._seen[text[:10]]
        except KeyError:
            pass
        # The time of day is dropped before the lookup, so a day's thousand timestamps share one entry.
        text = text.strip()
        first = text.split(" ", 1)[0]
        key = first.split("T", 1)[0] if len(first) >= 6 and first[0].isdigit() and not first.isdigit() else text
        if key in self._seen:
            return self._seen[key]
        found = parse_date(key, self.day_first)
        if len(self._seen) < _REMEMBERED:
            self._seen[key] = found
        return found
