"""The rules for knowledge/sources.yaml: the help articles explanations rely on, and which status uses which."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace

from bot.knowledge.fields import ID_PATTERN, LANGUAGES, WHOLE_FILE, check_named_list, problem
from bot.knowledge.model import Source, StatusEntry
from bot.knowledge.schema import source_ids

FILE_NAME = "sources.yaml"
SOURCE_FIELDS = ("id", "title", "language", "url")
# A public https address, nothing a chat message could read as markup (spaces, <, >, |).
_URL = re.compile(r"https://[^\s<>|\"]+\Z")


def check_sources(data: object, file: str) -> tuple[dict[str, Source] | None, list[str]]:
    """The parsed file: its sources by id when every one is valid, and every problem found."""
    sources, problems = check_named_list(data, file, "sources", "source", _check_source)
    if problems or not sources:
        return None, problems
    return {source.id: source for source in sources}, []


def _check_source(item: object, file: str, number: int) -> tuple[Source | None, list[str]]:
    if not isinstance(item, dict):
        return None, [problem(file, f"source {number}", WHOLE_FILE, "must be a mapping with id, title, language, url")]
    source_id = item.get("id")
    owner = source_id if isinstance(source_id, str) and source_id else f"source {number}"
    problems = [
        problem(file, owner, str(key), f"unknown field (allowed: {', '.join(SOURCE_FIELDS)})")
        for key in item
        if key not in SOURCE_FIELDS
    ]
    problems.extend(problem(file, owner, key, "missing") for key in SOURCE_FIELDS if key not in item)
    if "id" in item and not (isinstance(source_id, str) and ID_PATTERN.match(source_id)):
        problems.append(problem(file, owner, "id", f"{source_id!r} is not a name of a-z, 0-9 and _"))
    title, language, url = item.get("title"), item.get("language"), item.get("url")
    if "title" in item and not (isinstance(title, str) and title.strip()):
        problems.append(problem(file, owner, "title", "must be a non-empty string"))
    if "language" in item and language not in LANGUAGES:
        problems.append(problem(file, owner, "language", f"must be one of {', '.join(LANGUAGES)}, found {language!r}"))
    if "url" in item and not (isinstance(url, str) and _URL.match(url)):
        problems.append(problem(file, owner, "url", f"must be an https:// address without spaces, found {url!r}"))
    if problems:
        return None, problems
    assert isinstance(title, str) and isinstance(language, str) and isinstance(url, str)
    return Source(id=owner, title=title.strip(), language=language, url=url), []


def check_against_statuses(
    sources: Mapping[str, Source], file: str, raw: Mapping[str, object], files: Mapping[str, str]
) -> list[str]:
    """Every source a status names exists, every status has one in each language (its read-more link), and
    every source is used by some status."""
    problems: list[str] = []
    used: set[str] = set()
    for stem, data in raw.items():
        if not isinstance(data, dict) or "sources" not in data:
            continue
        named = source_ids(data["sources"])
        if not named:
            # An empty or malformed list is reported with the status's own fields.
            continue
        used.update(named)
        for source_id in named:
            if source_id not in sources:
                problems.append(problem(files[stem], stem, "sources", f"{source_id!r} is not a source in {file}"))
        languages = {sources[source_id].language for source_id in named if source_id in sources}
        problems.extend(
            problem(files[stem], stem, "sources", f"names no source in {language} (its '{language}' answer's link)")
            for language in LANGUAGES
            if language not in languages
        )
    problems.extend(
        problem(file, source_id, WHOLE_FILE, "no status uses this source")
        for source_id in sources
        if source_id not in used
    )
    return problems


def with_sources(entry: StatusEntry, data: object, sources: Mapping[str, Source]) -> StatusEntry:
    """The entry with the sources its file names, resolved, in the file's order."""
    named = source_ids(data.get("sources") if isinstance(data, dict) else None)
    return replace(entry, sources=tuple(sources[source_id] for source_id in named if source_id in sources))
