"""The rules for knowledge/polarity.yaml: phrases that say whether an invitation arrived, and their negations."""

from __future__ import annotations

import re
from collections.abc import Mapping

from bot.knowledge.cues import PolarityCues
from bot.knowledge.fields import ID_PATTERN, LANGUAGES, NO_ID, WHOLE_FILE, localized_list, normalized, problem
from bot.knowledge.model import Category, LocalizedList, StatusEntry

FILE_NAME = "polarity.yaml"
FIELDS = ("cues", "negations", "not_yet", "breaks", "earlier")
# Fields that may be left out.
OPTIONAL = ("also_pending", "permission")
GROUPS = ("delivered", "not_delivered", "pending", "went_out")
WORD_LISTS = ("negations", "not_yet", "breaks", "earlier")
# Word lists that may be left out.
OPTIONAL_WORD_LISTS = ("permission",)
# Items per language: (at least, at most).
CUES: tuple[int, int | None] = (1, None)
WORDS: tuple[int, int | None] = (1, 40)
# A cue longer than this is a sentence, which a question would hardly ever repeat word for word.
MAX_CUE_WORDS = 4
# Questions are compared as words of letters and digits (apostrophes and hyphens are dropped first).
_WORD = re.compile(r"[^\W_]+\Z")


def check_polarity(data: object, file: str) -> tuple[PolarityCues | None, list[str]]:
    """The parsed file: its cues when everything is valid, and every problem found."""
    if not isinstance(data, dict):
        return None, [problem(file, NO_ID, WHOLE_FILE, f"must be a mapping with the keys {', '.join(FIELDS)}")]
    allowed = ", ".join(FIELDS + OPTIONAL)
    problems = [
        problem(file, NO_ID, str(k), f"unknown field (allowed: {allowed})") for k in data if k not in FIELDS + OPTIONAL
    ]
    problems.extend(problem(file, NO_ID, key, "missing") for key in FIELDS if key not in data)
    groups = _cues(data.get("cues"), file, problems) if "cues" in data else {}
    lists: dict[str, LocalizedList] = {}
    for field in WORD_LISTS + OPTIONAL_WORD_LISTS:
        if field not in data:
            continue
        words, found = localized_list(file, NO_ID, field, data[field], WORDS)
        problems.extend(found)
        problems.extend(_not_words(data[field], file, field, 1))
        if words is not None:
            lists[field] = words
    problems.extend(_shared_words(lists, file))
    problems.extend(_breaks_inside_cues(groups, lists.get("breaks"), file))
    also_pending = _status_ids(data.get("also_pending", []), file, "also_pending", problems)
    if problems or len(groups) < len(GROUPS) or any(field not in lists for field in WORD_LISTS):
        return None, problems
    return PolarityCues(
        delivered=groups["delivered"],
        not_delivered=groups["not_delivered"],
        pending=groups["pending"],
        went_out=groups["went_out"],
        negations=lists["negations"],
        not_yet=lists["not_yet"],
        breaks=lists["breaks"],
        earlier=lists["earlier"],
        also_pending=also_pending,
        permission=lists.get("permission", LocalizedList((), ())),
    ), []


def check_against_statuses(cues: PolarityCues, file: str, entries: Mapping[str, StatusEntry]) -> list[str]:
    """Statuses that also read as pending must exist and belong to another category."""
    problems = []
    for status in cues.also_pending:
        entry = entries.get(status)
        if entry is None:
            problems.append(problem(file, NO_ID, "also_pending", f"{status!r} is not a known status"))
        elif entry.category is Category.PENDING:
            problems.append(problem(file, NO_ID, "also_pending", f"{status!r} is pending already"))
    return problems


