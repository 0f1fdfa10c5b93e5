"""The rules for knowledge entries and the index: every broken rule becomes one line naming file, id and field."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from typing import Protocol

from bot.knowledge.model import Action, Actor, Category, Localized, LocalizedList, StatusEntry

LANGUAGES = ("sv", "en")
ID_PATTERN = re.compile(r"[a-z][a-z0-9_]*\Z")
TEXT_FIELDS = ("label", "meaning", "cause")
# Items per language: (at least, at most); None means no upper bound.
LIST_FIELDS: dict[str, tuple[int, int | None]] = {"steps": (2, 6), "phrases": (10, None), "keywords": (3, 10)}
FIELDS = ("id", "category", "actor", "action", "related", "sources", *TEXT_FIELDS, *LIST_FIELDS)
INDEX_FIELDS = ("statuses",)
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


def _kind(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, list | dict | str) and not (value.strip() if isinstance(value, str) else value):
        return {list: "an empty list", dict: "an empty mapping", str: "an empty string"}[type(value)]
    kinds = {dict: "a mapping", list: "a list", str: "a string", bool: "true/false", int: "a number", float: "a number"}
    return kinds.get(type(value), f"a {type(value).__name__}")


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


class _Report:
    """Collects the problems of one file."""

    def __init__(self, file: str, status_id: str) -> None:
        self.file = file
        self.status_id = status_id
        self.problems: list[str] = []

    def add(self, field: str, message: str) -> None:
        self.problems.append(problem(self.file, self.status_id, field, message))


def _choice(report: _Report, field: str, value: object, allowed: Sequence[str]) -> str | None:
    if isinstance(value, str) and value in allowed:
        return value
    report.add(field, f"must be one of {', '.join(allowed)}, found {value!r}")
    return None


def _by_language(report: _Report, field: str, value: object) -> Mapping[str, object] | None:
    if not isinstance(value, dict):
        report.add(field, f"must be a mapping with sv and en, found {_kind(value)}")
        return None
    for language in value:
        if language not in LANGUAGES:
            report.add(f"{field}.{language}", "unknown language (allowed: sv, en)")
    for language in LANGUAGES:
        if language not in value:
            report.add(f"{field}.{language}", "missing")
    return value


def _text(report: _Report, field: str, value: object) -> Localized | None:
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
            report.add(f"{field}.{language}", f"must be a non-empty string, found {_kind(text)}")
    if len(good) < len(LANGUAGES):
        return None
    return Localized(sv=good["sv"], en=good["en"])


def _strings(report: _Report, field: str, value: object) -> tuple[str, ...] | None:
    if not isinstance(value, list) or not value:
        report.add(field, f"must be a non-empty list of strings, found {_kind(value)}")
        return None
    items: list[str] = []
    ok = True
    for number, item in enumerate(value, start=1):
        if isinstance(item, str) and item.strip():
            items.append(item.strip())
        else:
            report.add(f"{field}[{number}]", f"must be a non-empty string, found {_kind(item)}")
            ok = False
    return tuple(items) if ok else None


def _list(
    report: _Report, field: str, value: object, label: Localized | None, bounds: tuple[int, int | None] | None = None
) -> LocalizedList | None:
    lists = _by_language(report, field, value)
    if lists is None:
        return None
    least, most = bounds or LIST_FIELDS[field]
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
    report = _Report(file, owner)
    result = _list(report, field, value, None, bounds)
    return (result if not report.problems else None), report.problems


def source_ids(value: object) -> list[str]:
    """The well-formed source ids of a status's `sources` field (the rest is reported by check_entry)."""
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, str) and ID_PATTERN.match(item)]


def _sources(report: _Report, value: object) -> None:
    """A status names at least one help article (by its id in sources.yaml), each once."""
    if not isinstance(value, list) or not value:
        report.add("sources", f"must be a non-empty list of source ids (see sources.yaml), found {_kind(value)}")
        return
    seen: set[str] = set()
    for item in value:
        if not isinstance(item, str) or not ID_PATTERN.match(item):
            report.add("sources", f"{item!r} is not a source id")
        elif item in seen:
            report.add("sources", f"{item!r} appears more than once")
        seen.add(str(item))


def _related(report: _Report, value: object, own_id: str) -> tuple[str, ...] | None:
    if not isinstance(value, list):
        report.add("related", f"must be a list of status ids (may be []), found {_kind(value)}")
        return None
    ids: list[str] = []
    for item in value:
        if not isinstance(item, str) or not ID_PATTERN.match(item):
            report.add("related", f"{item!r} is not a status id")
        elif item == own_id:
            report.add("related", "must not name the status itself")
        elif item in ids:
            report.add("related", f"{item!r} appears more than once")
        else:
            ids.append(item)
    return tuple(ids)


