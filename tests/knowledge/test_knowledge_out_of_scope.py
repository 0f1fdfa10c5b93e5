"""knowledge/out_of_scope.yaml: optional, validated like the statuses, and the bundled one broad in both languages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from test_knowledge_validation import entry, write_kb

from bot.knowledge.fields import normalized
from bot.knowledge.loader import KnowledgeError, load_knowledge, validate_knowledge


def topic(topic_id: str, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": topic_id,
        "phrases": {
            "sv": [f"{topic_id} svensk fras {n}" for n in range(3)],
            "en": [f"{topic_id} english phrase {n}" for n in range(3)],
        },
        "keywords": {"sv": [f"{topic_id}ord"], "en": [f"{topic_id}word"]},
    }
    data.update(changes)
    return data


def write_topics(folder: Path, content: object) -> None:
    text = content if isinstance(content, str) else yaml.safe_dump(content, allow_unicode=True, sort_keys=False)
    (folder / "out_of_scope.yaml").write_text(text, encoding="utf-8")


def test_without_the_file_there_are_no_topics(tmp_path):
    folder = write_kb(tmp_path, {"alpha": entry("alpha")}, ["alpha"])
    assert validate_knowledge(folder) == []
    assert load_knowledge(folder).out_of_scope == ()


def test_topics_load_in_file_order_next_to_the_statuses(tmp_path):
    folder = write_kb(tmp_path, {"alpha": entry("alpha")}, ["alpha"])
    write_topics(folder, {"topics": [topic("billing"), topic("greetings")]})
    assert validate_knowledge(folder) == []
    knowledge = load_knowledge(folder)
    assert [t.id for t in knowledge.out_of_scope] == ["billing", "greetings"]
    assert knowledge.out_of_scope[0].phrases.get("en")[0] == "billing english phrase 0"
    assert knowledge.out_of_scope[1].keywords.get("sv") == ("greetingsord",)
    assert knowledge.ids == ("alpha",)  # topics are not statuses


def test_every_problem_in_the_topics_is_reported(tmp_path):
    folder = write_kb(tmp_path, {"alpha": entry("alpha")}, ["alpha"])
    short = topic("short")
    short["phrases"]["en"] = ["only one"]
    short["keywords"]["sv"] = ["två ord"]
    write_topics(
        folder,
        {
            "topics": [
                short,
                topic("fine"),
                topic("Bad Name", keywords={"sv": ["ord"], "en": ["word"]}),
                topic("twice"),
                topic("twice"),
                {"phrases": topic("x")["phrases"], "colour": "red"},
            ],
            "extra": 1,
        },
    )
    problems = validate_knowledge(folder)
    file = "knowledge/out_of_scope.yaml"
    expected = [
        f"{file}: -: extra: unknown field (allowed: topics)",
        f"{file}: short: phrases.en: has 1 item, needs at least 3",
        f"{file}: short: keywords.sv: 'två ord' must be a single word or word stem",
        f"{file}: Bad Name: id: 'Bad Name' is not a name of a-z, 0-9 and _",
        f"{file}: twice: id: used by more than one topic",
        f"{file}: topic 6: colour: unknown field (allowed: id, phrases, keywords)",
        f"{file}: topic 6: id: missing",
        f"{file}: topic 6: keywords: missing",
    ]
    assert problems == expected
    with pytest.raises(KnowledgeError):
        load_knowledge(folder)


def test_a_topic_may_not_share_an_id_or_a_phrase_with_a_status(tmp_path):
    folder = write_kb(tmp_path, {"alpha": entry("alpha")}, ["alpha"])
    clash = topic("clash")
    clash["phrases"]["en"][0] = "ALPHA phrase number 3"
    clash["phrases"]["sv"][0] = "Ej levererad – alpha"
    copied = topic("copied")
    copied["phrases"]["en"][1] = "Clash english phrase 1"
    write_topics(folder, {"topics": [topic("alpha"), clash, copied]})
    file = "knowledge/out_of_scope.yaml"
    assert validate_knowledge(folder) == [
        f"{file}: alpha: id: is the id of a status",
        f"{file}: clash: phrases.sv: 'Ej levererad – alpha' is also the label of alpha",
        f"{file}: clash: phrases.en: 'ALPHA phrase number 3' is also a phrase of alpha",
        f"{file}: copied: phrases.en: 'Clash english phrase 1' is also a phrase of topic clash",
    ]


@pytest.mark.parametrize("content", ["topics: [\n", "- just\n- a list\n", "topics: []\n"])
def test_a_broken_file_is_one_clear_problem(tmp_path, content):
    folder = write_kb(tmp_path, {"alpha": entry("alpha")}, ["alpha"])
    write_topics(folder, content)
    problems = validate_knowledge(folder)
    assert len(problems) == 1
    assert problems[0].startswith("knowledge/out_of_scope.yaml: -: ")


def test_the_bundled_topics_are_broad_and_in_both_languages():
    topics = load_knowledge().out_of_scope
    assert len(topics) >= 12
    for language in ("sv", "en"):
        phrases = [normalized(p) for t in topics for p in t.phrases.get(language)]
        assert len(phrases) >= 60
        assert len(set(phrases)) == len(phrases)
        assert all(len(t.phrases.get(language)) >= 3 and t.keywords.get(language) for t in topics)
