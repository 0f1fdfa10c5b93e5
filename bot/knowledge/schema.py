"""The rules for knowledge entries and the index: every broken rule becomes one line naming file, id and field."""

from __future__ import annotations

from collections.abc import Sequence

from bot.knowledge.fields import (
    ID_PATTERN,
    NO_ID,
    WHOLE_FILE,
    Report,
    kind_of,
    localized_strings,
    localized_text,
    problem,
)
from bot.knowledge.model import Action, Actor, Category, StatusEntry

TEXT_FIELDS = ("label", "meaning", "cause")
# Items per language: (at least, at most); None means no upper bound.
LIST_FIELDS: dict[str, tuple[int, int | None]] = {"steps": (2, 6), "phrases": (10, None), "keywords": (3, 10)}
FIELDS = ("id", "category", "actor", "action", "related", "sources", *TEXT_FIELDS, *LIST_FIELDS)
INDEX_FIELDS = ("statuses",)


def _choice(report: Report, field: str, value: object, allowed: Sequence[str]) -> str | None:
    if isinstance(value, str) and value in allowed:
        return value
    report.add(field, f"must be one of {', '.join(allowed)}, found {value!r}")
    return None


def source_ids(value: object) -> list[str]:
    """The well-formed source ids of a status's `sources` field (the rest is reported by check_entry)."""
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, str) and ID_PATTERN.match(item)]


def _sources(report: Report, value: object) -> None:
    """A status names at least one help article (by its id in sources.yaml), each once."""
    if not isinstance(value, list) or not value:
        report.add("sources", f"must be a non-empty list of source ids (see sources.yaml), found {kind_of(value)}")
        return
    seen: set[str] = set()
    for item in value:
        if not isinstance(item, str) or not ID_PATTERN.match(item):
            report.add("sources", f"{item!r} is not a source id")
        elif item in seen:
            report.add("sources", f"{item!r} appears more than once")
        seen.add(str(item))


def _related(report: Report, value: object, own_id: str) -> tuple[str, ...] | None:
    if not isinstance(value, list):
        report.add("related", f"must be a list of status ids (may be []), found {kind_of(value)}")
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


def _check_action(report: Report, category: Category, actor: Actor, action: Action) -> None:
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
    report = Report(file, stem)
    if not isinstance(data, dict):
        report.add(WHOLE_FILE, f"must be a mapping of fields, found {kind_of(data)}")
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
    texts = {field: localized_text(report, field, data[field]) for field in TEXT_FIELDS if field in data}
    lists = {field: localized_strings(report, field, data[field], texts.get("label"), bounds)
             for field, bounds in LIST_FIELDS.items() if field in data}

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
    report = Report(file, NO_ID)
    if not isinstance(data, dict):
        report.add(WHOLE_FILE, f"must be a mapping with the key 'statuses', found {kind_of(data)}")
        return None, report.problems
    for key in data:
        if key not in INDEX_FIELDS:
            report.add(str(key), "unknown field (allowed: statuses)")
    listed = data.get("statuses")
    if not isinstance(listed, list) or not listed:
        report.add("statuses", f"must be a non-empty list of status ids, found {kind_of(listed)}")
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
