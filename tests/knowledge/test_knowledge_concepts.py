"""knowledge/concepts.yaml: optional word groups, validated like the rest, and the bundled one sound."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from test_knowledge_validation import entry, write_kb

from bot.knowledge.fields import normalized
from bot.knowledge.loader import KnowledgeError, load_knowledge, validate_knowledge

FILE = "knowledge/concepts.yaml"


def write_concepts(folder: Path, content: object) -> None:
    text = content if isinstance(content, str) else yaml.safe_dump(content, allow_unicode=True, sort_keys=False)
    (folder / "concepts.yaml").write_text(text, encoding="utf-8")


def concept(concept_id: str, sv: list[str], en: list[str]) -> dict[str, object]:
    return {"id": concept_id, "words": {"sv": sv, "en": en}}


def test_without_the_file_there_are_no_concepts(tmp_path):
    folder = write_kb(tmp_path, {"alpha": entry("alpha")}, ["alpha"])
    assert load_knowledge(folder).concepts == ()


def test_concepts_load_in_file_order(tmp_path):
    folder = write_kb(tmp_path, {"alpha": entry("alpha")}, ["alpha"])
    groups = [concept("bounce", ["studsade"], ["bounced"]), concept("spam", ["skräp"], ["junk"])]
    write_concepts(folder, {"concepts": groups})
    assert validate_knowledge(folder) == []
    concepts = load_knowledge(folder).concepts
    assert [c.id for c in concepts] == ["bounce", "spam"]
    assert concepts[0].words.get("sv") == ("studsade",)
    assert concepts[1].words.get("en") == ("junk",)


def test_every_problem_in_the_concepts_is_reported(tmp_path):
    folder = write_kb(tmp_path, {"alpha": entry("alpha")}, ["alpha"])
    write_concepts(
        folder,
        {
            "concepts": [
                concept("fine", ["ord"], ["word"]),
                concept("spaced", ["två ord"], ["opt-out"]),
                concept("Bad Name", ["a"], ["b"]),
                concept("twice", ["c"], ["d"]),
                concept("twice", ["e"], ["f"]),
                concept("shared", ["ORD"], ["g"]),
                {"id": "nowords", "colour": "red"},
                concept("empty", [], ["h"]),
            ],
            "extra": 1,
        },
    )
    assert validate_knowledge(folder) == [
        f"{FILE}: -: extra: unknown field (allowed: concepts)",
        f"{FILE}: spaced: words.sv: 'två ord' must be letters and digits only",
        f"{FILE}: spaced: words.en: 'opt-out' must be letters and digits only",
        f"{FILE}: Bad Name: id: 'Bad Name' is not a name of a-z, 0-9 and _",
        f"{FILE}: twice: id: used by more than one concept",
        f"{FILE}: nowords: colour: unknown field (allowed: id, words, phrases)",
        f"{FILE}: nowords: words: missing",
        f"{FILE}: empty: words.sv: must be a non-empty list of strings, found an empty list",
        f"{FILE}: shared: words.sv: 'ORD' is also in fine",
    ]
    with pytest.raises(KnowledgeError):
        load_knowledge(folder)


@pytest.mark.parametrize("content", ["concepts: [\n", "- just\n- a list\n", "concepts: []\n"])
def test_a_broken_file_is_one_clear_problem(tmp_path, content):
    folder = write_kb(tmp_path, {"alpha": entry("alpha")}, ["alpha"])
    write_concepts(folder, content)
    problems = validate_knowledge(folder)
    assert len(problems) == 1
    assert problems[0].startswith(f"{FILE}: -: ")


def test_the_bundled_concepts_span_both_languages_and_never_share_a_word():
    concepts = load_knowledge().concepts
    assert len(concepts) >= 20
    seen: set[str] = set()
    for group in concepts:
        assert group.words.sv and group.words.en, group.id
        for language in ("sv", "en"):
            for word in group.words.get(language):
                assert normalized(word) not in seen or word in group.words.get("sv" if language == "en" else "en")
                seen.add(normalized(word))


def test_phrases_are_optional_and_checked(tmp_path):
    folder = write_kb(tmp_path, {"alpha": entry("alpha")}, ["alpha"])
    quiet = {**concept("quiet", ["tyst"], ["quiet"]), "phrases": {"sv": ["sluta mejla"], "en": ["stop emailing"]}}
    write_concepts(folder, {"concepts": [concept("bounce", ["studsade"], ["bounced"]), quiet]})
    assert validate_knowledge(folder) == []
    concepts = load_knowledge(folder).concepts
    assert concepts[0].phrases.get("en") == ()
    assert concepts[1].phrases.get("sv") == ("sluta mejla",)
    bad = {
        **concept("loud", ["hög"], ["loud"]),
        "phrases": {"sv": ["ensam", "sluta mejla"], "en": ["stop e-mailing", "one two three four five six"]},
    }
    write_concepts(folder, {"concepts": [quiet, bad]})
    assert validate_knowledge(folder) == [
        f"{FILE}: loud: phrases.sv: 'ensam' must be 2 to 5 words",
        f"{FILE}: loud: phrases.en: 'stop e-mailing' must be letters and digits only",
        f"{FILE}: loud: phrases.en: 'one two three four five six' must be 2 to 5 words",
    ]
    shared = {**concept("loud", ["hög"], ["loud"]), "phrases": {"sv": ["Sluta mejla"], "en": ["shout at"]}}
    write_concepts(folder, {"concepts": [quiet, shared]})
    assert validate_knowledge(folder) == [f"{FILE}: loud: phrases.sv: 'Sluta mejla' is also in quiet"]
