"""Rules that span files: index against files, related ids, unique labels and phrases across statuses."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.knowledge.fields import LANGUAGES, WHOLE_FILE, normalized, problem


def _language_items(data: object, field: str, language: str) -> list[str]:
    """The strings under data[field][language], ignoring anything malformed (reported elsewhere)."""
    if not isinstance(data, dict):
        return []
    value = data.get(field)
    if not isinstance(value, dict):
        return []
    items = value.get(language)
    if isinstance(items, str):
        return [items]
    if isinstance(items, list):
        return [item for item in items if isinstance(item, str) and item.strip()]
    return []


def check_index_against_files(
    index_ids: Sequence[str], index_file: str, files: Mapping[str, str], statuses_folder: str
) -> list[str]:
    """Every listed id has a file and every file is listed."""
    problems = [
        problem(index_file, status_id, "statuses", f"listed, but {statuses_folder}/{status_id}.yaml does not exist")
        for status_id in index_ids
        if status_id not in files
    ]
    listed = set(index_ids)
    problems.extend(
        problem(file, stem, WHOLE_FILE, f"not listed in {index_file}")
        for stem, file in files.items()
        if stem not in listed
    )
    return problems


def check_related(entries: Mapping[str, object], files: Mapping[str, str]) -> list[str]:
    """Related ids must name statuses that have a file."""
    problems: list[str] = []
    for stem, data in entries.items():
        related = data.get("related") if isinstance(data, dict) else None
        if not isinstance(related, list):
            continue
        problems.extend(
            problem(files[stem], stem, "related", f"{target!r} is not a known status")
            for target in related
            if isinstance(target, str) and target != stem and target not in files
        )
    return problems


def check_unique_texts(entries: Mapping[str, object], files: Mapping[str, str]) -> list[str]:
    """A label names one status only, and a phrase points to one status only (and is nobody's label)."""
    problems: list[str] = []
    label_owner: dict[str, str] = {}
    for stem, data in entries.items():
        for language in LANGUAGES:
            for label in _language_items(data, "label", language):
                owner = label_owner.setdefault(normalized(label), stem)
                if owner != stem:
                    problems.append(
                        problem(files[stem], stem, f"label.{language}", f"{label!r} is also the label of {owner}")
                    )
    for language in LANGUAGES:
        phrase_owner: dict[str, str] = {}
        for stem, data in entries.items():
            for phrase in _language_items(data, "phrases", language):
                key = normalized(phrase)
                field = f"phrases.{language}"
                label_of = label_owner.get(key)
                if label_of is not None and label_of != stem:
                    problems.append(problem(files[stem], stem, field, f"{phrase!r} is the label of {label_of}"))
                owner = phrase_owner.setdefault(key, stem)
                if owner != stem:
                    problems.append(problem(files[stem], stem, field, f"{phrase!r} is also a phrase of {owner}"))
    return problems
