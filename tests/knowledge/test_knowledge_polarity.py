"""knowledge/polarity.yaml: optional delivery cues, validated like the rest, and the bundled one sound."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from test_knowledge_validation import entry, write_kb

from bot.knowledge.fields import normalized
from bot.knowledge.loader import KnowledgeError, load_knowledge, validate_knowledge
from bot.knowledge.polarity import GROUPS, MAX_CUE_WORDS, WORD_LISTS

FILE = "knowledge/polarity.yaml"


def cues(**changes: Any) -> dict[str, Any]:
    """A valid polarity file; `changes` replace whole fields."""
    data: dict[str, Any] = {
        "cues": {
            "delivered": {"sv": ["kom fram"], "en": ["arrived"]},
            "not_delivered": {"sv": ["stoppades"], "en": ["stopped"]},
            "pending": {"sv": ["på väg"], "en": ["on its way"]},
            "went_out": {"sv": ["skickades"], "en": ["sent"]},
        },
        "negations": {"sv": ["inte"], "en": ["not"]},
        "not_yet": {"sv": ["än"], "en": ["yet"]},
        "breaks": {"sv": ["men"], "en": ["but"]},
        "earlier": {"sv": ["redan"], "en": ["already"]},
    }
    data.update(changes)
    return data


def write_polarity(folder: Path, content: object) -> None:
    text = content if isinstance(content, str) else yaml.safe_dump(content, allow_unicode=True, sort_keys=False)
    (folder / "polarity.yaml").write_text(text, encoding="utf-8")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return write_kb(tmp_path, {"alpha": entry("alpha")}, ["alpha"])


def test_without_the_file_there_are_no_cues(folder):
    assert load_knowledge(folder).polarity is None


def test_the_cues_load_by_group_and_language(folder):
    write_polarity(folder, cues())
    assert validate_knowledge(folder) == []
    polarity = load_knowledge(folder).polarity
    assert polarity is not None
    assert polarity.delivered.get("sv") == ("kom fram",)
    assert polarity.not_delivered.get("en") == ("stopped",)
    assert polarity.went_out.get("en") == ("sent",)
    assert polarity.negations.get("sv") == ("inte",)
    assert polarity.earlier.get("en") == ("already",)


def test_every_problem_in_the_cues_is_reported(folder):
    data = cues(
        cues={
            "delivered": {"sv": ["kom fram", "kom-fram"], "en": ["arrived", "it did in the end arrive"]},
            "not_delivered": {"sv": ["stoppades"], "en": ["arrived"]},
            "pending": {"sv": ["på väg men"], "en": ["on its way"]},
            "maybe": {"sv": ["kanske"], "en": ["maybe"]},
        },
        negations={"sv": ["inte", "inte heller"], "en": ["yet"]},
        colour="red",
    )
    write_polarity(folder, data)
    assert validate_knowledge(folder) == [
        f"{FILE}: -: colour: unknown field "
        "(allowed: cues, negations, not_yet, breaks, earlier, also_pending, permission)",
        f"{FILE}: -: cues.maybe: unknown group (allowed: delivered, not_delivered, pending, went_out)",
        f"{FILE}: -: cues.went_out: missing",
        f"{FILE}: -: cues.delivered.sv: 'kom-fram' must be letters and digits only",
        f"{FILE}: -: cues.delivered.en: 'it did in the end arrive' must be at most {MAX_CUE_WORDS} words",
        f"{FILE}: -: cues.not_delivered.en: 'arrived' is also in delivered",
        f"{FILE}: -: negations.sv: 'inte heller' must be a single word",
        f"{FILE}: -: not_yet.en: 'yet' is also in negations",
        f"{FILE}: -: cues.pending.sv: 'på väg men' holds the clause break 'men'",
    ]
    with pytest.raises(KnowledgeError):
        load_knowledge(folder)


def test_statuses_that_also_read_as_pending_load_when_known_and_not_pending(tmp_path):
    folder = write_kb(
        tmp_path,
        {"alpha": entry("alpha"), "beta": entry("beta", category="pending")},
        ["alpha", "beta"],
    )
    write_polarity(folder, cues())
    polarity = load_knowledge(folder).polarity
    assert polarity is not None and polarity.also_pending == ()
    write_polarity(folder, cues(also_pending=["alpha"]))
    polarity = load_knowledge(folder).polarity
    assert polarity is not None and polarity.also_pending == ("alpha",)
    write_polarity(folder, cues(also_pending=["alpha", "alpha", "beta", "gamma", "Not An Id"]))
    assert validate_knowledge(folder) == [
        f"{FILE}: -: also_pending: 'alpha' is listed twice",
        f"{FILE}: -: also_pending: 'Not An Id' is not a status id (lower-case letters, digits and _)",
    ]
    write_polarity(folder, cues(also_pending=["alpha", "beta", "gamma"]))
    assert validate_knowledge(folder) == [
        f"{FILE}: -: also_pending: 'beta' is pending already",
        f"{FILE}: -: also_pending: 'gamma' is not a known status",
    ]
    write_polarity(folder, cues(also_pending="alpha"))
    assert validate_knowledge(folder) == [f"{FILE}: -: also_pending: must be a list of status ids"]


def test_permission_words_are_optional_single_words_of_their_own(folder):
    write_polarity(folder, cues())
    polarity = load_knowledge(folder).polarity
    assert polarity is not None and polarity.permission.en == ()
    write_polarity(folder, cues(permission={"sv": ["får"], "en": ["allowed"]}))
    polarity = load_knowledge(folder).polarity
    assert polarity is not None and polarity.permission.sv == ("får",)
    write_polarity(folder, cues(permission={"sv": ["får inte"], "en": ["not"]}))
    assert validate_knowledge(folder) == [
        f"{FILE}: -: permission.sv: 'får inte' must be a single word",
        f"{FILE}: -: permission.en: 'not' is also in negations",
    ]


def test_a_cue_holding_a_clause_break_is_refused(folder):
    data = cues()
    data["cues"]["pending"] = {"sv": ["på väg men"], "en": ["on its way"]}
    write_polarity(folder, data)
    assert validate_knowledge(folder) == [f"{FILE}: -: cues.pending.sv: 'på väg men' holds the clause break 'men'"]


def test_a_bare_no_that_yaml_reads_as_false_is_caught(folder):
    data = cues()
    write_polarity(folder, yaml.safe_dump(data, allow_unicode=True).replace("- not", "- no"))
    problems = validate_knowledge(folder)
    assert problems == [f"{FILE}: -: negations.en[1]: must be a non-empty string, found true/false"]


@pytest.mark.parametrize("content", ["cues: [\n", "- just\n- a list\n"])
def test_a_broken_file_is_one_clear_problem(folder, content):
    write_polarity(folder, content)
    problems = validate_knowledge(folder)
    assert len(problems) == 1
    assert problems[0].startswith(f"{FILE}: -: ")


def test_missing_fields_are_each_named(folder):
    write_polarity(folder, {"cues": cues()["cues"]})
    assert validate_knowledge(folder) == [f"{FILE}: -: {field}: missing" for field in WORD_LISTS]


def test_the_bundled_cues_span_both_languages_and_say_one_thing_each():
    polarity = load_knowledge().polarity
    assert polarity is not None
    seen: dict[tuple[str, str], str] = {}
    for group in GROUPS:
        phrases = getattr(polarity, group)
        assert phrases.sv and phrases.en, group
        for language in ("sv", "en"):
            for phrase in phrases.get(language):
                assert seen.setdefault((language, normalized(phrase)), group) == group, phrase
    # The usual negations are there in both languages.
    assert {"inte", "aldrig", "ej"} <= set(polarity.negations.sv)
    assert {"not", "never", "hasnt", "didnt"} <= set(polarity.negations.en)
    assert {"än", "ännu"} <= set(polarity.not_yet.sv) and "yet" in polarity.not_yet.en