# Who may act on a status, by its action: a retry or nothing to do needs nobody, and a fix is made by the
# merchant or by support (a recipient cannot change a merchant's settings).
_ACTORS_FOR_ACTION: dict[Action, tuple[Actor, ...]] = {
    Action.RESEND_AFTER_FIX: (Actor.MERCHANT, Actor.SUPPORT),
    Action.RETRIES_AUTOMATICALLY: (Actor.NOBODY,),
    Action.NOTHING_TO_DO: (Actor.NOBODY,),
    Action.NEW_INVITATION_OTHER_ADDRESS: (Actor.MERCHANT, Actor.RECIPIENT),
    Action.DO_NOT_SEND_AGAIN: (Actor.NOBODY, Actor.MERCHANT, Actor.SUPPORT),
}
# An invitation still on its way or already delivered has nothing to fix or resend.
_ACTIONS_FOR_SETTLED = (Action.NOTHING_TO_DO, Action.DO_NOT_SEND_AGAIN)


def _check_action(report: _Report, category: Category, actor: Actor, action: Action) -> None:
    """The action must agree with who acts and with the category: "resend after a fix" by nobody is a contradiction."""
    allowed = _ACTORS_FOR_ACTION[action]
    if actor not in allowed:
        report.add("actor", f"{actor.value!r} cannot go with the action {action.value} "
                            f"(allowed: {', '.join(a.value for a in allowed)})")
    if category is not Category.NOT_DELIVERED and action not in _ACTIONS_FOR_SETTLED:
        report.add("action", f"{action.value!r} does not fit a {category.value} status "
                             f"(allowed: {', '.join(a.value for a in _ACTIONS_FOR_SETTLED)})")


def check_entry(data: object, file: str, stem: str) -> tuple[StatusEntry | None, list[str]]:
    """One parsed status file: the entry when it is valid, and its own problems (not cross-file ones)."""
    report = _Report(file, stem)
    if not isinstance(data, dict):
        report.add(WHOLE_FILE, f"must be a mapping of fields, found {_kind(data)}")
        return None, report.problems
    for key in data:
        if key not in FIELDS:
            report.add(str(key), f"unknown field (allowed: {', '.join(FIELDS)})")
    for key in FIELDS:
        if key not in data:
            report.add(key, "missing")

    status_id = data.get("id")
    if "id" in data and status_id != stem:
        report.add("id", f"{status_id!r} does not match the file name ({stem}.yaml)")
    category = actor = None
    if "category" in data:
        category = _choice(report, "category", data["category"], [c.value for c in Category])
    if "actor" in data:
        actor = _choice(report, "actor", data["actor"], [a.value for a in Actor])
    action = _choice(report, "action", data["action"], [a.value for a in Action]) if "action" in data else None
    if category is not None and actor is not None and action is not None:
        _check_action(report, Category(category), Actor(actor), Action(action))
    related = _related(report, data.get("related"), stem) if "related" in data else None
    if "sources" in data:
        _sources(report, data["sources"])
    texts = {field: _text(report, field, data[field]) for field in TEXT_FIELDS if field in data}
    lists = {field: _list(report, field, data[field], texts.get("label")) for field in LIST_FIELDS if field in data}

    if report.problems:
        return None, report.problems
    # Every field was present and valid, so none of these is None here.
    assert category is not None and actor is not None and action is not None and related is not None
    return StatusEntry(
        id=stem,
        category=Category(category),
        actor=Actor(actor),
        action=Action(action),
        label=_present(texts["label"]),
        meaning=_present(texts["meaning"]),
        cause=_present(texts["cause"]),
        steps=_present(lists["steps"]),
        phrases=_present(lists["phrases"]),
        keywords=_present(lists["keywords"]),
        related=related,
    ), []


def _present[T](value: T | None) -> T:
    assert value is not None
    return value


def check_index(data: object, file: str) -> tuple[list[str] | None, list[str]]:
    """index.yaml: the listed ids in order (None when the list cannot be read) and its problems."""
    report = _Report(file, NO_ID)
    if not isinstance(data, dict):
        report.add(WHOLE_FILE, f"must be a mapping with the key 'statuses', found {_kind(data)}")
        return None, report.problems
    for key in data:
        if key not in INDEX_FIELDS:
            report.add(str(key), "unknown field (allowed: statuses)")
    listed = data.get("statuses")
    if not isinstance(listed, list) or not listed:
        report.add("statuses", f"must be a non-empty list of status ids, found {_kind(listed)}")
        return None, report.problems
    ids: list[str] = []
    for item in listed:
        if not isinstance(item, str) or not ID_PATTERN.match(item):
            report.add("statuses", f"{item!r} is not a status id (lower-case letters, digits and _)")
        elif item not in ids:
            ids.append(item)
    for status_id in ids:
        count = listed.count(status_id)
        if count > 1:
            report.problems.append(problem(file, status_id, "statuses", f"listed {count} times, list it once"))
    return ids, report.problems


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