def _status_ids(value: object, file: str, field: str, problems: list[str]) -> tuple[str, ...]:
    """A list of distinct status ids; problems go to `problems`."""
    if not isinstance(value, list):
        problems.append(problem(file, NO_ID, field, "must be a list of status ids"))
        return ()
    ids: list[str] = []
    for item in value:
        if not isinstance(item, str) or not ID_PATTERN.match(item):
            wanted = "is not a status id (lower-case letters, digits and _)"
            problems.append(problem(file, NO_ID, field, f"{item!r} {wanted}"))
        elif item in ids:
            problems.append(problem(file, NO_ID, field, f"{item!r} is listed twice"))
        else:
            ids.append(item)
    return tuple(ids)


def _cues(value: object, file: str, problems: list[str]) -> dict[str, LocalizedList]:
    """The valid groups of cues (all of them when the field is sound); problems go to `problems`."""
    if not isinstance(value, dict):
        problems.append(problem(file, NO_ID, "cues", f"must be a mapping with the groups {', '.join(GROUPS)}"))
        return {}
    problems.extend(
        problem(file, NO_ID, f"cues.{key}", f"unknown group (allowed: {', '.join(GROUPS)})")
        for key in value
        if key not in GROUPS
    )
    problems.extend(problem(file, NO_ID, f"cues.{key}", "missing") for key in GROUPS if key not in value)
    groups: dict[str, LocalizedList] = {}
    for group in GROUPS:
        if group not in value:
            continue
        field = f"cues.{group}"
        phrases, found = localized_list(file, NO_ID, field, value[group], CUES)
        problems.extend(found)
        problems.extend(_not_words(value[group], file, field, MAX_CUE_WORDS))
        if phrases is not None:
            groups[group] = phrases
    problems.extend(_shared_phrases(groups, file))
    return groups


def _not_words(value: object, file: str, field: str, most: int) -> list[str]:
    """Items that are not one to `most` words of letters and digits."""
    if not isinstance(value, dict):
        return []
    found = []
    for language in LANGUAGES:
        items = value.get(language)
        if not isinstance(items, list):
            continue
        for item in items:
            if not isinstance(item, str) or not item.strip():
                continue
            words = item.split()
            if not all(_WORD.match(word) for word in words):
                found.append(problem(file, NO_ID, f"{field}.{language}", f"{item!r} must be letters and digits only"))
            elif len(words) > most:
                wanted = "a single word" if most == 1 else f"at most {most} words"
                found.append(problem(file, NO_ID, f"{field}.{language}", f"{item!r} must be {wanted}"))
    return found


def _shared_phrases(groups: dict[str, LocalizedList], file: str) -> list[str]:
    """A phrase says one thing: listed in two groups, it would count for both."""
    owners: dict[tuple[str, str], str] = {}
    found = []
    for group, phrases in groups.items():
        for language in LANGUAGES:
            for phrase in phrases.get(language):
                owner = owners.setdefault((language, normalized(phrase)), group)
                if owner != group:
                    found.append(problem(file, NO_ID, f"cues.{group}.{language}", f"{phrase!r} is also in {owner}"))
    return found


def _shared_words(lists: dict[str, LocalizedList], file: str) -> list[str]:
    """A word is a negation, a "not yet" word, a clause break, an "earlier" or a permission word, never two of them."""
    owners: dict[tuple[str, str], str] = {}
    found = []
    for field, words in lists.items():
        for language in LANGUAGES:
            for word in words.get(language):
                owner = owners.setdefault((language, normalized(word)), field)
                if owner != field:
                    found.append(problem(file, NO_ID, f"{field}.{language}", f"{word!r} is also in {owner}"))
    return found


def _breaks_inside_cues(groups: dict[str, LocalizedList], breaks: LocalizedList | None, file: str) -> list[str]:
    """A cue holding a clause break could never be found: the break ends the clause it is read in."""
    if breaks is None:
        return []
    found = []
    for group, phrases in groups.items():
        for language in LANGUAGES:
            ends = {normalized(word) for word in breaks.get(language)}
            for phrase in phrases.get(language):
                inside = [word for word in normalized(phrase).split() if word in ends]
                if inside:
                    found.append(
                        problem(
                            file, NO_ID, f"cues.{group}.{language}", f"{phrase!r} holds the clause break {inside[0]!r}"
                        )
                    )
    return found
