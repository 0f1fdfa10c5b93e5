"""The rules for knowledge/out_of_scope.yaml: topics the bot does not cover, each with phrases and keywords."""

from __future__ import annotations

from collections.abc import Mapping

from bot.knowledge.fields import (
    ID_PATTERN,
    LANGUAGES,
    WHOLE_FILE,
    check_named_list,
    localized_list,
    normalized,
    problem,
)
from bot.knowledge.model import OutOfScopeTopic, StatusEntry

FILE_NAME = "out_of_scope.yaml"
TOPIC_FIELDS = ("id", "phrases", "keywords")
# Items per language and topic: (at least, at most).
PHRASES: tuple[int, int | None] = (3, None)
KEYWORDS: tuple[int, int | None] = (1, 12)


def check_topics(data: object, file: str) -> tuple[tuple[OutOfScopeTopic, ...] | None, list[str]]:
    """The parsed file: its topics when every one is valid, and every problem found."""
    topics, problems = check_named_list(data, file, "topics", "topic", _check_topic)
    return (tuple(topics) if topics and not problems else None), problems


def _check_topic(item: object, file: str, number: int) -> tuple[OutOfScopeTopic | None, list[str]]:
    if not isinstance(item, dict):
        return None, [problem(file, f"topic {number}", WHOLE_FILE, "must be a mapping with id, phrases, keywords")]
    topic_id = item.get("id")
    owner = topic_id if isinstance(topic_id, str) and topic_id else f"topic {number}"
    problems = [
        problem(file, owner, str(key), f"unknown field (allowed: {', '.join(TOPIC_FIELDS)})")
        for key in item
        if key not in TOPIC_FIELDS
    ]
    problems.extend(problem(file, owner, key, "missing") for key in TOPIC_FIELDS if key not in item)
    if "id" in item and not (isinstance(topic_id, str) and ID_PATTERN.match(topic_id)):
        problems.append(problem(file, owner, "id", f"{topic_id!r} is not a name of a-z, 0-9 and _"))
    phrases = keywords = None
    if "phrases" in item:
        phrases, found = localized_list(file, owner, "phrases", item["phrases"], PHRASES)
        problems.extend(found)
    if "keywords" in item:
        keywords, found = localized_list(file, owner, "keywords", item["keywords"], KEYWORDS)
        problems.extend(found)
    if problems or phrases is None or keywords is None:
        return None, problems
    return OutOfScopeTopic(id=owner, phrases=phrases, keywords=keywords), []


def check_against_statuses(
    topics: tuple[OutOfScopeTopic, ...], file: str, entries: Mapping[str, StatusEntry]
) -> list[str]:
    """A topic is never a status, and no phrase may point both to a topic and to a status (or another topic)."""
    problems = [problem(file, t.id, "id", "is the id of a status") for t in topics if t.id in entries]
    for language in LANGUAGES:
        owners: dict[str, str] = {}
        for entry in entries.values():
            owners[normalized(entry.label.get(language))] = f"the label of {entry.id}"
            for phrase in entry.phrases.get(language):
                owners.setdefault(normalized(phrase), f"a phrase of {entry.id}")
        for topic in topics:
            for phrase in topic.phrases.get(language):
                key = normalized(phrase)
                owner = owners.setdefault(key, f"a phrase of topic {topic.id}")
                if owner != f"a phrase of topic {topic.id}":
                    problems.append(problem(file, topic.id, f"phrases.{language}", f"{phrase!r} is also {owner}"))
    return problems
