"""What every knowledge data file is checked with: problem lines naming file, id and field, the sv/en texts
and lists, and lists of named items with unique ids. The rules of one kind of file live beside it
(schema.py for the status files and the index)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from typing import Protocol

from bot.knowledge.model import Localized, LocalizedList

LANGUAGES = ("sv", "en")
ID_PATTERN = re.compile(r"[a-z][a-z0-9_]*\Z")
# Stands in for the status id in problems that concern no single status.
NO_ID = "-"
WHOLE_FILE = "(file)"

_DASHES = re.compile(r"[\u2010-\u2015\u2212]")


def problem(file: str, status_id: str, field: str, message: str) -> str:
    return f"{file}: {status_id}: {field}: {message}"


def normalized(text: str) -> str:
    """The form in which two texts count as the same: case, Unicode variants, dashes and spacing ignored."""
    text = _DASHES.sub("-", unicodedata.normalize("NFKC", text).casefold())
    return " ".join(text.split())


def kind_of(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, list | dict | str) and not (value.strip() if isinstance(value, str) else value):
        return {list: "an empty list", dict: "an empty mapping", str: "an empty string"}[type(value)]
    kinds = {dict: "a mapping", list: "a list", str: "a string", bool: "true/false", int: "a number", float: "a number"}
    return kinds.get(type(value), f"a {type(value).__name__}")


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


class Report:
    """Collects the problems of one file."""

    def __init__(self, file: str, status_id: str) -> None:
        self.file = file
        self.status_id = status_id
        self.problems: list[str] = []

    def add(self, field: str, message: str) -> None:
        self.problems.append(problem(self.file, self.status_id, field, message))


def _by_language(report: Report, field: str, value: object) -> Mapping[str, object] | None:
    if not isinstance(value, dict):
        report.add(field, f"must be a mapping with sv and en, found {kind_of(value)}")
        return None
    for language in value:
        if language not in LANGUAGES:
            report.add(f"{field}.{language}", "unknown language (allowed: sv, en)")
    for language in LANGUAGES:
        if language not in value:
            report.add(f"{field}.{language}", "missing")
    return value


def localized_text(report: Report, field: str, value: object) -> Localized | None:
    texts = _by_language(report, field, value)
    if texts is None:
        return None
    good: dict[str, str] = {}
    for language in LANGUAGES:
        text = texts.get(language)
        if language not in texts:
            continue
        if isinstance(text, str) and text.strip():
            good[language] = text.strip()
        else:
            report.add(f"{field}.{language}", f"must be a non-empty string, found {kind_of(text)}")
    if len(good) < len(LANGUAGES):
        return None
    return Localized(sv=good["sv"], en=good["en"])


def _strings(report: Report, field: str, value: object) -> tuple[str, ...] | None:
    if not isinstance(value, list) or not value:
        report.add(field, f"must be a non-empty list of strings, found {kind_of(value)}")
        return None
    items: list[str] = []
    ok = True
    for number, item in enumerate(value, start=1):
        if isinstance(item, str) and item.strip():
            items.append(item.strip())
        else:
            report.add(f"{field}[{number}]", f"must be a non-empty string, found {kind_of(item)}")
            ok = False
    return tuple(items) if ok else None


def localized_strings(
    report: Report, field: str, value: object, label: Localized | None, bounds: tuple[int, int | None]
) -> LocalizedList | None:
    """A sv/en list of strings within bounds; "keywords" are single words, "phrases" do not repeat the label."""
    lists = _by_language(report, field, value)
    if lists is None:
        return None
    least, most = bounds
    good: dict[str, tuple[str, ...]] = {}
    for language in LANGUAGES:
        if language not in lists:
            continue
        where = f"{field}.{language}"
        items = _strings(report, where, lists[language])
        if items is None:
            continue
        if len(items) < least or (most is not None and len(items) > most):
            wanted = f"at least {least}" if most is None else f"{least} to {most}"
            report.add(where, f"has {_plural(len(items), 'item')}, needs {wanted}")
        seen: set[str] = set()
        for item in items:
            key = normalized(item)
            if key in seen:
                report.add(where, f"{item!r} appears more than once")
            seen.add(key)
            if field == "keywords" and len(item.split()) > 1:
                report.add(where, f"{item!r} must be a single word or word stem")
        if field == "phrases" and label is not None and normalized(label.get(language)) in seen:
            report.add(where, "must not repeat the label itself")
        good[language] = items
    if len(good) < len(LANGUAGES):
        return None
    return LocalizedList(sv=good["sv"], en=good["en"])


def localized_list(
    file: str, owner: str, field: str, value: object, bounds: tuple[int, int | None]
) -> tuple[LocalizedList | None, list[str]]:
    """A sv/en list of strings outside a status file ("phrases", "keywords" rules, with these bounds)."""
    report = Report(file, owner)
    result = localized_strings(report, field, value, None, bounds)
    return (result if not report.problems else None), report.problems


class Named(Protocol):
    # Read-only, as on the frozen dataclasses the files become.
    @property
    def id(self) -> str: ...




def check_named_list[N: Named](
    data: object,
    file: str,
    key: str,
    noun: str,
    check_item: Callable[[object, str, int], tuple[N | None, list[str]]],
) -> tuple[list[N], list[str]]:
    """A data file that is `{key: [item, ...]}`: each item checked, ids unique, every problem reported.

    The items come back even when some problems were found; callers decide whether to use them.
    """
    if not isinstance(data, dict):
        return [], [problem(file, NO_ID, WHOLE_FILE, f"must be a mapping with the key '{key}'")]
    problems = [problem(file, NO_ID, str(field), f"unknown field (allowed: {key})") for field in data if field != key]
    listed = data.get(key)
    if not isinstance(listed, list) or not listed:
        problems.append(problem(file, NO_ID, key, f"must be a non-empty list of {key}"))
        return [], problems
    items: list[N] = []
    seen: set[str] = set()
    for number, raw in enumerate(listed, start=1):
        item, found = check_item(raw, file, number)
        problems.extend(found)
        if item is None:
            continue
        if item.id in seen:
            problems.append(problem(file, item.id, "id", f"used by more than one {noun}"))
        seen.add(item.id)
        items.append(item)
    return items, problems
