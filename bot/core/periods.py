"""Time periods named in free text ("senaste 30 dagarna", "in October", "2026-10-01 to 2026-10-15"), as [start, end)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

# A summary never asks for more than ten years at once; larger numbers are typos or mischief.
MAX_DAYS = 3660
DEFAULT_DAYS = 30
# The days a period may cover: the API reads four-digit years, and the day after the last one (a period's
# exclusive end) must still be a date.
FIRST_DAY = date(1000, 1, 1)
LAST_DAY = date(9998, 12, 31)


class PeriodOutOfRange(ValueError):
    """A period that reaches before FIRST_DAY or after LAST_DAY."""


@dataclass(frozen=True)
class Period:
    """Creation-time range [start, end), both UTC, within FIRST_DAY and LAST_DAY (else PeriodOutOfRange)."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.start < midnight(FIRST_DAY) or self.end > midnight(LAST_DAY) + timedelta(days=1):
            raise PeriodOutOfRange(f"{self.start.date()} to {self.end.date()}")

    @property
    def length(self) -> timedelta:
        return self.end - self.start

    def previous(self) -> Period:
        """The period of the same length just before this one (PeriodOutOfRange before FIRST_DAY)."""
        try:
            return Period(self.start - self.length, self.start)
        except OverflowError as exc:
            raise PeriodOutOfRange(str(self.start.date())) from exc

    @property
    def last_day(self) -> date:
        """The last calendar day inside the period (end is exclusive)."""
        return (self.end - timedelta(microseconds=1)).date()


def midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def days_range(first: date, last_inclusive: date) -> Period:
    if last_inclusive < first:
        first, last_inclusive = last_inclusive, first
    return Period(midnight(first), midnight(last_inclusive + timedelta(days=1)))


def last_days(now: datetime, days: int) -> Period:
    """The last `days` calendar days, today included."""
    days = max(1, min(days, MAX_DAYS))
    today = now.astimezone(UTC).date()
    return days_range(today - timedelta(days=days - 1), today)


def default_period(now: datetime) -> Period:
    return last_days(now, DEFAULT_DAYS)


def _month_start(year: int, month: int) -> date:
    return date(year, month, 1)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_period(year: int, month: int) -> Period:
    start = _month_start(year, month)
    return Period(midnight(start), midnight(_add_months(start, 1)))


MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        ("januari", "january", "jan"),
        ("februari", "february", "feb"),
        ("mars", "march", "mar"),
        ("april", "apr"),
        ("maj", "may"),
        ("juni", "june", "jun"),
        ("juli", "july", "jul"),
        ("augusti", "august", "aug"),
        ("september", "sept", "sep"),
        ("oktober", "october", "okt", "oct"),
        ("november", "nov"),
        ("december", "dec"),
    ),
    start=1,
):
    for _name in _names:
        MONTHS[_name] = _number
# Words that are also ordinary words ("may", "mar") only count with a preposition, a day or a year.
_AMBIGUOUS_MONTHS = {"may", "mar", "jan", "jun", "jul", "aug", "sep", "dec", "nov", "okt", "oct", "feb", "apr"}

_MONTH = "(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_NUMBER_WORDS = {
    "en": 1, "ett": 1, "one": 1, "två": 2, "two": 2, "tre": 3, "three": 3, "fyra": 4, "four": 4,
    "fem": 5, "five": 5, "sex": 6, "six": 6, "sju": 7, "seven": 7, "åtta": 8, "eight": 8, "nio": 9, "nine": 9,
    "tio": 10, "ten": 10, "elva": 11, "eleven": 11, "tolv": 12, "twelve": 12, "fjorton": 14, "fourteen": 14,
    "trettio": 30, "thirty": 30, "nittio": 90, "ninety": 90,
}  # fmt: skip
_COUNT = r"(\d{1,4}|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + ")"

_ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?![\d])")
_DAY_RANGE_MONTH = re.compile(rf"\b(\d{{1,2}})\.?\s*-\s*(\d{{1,2}})\.?\s+{_MONTH}(?:\s+(\d{{4}}))?\b")
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th|:e|:a)?\.?\s+(?:of\s+)?{_MONTH}(?:,?\s+(\d{{4}}))?\b")
_MONTH_DAY = re.compile(rf"\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?!:)(?:,?\s+(\d{{4}}))?")
_MONTH_ALONE = re.compile(rf"(?:\b(i|in|under|during|för|for|of|från|from|hela)\s+)?\b{_MONTH}(?:\s+(\d{{4}}))?\b")
_SINCE = re.compile(r"\b(?:sedan|sen|since|från och med|fr\.o\.m\.?|from|från|efter|after)\s*$")
_UNTIL = re.compile(r"\b(?:till|tills|until|till och med|t\.o\.m\.?|to|before|före|innan)\s*$")

