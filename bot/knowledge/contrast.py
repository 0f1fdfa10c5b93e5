"""The rules for knowledge/contrast.yaml: expressions that put a clause on a situation that is over, or on now."""

from __future__ import annotations

import re

from bot.knowledge.cues import ContrastCues
from bot.knowledge.fields import LANGUAGES, NO_ID, WHOLE_FILE, localized_list, problem
from bot.knowledge.model import LocalizedList

FILE_NAME = "contrast.yaml"
FIELDS = ("over", "before", "now", "no_longer", "fine", "guess", "saying", "being", "splits")
ITEMS: tuple[int, int | None] = (1, 60)
MAX_WORDS = 3
_WORD = re.compile(r"[^\W_]+\Z")


def check_contrast(data: object, file: str) -> tuple[ContrastCues | None, list[str]]:
    """The parsed file: its cues when everything is valid, and every problem found."""
    if not isinstance(data, dict):
        return None, [problem(file, NO_ID, WHOLE_FILE, f"must be a mapping with the keys {', '.join(FIELDS)}")]
    allowed = ", ".join(FIELDS)
    problems = [problem(file, NO_ID, str(k), f"unknown field (allowed: {allowed})") for k in data if k not in FIELDS]
    problems.extend(problem(file, NO_ID, key, "missing") for key in FIELDS if key not in data)
    lists: dict[str, LocalizedList] = {}
    for field in FIELDS:
        if field not in data:
            continue
        items, found = localized_list(file, NO_ID, field, data[field], ITEMS)
        problems.extend(found)
        if items is None:
            continue
        longest = 1 if field in ("splits", "no_longer", "being", "saying") else MAX_WORDS
        for language in LANGUAGES:
            for item in items.get(language):
                words = item.split()
                if len(words) > longest or not all(_WORD.match(word) for word in words):
                    wanted = "a single word" if longest == 1 else f"one to {longest} words of letters and digits"
                    problems.append(problem(file, NO_ID, f"{field}.{language}", f"{item!r} must be {wanted}"))
        lists[field] = items
    if problems or len(lists) < len(FIELDS):
        return None, problems
    return ContrastCues(
        over=lists["over"],
        before=lists["before"],
        now=lists["now"],
        no_longer=lists["no_longer"],
        fine=lists["fine"],
        guess=lists["guess"],
        saying=lists["saying"],
        being=lists["being"],
        splits=lists["splits"],
    ), []
