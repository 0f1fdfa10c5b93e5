"""knowledge/lookalikes.yaml: the facts that tell look-alike statuses apart, and what `check` says of a bad file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from test_knowledge_validation import entry, write_kb

from bot.knowledge.loader import load_knowledge, validate_knowledge


def group(**statuses: Any) -> dict[str, Any]:
    return {"id": "pair", "statuses": statuses}


def facts(sv: list[str], en: list[str], against: dict[str, list[str]] | None = None) -> dict[str, Any]:
    found: dict[str, Any] = {"marks": {"sv": sv, "en": en}}
    if against:
        found["against"] = against
    return found


def write(folder: Path, content: object) -> None:
    text = content if isinstance(content, str) else yaml.safe_dump(content, allow_unicode=True, sort_keys=False)
    (folder / "lookalikes.yaml").write_text(text, encoding="utf-8")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return write_kb(tmp_path, {"alpha": entry("alpha"), "beta": entry("beta")}, ["alpha", "beta"])


def test_without_the_file_there_are_no_groups(folder):
    assert load_knowledge(folder).lookalikes == ()


def test_groups_load_with_their_marks_and_opposites(folder):
    write(folder, {"groups": [group(
        alpha=facts(["samma kund", "samma person"], ["same customer", "same person"], {"sv": ["kvar"], "en": ["yet"]}),
        beta=facts(["annan kund", "någon annan"], ["another customer", "someone else"]),
    )]})
    assert validate_knowledge(folder) == []
    (loaded,) = load_knowledge(folder).lookalikes
    alpha, beta = loaded.statuses
    assert alpha.status == "alpha" and alpha.marks.get("en") == ("same customer", "same person")
    assert alpha.against.get("sv") == ("kvar",)
    assert beta.against.get("en") == ()


@pytest.mark.parametrize(
    "content, says",
    [
        ("groups: [", "lookalikes.yaml"),
        ({"pairs": []}, "one key, groups"),
        ({"groups": [group(alpha=facts(["a", "b"], ["c", "d"]))]}, "two or more"),
        ({"groups": [group(alpha=facts(["a", "b"], ["c", "d"]), gamma=facts(["e", "f"], ["g", "h"]))]}, "gamma"),
        ({"groups": [group(alpha=facts(["a"], ["c", "d"]), beta=facts(["e", "f"], ["g", "h"]))]}, "marks.sv"),
        ({"groups": [group(alpha=facts(["a b c d e", "b"], ["c", "d"]), beta=facts(["e", "f"], ["g", "h"]))]},
         "one to 4 words"),
        ({"groups": [{"id": "Bad Id", "statuses": {}}]}, "must be a new id"),
        ({"groups": [group(alpha={"marks": {"sv": ["a", "b"], "en": ["c", "d"]}, "for": 1},
                           beta=facts(["e", "f"], ["g", "h"]))]}, "may have against"),
    ],
)
def test_a_bad_file_names_what_is_wrong(folder, content, says):
    write(folder, content)
    problems = validate_knowledge(folder)
    assert problems and any(says in line for line in problems), problems


def test_a_status_in_two_groups_is_refused(folder):
    pair = group(alpha=facts(["a", "b"], ["c", "d"]), beta=facts(["e", "f"], ["g", "h"]))
    write(folder, {"groups": [pair, {**pair, "id": "again"}]})
    assert any("already in a group" in line for line in validate_knowledge(folder))


def test_the_bundled_groups_name_real_statuses_in_both_languages():
    kb = load_knowledge()
    assert len(kb.lookalikes) >= 6
    for found in kb.lookalikes:
        for member in found.statuses:
            assert member.status in kb
            assert member.marks.get("sv") and member.marks.get("en")