_LAST_N = re.compile(
    rf"\b(?:de\s+|the\s+)?(?:senaste|sista|past|last|previous|föregående)\s+{_COUNT}\s+"
    r"(dagar(?:na)?|dygn(?:en)?|days?|veckor(?:na)?|weeks?|månader(?:na)?|months?)\b"
)
# Weekdays, Swedish in the form "i måndags" (last Monday) takes.
_WEEKDAYS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        ("måndag", "måndags", "monday", "mon"),
        ("tisdag", "tisdags", "tuesday", "tue", "tues"),
        ("onsdag", "onsdags", "wednesday", "wed"),
        ("torsdag", "torsdags", "thursday", "thu", "thurs"),
        ("fredag", "fredags", "friday", "fri"),
        ("lördag", "lördags", "saturday", "sat"),
        ("söndag", "söndags", "sunday", "sun"),
    )
):
    for _name in _names:
        _WEEKDAYS[_name] = _number
_WEEKDAY = "(" + "|".join(sorted(_WEEKDAYS, key=len, reverse=True)) + r")\b"
# "sedan i tisdags", "sen i fredags", "since Tuesday", "since last Friday", "från och med måndag".
_SINCE_WEEKDAY = re.compile(
    r"\b(?:sedan|sen|since|från och med|fr\.o\.m\.?|från|from)\s+(?:i\s+|last\s+|förra\s+|on\s+)?" + _WEEKDAY
)
# "i måndags", "last Monday", "förra fredagen": that day.
_ON_WEEKDAY = re.compile(r"\b(?:i\s+|last\s+)" + _WEEKDAY)
_N_UNITS = re.compile(r"\b(\d{1,4})\s+(dagar(?:na)?|days?)\b")
_RELATIVE: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), name)
    for pattern, name in (
        (r"\b(?:förra|föregående)\s+veckan?\b|\bveckan\s+som\s+(?:gick|var)\b|\b(?:last|previous)\s+week\b",
         "previous_week"),
        (r"\b(?:senaste|sista)\s+veckan\b|\b(?:past|the last)\s+week\b", "past_week"),
        (r"\b(?:denna|den här|i)\s+veckan?\b|\bthis\s+week\b", "this_week"),
        (r"\b(?:förra|föregående)\s+månaden\b|\bmånaden\s+som\s+(?:gick|var)\b|\b(?:last|previous)\s+month\b",
         "previous_month"),
        (r"\b(?:senaste|sista)\s+månaden\b|\b(?:past|the last)\s+month\b", "past_month"),
        (r"\b(?:denna|den här)\s+månad(?:en)?\b|\bi\s+månaden\b|\bthis\s+month\b", "this_month"),
        (r"\b(?:förra|föregående)\s+året\b|\bi\s+fjol\b|\b(?:last|previous)\s+year\b", "previous_year"),
        (r"\b(?:senaste|sista)\s+året\b|\b(?:past|the last)\s+year\b", "past_year"),
        (r"\bi\s+år\b|\b(?:det här|detta)\s+året\b|\bthis\s+year\b", "this_year"),
        (r"\bi\s*går\b|\byesterday\b", "yesterday"),
        (r"\bi\s*dag\b|\btoday\b", "today"),
    )
)


