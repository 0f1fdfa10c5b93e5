"""Pasted rows of a status page or an export, each with its own status: which statuses, most frequent first."""

from __future__ import annotations

from collections import Counter

from bot.matching.labels import LabelIndex
from bot.matching.normalize import fold_key

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
        counts[hit.status] += 1
        first_seen.setdefault(hit.status, number)
    if len(counts) < 2:
        return []
    ranked = sorted(counts, key=lambda status: (-counts[status], first_seen[status]))
    return ranked[:MOST]
