"""Which character separates the fields: Excel's "sep=;" line when there is one, else the delimiter that
splits the first lines into the same number of fields most consistently (quotes respected)."""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Sequence

from bot.triage.errors import ExportError, Problem

DELIMITERS = (",", ";", "\t", "|")
# Excel writes this first line when asked to keep a separator with the file (and reads it back).
_SEP_LINE = re.compile(r'^\ufeff?"?sep=(.)"?\s*$', re.IGNORECASE)
# Lines looked at; a title line or two above the header does not disturb the count.
SAMPLE_LINES = 60


def separator_line(line: str) -> str | None:
    """The delimiter an Excel "sep=X" line names, or None when the line is not one."""
    found = _SEP_LINE.match(line)
    return found.group(1) if found else None


def _field_counts(lines: Sequence[str], delimiter: str) -> list[int]:
    counts: list[int] = []
    try:
        for row in csv.reader(lines, delimiter=delimiter, quotechar='"'):
            if any(cell.strip() for cell in row):
                counts.append(len(row))
    except csv.Error:
        pass  # a sample cut inside a quoted field: what was counted so far still tells
    return counts


def sniff_delimiter(lines: Sequence[str]) -> str:
    """The delimiter of the sample `lines`; ExportError(ONE_COLUMN) when no candidate splits them."""
    best: tuple[float, int, str] | None = None
    sample = list(lines[:SAMPLE_LINES])
    for delimiter in DELIMITERS:
        counts = _field_counts(sample, delimiter)
        if not counts:
            continue
        fields, times = Counter(counts).most_common(1)[0]
        if fields < 2:
            continue
        # The share of lines with the usual number of fields, then the number of fields, decide.
        score = (times / len(counts), fields, delimiter)
        if best is None or score[:2] > best[:2]:
            best = score
    if best is None:
        raise ExportError(Problem.ONE_COLUMN)
    return best[2]
