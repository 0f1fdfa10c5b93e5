"""Pasted rows of a status page or an export, each with its own status: which statuses, most frequent first."""

from __future__ import annotations

from collections import Counter

from bot.matching.labels import LabelIndex
from bot.matching.normalize import ascii_fold, fold_key
from bot.matching.terms import NEGATIONS

# Words of a story told over lines, not of a pasted row: a negation beside the label, or a word of time or change.
# A line with an address, a date or a number in it is a row whatever its words.
_TOLD = NEGATIONS | {
    "longer", "anymore", "now", "nu", "previously", "tidigare", "before", "innan", "after", "efter", "fixed",
    "fixade", "rattade", "corrected", "instead", "istallet", "still", "fortfarande",
}  # fmt: skip
# Statuses named at most, the most frequent first.
MOST = 5


def several_statuses(labels: LabelIndex, text: str) -> list[str]:
    """The distinct statuses of a paste of several rows, most frequent first; [] unless there are two or more."""
    lines = [line for line in text.split("\n") if line.strip()]
    if len(lines) < 2:
        return []
    counts: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    for number, line in enumerate(lines):
        key = fold_key(line)
        hit = labels.exact(key) or labels.inside(key) or labels.fuzzy(key)
        if hit is None:
            continue
        row = "@" in line or any(char.isdigit() for char in line)
        if not row and _TOLD.intersection(ascii_fold(f" {key} ".replace(f" {hit.form.key} ", " ")).split()):
            # "It's not the SKU error any more.\nNew status: ...": lines of a story, the status it has now last.
            return []
        counts[hit.status] += 1
        first_seen.setdefault(hit.status, number)
    if len(counts) < 2:
        return []
    ranked = sorted(counts, key=lambda status: (-counts[status], first_seen[status]))
    return ranked[:MOST]
