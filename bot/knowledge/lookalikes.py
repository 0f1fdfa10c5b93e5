"""The rules for knowledge/lookalikes.yaml: the facts that tell look-alike statuses apart."""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass

from bot.knowledge.fields import ID_PATTERN, NO_ID, WHOLE_FILE, localized_list, problem
from bot.knowledge.model import LocalizedList

FILE_NAME = "lookalikes.yaml"
ITEMS: tuple[int, int | None] = (2, 40)
AGAINST_ITEMS: tuple[int, int | None] = (1, 40)
MAX_WORDS = 4
_EMPTY = LocalizedList((), ())


@dataclass(frozen=True)
class Facts:
    """What states a status's telling fact, and what states its opposite."""

    status: str
    marks: LocalizedList
    against: LocalizedList = _EMPTY


@dataclass(frozen=True)
class LookAlikeGroup:
    """Statuses that share most of their words, each with the fact that sets it apart."""

    id: str
    statuses: tuple[Facts, ...]


def check_lookalikes(data: object, file: str, known: Container[str]) -> tuple[tuple[LookAlikeGroup, ...], list[str]]:
    """The parsed groups when everything is valid, and every problem found."""
    if not isinstance(data, dict) or set(data) != {"groups"} or not isinstance(data["groups"], list):
        return (), [problem(file, NO_ID, WHOLE_FILE, "must be a mapping with one key, groups, holding a list")]
    problems: list[str] = []
    groups: list[LookAlikeGroup] = []
    seen_ids: set[str] = set()
    seen_statuses: set[str] = set()
    for number, raw in enumerate(data["groups"], start=1):
        where = f"groups[{number}]"
        if not isinstance(raw, dict) or set(raw) != {"id", "statuses"}:
            problems.append(problem(file, NO_ID, where, "must have exactly the fields id and statuses"))
            continue
        group_id = raw["id"]
        if not isinstance(group_id, str) or not ID_PATTERN.match(group_id) or group_id in seen_ids:
            problems.append(problem(file, NO_ID, f"{where}.id", f"{group_id!r} must be a new id of a-z, 0-9 and _"))
            continue
        seen_ids.add(group_id)
        statuses = raw["statuses"]
        if not isinstance(statuses, dict) or len(statuses) < 2:
            problems.append(problem(file, group_id, "statuses", "must map two or more status ids to their facts"))
            continue
        members: list[Facts] = []
        for status, facts in statuses.items():
            if status not in known or status in seen_statuses:
                problems.append(problem(file, group_id, f"statuses.{status}", "no status, or already in a group"))
                continue
            seen_statuses.add(status)
            found, facts_problems = _facts(file, group_id, status, facts)
            problems.extend(facts_problems)
            if found is not None:
                members.append(found)
        groups.append(LookAlikeGroup(group_id, tuple(members)))
    return (tuple(groups), []) if not problems else ((), problems)


def _facts(file: str, group: str, status: str, raw: object) -> tuple[Facts | None, list[str]]:
    where = f"statuses.{status}"
    if not isinstance(raw, dict) or "marks" not in raw or not set(raw) <= {"marks", "against"}:
        return None, [problem(file, group, where, "must have marks, and may have against")]
    problems: list[str] = []
    lists: dict[str, LocalizedList] = {}
    for field in ("marks", "against"):
        if field not in raw:
            continue
        bounds = ITEMS if field == "marks" else AGAINST_ITEMS
        items, found = localized_list(file, group, f"{where}.{field}", raw[field], bounds)
        problems.extend(found)
        if items is None:
            continue
        for language in ("sv", "en"):
            problems.extend(
                problem(file, group, f"{where}.{field}.{language}", f"{item!r} must be one to {MAX_WORDS} words")
                for item in items.get(language)
                if len(item.split()) > MAX_WORDS
            )
        lists[field] = items
    if problems:
        return None, problems
    return Facts(status, lists["marks"], lists.get("against", _EMPTY)), []