def _count(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBER_WORDS[word]


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _recent_year(month: int, day: int, today: date) -> int:
    """A date without a year means its latest occurrence that is not in the future."""
    year = today.year
    if (month, day) > (today.month, today.day):
        year -= 1
    return year


def _dates(text: str, today: date) -> list[tuple[int, date]]:
    """Every explicit date in the text with its position, in reading order."""
    found: list[tuple[int, date]] = []
    taken: list[tuple[int, int]] = []

    def free(span: tuple[int, int]) -> bool:
        return all(span[1] <= a or span[0] >= b for a, b in taken)

    for match in _ISO_DATE.finditer(text):
        if (day := _safe_date(int(match[1]), int(match[2]), int(match[3]))) is not None:
            found.append((match.start(), day))
            taken.append(match.span())
    for match in _DAY_MONTH.finditer(text):
        if not free(match.span()):
            continue
        month, number = MONTHS[match[2]], int(match[1])
        year = int(match[3]) if match[3] else _recent_year(month, number, today)
        if (day := _safe_date(year, month, number)) is not None:
            found.append((match.start(), day))
            taken.append(match.span())
    for match in _MONTH_DAY.finditer(text):
        if not free(match.span()):
            continue
        month, number = MONTHS[match[1]], int(match[2])
        year = int(match[3]) if match[3] else _recent_year(month, number, today)
        if (day := _safe_date(year, month, number)) is not None:
            found.append((match.start(), day))
            taken.append(match.span())
    return sorted(found)


def parse_period(text: str, now: datetime) -> Period | None:
    """The period a (lower-cased) text names, or None when it names none.

    Raises PeriodOutOfRange for dates before FIRST_DAY or after LAST_DAY (a typo or a test of limits).
    """
    try:
        return _parse_period(text, now)
    except OverflowError as exc:
        raise PeriodOutOfRange(text[:40]) from exc


def _parse_period(text: str, now: datetime) -> Period | None:
    today = now.astimezone(UTC).date()

    if match := _DAY_RANGE_MONTH.search(text):
        month = MONTHS[match[3]]
        first, last = int(match[1]), int(match[2])
        year = int(match[4]) if match[4] else _recent_year(month, first, today)
        start, end = _safe_date(year, month, first), _safe_date(year, month, last)
        if start and end:
            return days_range(start, end)

    dates = _dates(text, today)
    if len(dates) >= 2:
        return days_range(dates[0][1], dates[1][1])
    if len(dates) == 1:
        position, day = dates[0]
        before = text[max(0, position - 20) : position]
        if _SINCE.search(before):
            return days_range(day, max(day, today))
        if _UNTIL.search(before):
            return Period(midnight(day) - timedelta(days=DEFAULT_DAYS), midnight(day))
        return days_range(day, day)

    if match := _LAST_N.search(text):
        count, unit = _count(match[1]), match[2]
        if unit.startswith(("vecko", "veckor", "week")):
            return last_days(now, count * 7)
        if unit.startswith(("månad", "month")):
            # A month counts as 30 days here: "the last 3 months" needs no calendar precision.
            return last_days(now, count * 30)
        return last_days(now, count)

    if match := _SINCE_WEEKDAY.search(text):
        return days_range(_last_weekday(today, _WEEKDAYS[match[1]]), today)

    for pattern, name in _RELATIVE:
        if pattern.search(text):
            return _relative(name, today, now)

    for match in _ON_WEEKDAY.finditer(text):
        # "i måndags" is last Monday; a bare "i måndag" would be the coming one, which no summary covers.
        if match[1].endswith("s") or match.group().startswith("last"):
            day = _last_weekday(today, _WEEKDAYS[match[1]])
            return days_range(day, day)

    for match in _MONTH_ALONE.finditer(text):
        name, preposition, year_text = match[2], match[1], match[3]
        if name in _AMBIGUOUS_MONTHS and not (preposition or year_text):
            continue
        month = MONTHS[name]
        year = int(year_text) if year_text else (today.year if month <= today.month else today.year - 1)
        return month_period(year, month)

    if match := _N_UNITS.search(text):
        return last_days(now, int(match[1]))
    return None


def _last_weekday(today: date, weekday: int) -> date:
    """The latest such weekday before today ("i måndags" on a Monday is a week ago)."""
    return today - timedelta(days=(today.weekday() - weekday) % 7 or 7)


def _relative(name: str, today: date, now: datetime) -> Period:
    monday = today - timedelta(days=today.weekday())
    match name:
        case "previous_week":
            return days_range(monday - timedelta(days=7), monday - timedelta(days=1))
        case "past_week":
            return last_days(now, 7)
        case "this_week":
            return days_range(monday, today)
        case "previous_month":
            start = _add_months(today.replace(day=1), -1)
            return month_period(start.year, start.month)
        case "past_month":
            return last_days(now, 30)
        case "this_month":
            return days_range(today.replace(day=1), today)
        case "previous_year":
            return Period(midnight(date(today.year - 1, 1, 1)), midnight(date(today.year, 1, 1)))
        case "past_year":
            return last_days(now, 365)
        case "this_year":
            return days_range(date(today.year, 1, 1), today)
        case "yesterday":
            return days_range(today - timedelta(days=1), today - timedelta(days=1))
        case _:
            return days_range(today, today)
