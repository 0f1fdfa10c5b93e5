"""The rules for knowledge/concepts.yaml: groups of words (both languages) that mean the same to the matcher."""

from __future__ import annotations

import re

from bot.knowledge.fields import (
    ID_PATTERN,
    LANGUAGES,
    WHOLE_FILE,
    check_named_list,
    localized_list,
    normalized,
    problem,
)
from bot.knowledge.model import Concept, LocalizedList

FILE_NAME = "concepts.yaml"
CONCEPT_FIELDS = ("id", "words")
# Fields a concept may leave out.
OPTIONAL_FIELDS = ("phrases",)
# Words per language and concept: (at least, at most). A concept needs a word in each language, so that
# Swedish and English questions meet the same statuses.
WORDS: tuple[int, int | None] = (1, 30)
# Phrases per language and concept, and words per phrase: a single word belongs under words, and a phrase
# longer than this is a sentence, which a question would hardly ever repeat.
PHRASES: tuple[int, int | None] = (1, 30)
PHRASE_WORDS = (2, 5)
# The matcher compares word by word, so a listed word with a space or hyphen could never be met.
_ONE_WORD = re.compile(r"[^\W_]+\Z")


def check_concepts(data: object, file: str) -> tuple[tuple[Concept, ...] | None, list[str]]:
    """The parsed file: its concepts when every one is valid, and every problem found."""
    concepts, problems = check_named_list(data, file, "concepts", "concept", _check_concept)
    problems.extend(_shared_words(concepts, file))
    return (tuple(concepts) if concepts and not problems else None), problems


def _check_concept(item: object, file: str, number: int) -> tuple[Concept | None, list[str]]:
    if not isinstance(item, dict):
        return None, [problem(file, f"concept {number}", WHOLE_FILE, "must be a mapping with id and words")]
    concept_id = item.get("id")
    owner = concept_id if isinstance(concept_id, str) and concept_id else f"concept {number}"
    allowed = CONCEPT_FIELDS + OPTIONAL_FIELDS
    problems = [
        problem(file, owner, str(key), f"unknown field (allowed: {', '.join(allowed)})")
        for key in item
        if key not in allowed
    ]
    problems.extend(problem(file, owner, key, "missing") for key in CONCEPT_FIELDS if key not in item)
    if "id" in item and not (isinstance(concept_id, str) and ID_PATTERN.match(concept_id)):
        problems.append(problem(file, owner, "id", f"{concept_id!r} is not a name of a-z, 0-9 and _"))
    words = None
    if "words" in item:
        words, found = localized_list(file, owner, "words", item["words"], WORDS)
        problems.extend(found)
        problems.extend(_not_single_words(item["words"], file, owner))
    phrases = LocalizedList((), ())
    if "phrases" in item:
        listed, found = localized_list(file, owner, "phrases", item["phrases"], PHRASES)
        problems.extend(found)
        problems.extend(_not_phrases(item["phrases"], file, owner))
        phrases = listed or phrases
    if problems or words is None:
        return None, problems
    if sum(len(words.get(language)) for language in LANGUAGES) < 2:
        return None, [problem(file, owner, "words", "a concept needs at least two words")]
    return Concept(id=owner, words=words, phrases=phrases), []


def _not_single_words(value: object, file: str, owner: str) -> list[str]:
    if not isinstance(value, dict):
        return []
    return [
        problem(file, owner, f"words.{language}", f"{word!r} must be letters and digits only")
        for language in LANGUAGES
        if isinstance(value.get(language), list)
        for word in value[language]
        if isinstance(word, str) and word.strip() and not _ONE_WORD.match(word.strip())
    ]


def _not_phrases(value: object, file: str, owner: str) -> list[str]:
    """Listed phrases that are not two to five words of letters and digits."""
    if not isinstance(value, dict):
        return []
    least, most = PHRASE_WORDS
    found = []
    for language in LANGUAGES:
        items = value.get(language)
        if not isinstance(items, list):
            continue
        for phrase in items:
            if not isinstance(phrase, str) or not phrase.strip():
                continue
            words = phrase.split()
            if not all(_ONE_WORD.match(word) for word in words):
                found.append(problem(file, owner, f"phrases.{language}", f"{phrase!r} must be letters and digits only"))
            elif not least <= len(words) <= most:
                wanted = f"{least} to {most} words"
                found.append(problem(file, owner, f"phrases.{language}", f"{phrase!r} must be {wanted}"))
    return found


def _shared_words(concepts: list[Concept], file: str) -> list[str]:
    """A word or phrase belongs to one concept only; otherwise two meanings would merge through it."""
    owners: dict[str, str] = {}
    problems: list[str] = []
    for concept in concepts:
        for field in ("words", "phrases"):
            for language in LANGUAGES:
                for word in getattr(concept, field).get(language):
                    owner = owners.setdefault(normalized(word), concept.id)
                    if owner != concept.id:
                        problems.append(
                            problem(file, concept.id, f"{field}.{language}", f"{word!r} is also in {owner}")
                        )
    return problems
