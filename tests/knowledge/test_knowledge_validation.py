"""Broken knowledge bases: every problem is reported at once, one line naming file, status id and field."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.knowledge.loader import KnowledgeError, load_knowledge, validate_knowledge
from bot.knowledge.model import Actor, Category
from bot.paths import data_dir

# Steps that say what each action stands for, so a fixture passes the advice check unless a test breaks it.
STEPS_FOR_ACTION: dict[str, dict[str, list[str]]] = {
    "resend_after_fix": {"sv": ["Rätta orsaken.", "Skicka sedan inbjudan på nytt."],
                         "en": ["Fix the cause.", "Then send the invitation again."]},
    "retries_automatically": {"sv": ["Vänta.", "Systemet försöker automatiskt igen."],
                              "en": ["Wait.", "The system tries again automatically."]},
    "new_invitation_other_address": {"sv": ["Be om en annan adress.", "Skicka en ny inbjudan dit."],
                                     "en": ["Ask for another address.", "Send a new invitation to it."]},
    "do_not_send_again": {"sv": ["Skicka inte inbjudan igen.", "Kontakta supportteamet."],
                          "en": ["Don't send the invitation again.", "Contact the support team."]},
    "nothing_to_do": {"sv": ["Du behöver inte göra något.", "Vänta."],
                      "en": ["You don't need to do anything.", "Wait."]},
}
# The help articles every fixture status names (write_kb writes them to sources.yaml).
SOURCES = [
    {"id": "overview_sv", "title": "Översikt", "language": "sv", "url": "https://help.example/sv/1"},
    {"id": "overview_en", "title": "Overview", "language": "en", "url": "https://help.example/en/1"},
]


def entry(status_id: str, **changes: Any) -> dict[str, Any]:
    """A valid entry whose texts are made unique by the id; `changes` replace whole fields."""
    data: dict[str, Any] = {
        "id": status_id,
        "category": "not_delivered",
        "actor": "merchant",
        "action": "resend_after_fix",
        "related": [],
        "sources": ["overview_sv", "overview_en"],
        "label": {"sv": f"Ej levererad – {status_id}", "en": f"Not delivered - {status_id}"},
        "meaning": {"sv": f"Betydelsen av {status_id}.", "en": f"What {status_id} means."},
        "cause": {"sv": f"Orsaken till {status_id}.", "en": f"Why {status_id} happens."},
        "phrases": {
            "sv": [f"{status_id} fras nummer {n}" for n in range(10)],
            "en": [f"{status_id} phrase number {n}" for n in range(10)],
        },
        "keywords": {"sv": [f"{status_id}{n}" for n in range(3)], "en": [f"{status_id}x{n}" for n in range(3)]},
    }
    if changes.get("category", "not_delivered") != "not_delivered":
        # A pending or delivered status has nothing to fix or resend; tests that want otherwise say so.
        data.update(actor="nobody", action="nothing_to_do")
    data.update(changes)
    if "steps" not in changes:
        action = data["action"] if data["action"] in STEPS_FOR_ACTION else "resend_after_fix"
        data["steps"] = {language: list(steps) for language, steps in STEPS_FOR_ACTION[action].items()}
    # The file's field order, as the real ones have it.
    order = ["id", "category", "actor", "action", "related", "sources", "label", "meaning", "cause", "steps"]
    return {key: data[key] for key in order if key in data} | data


def write_kb(
    root: Path,
    entries: dict[str, dict[str, Any] | str],
    index: list[str] | str,
    sources: list[dict[str, Any]] | str | None = None,
) -> Path:
    """A knowledge folder at root/knowledge; strings are written as they are (to break the YAML itself).

    `sources` is the content of sources.yaml (default: the two articles every fixture names).
    """
    folder = root / "knowledge"
    (folder / "statuses").mkdir(parents=True)
    text = index if isinstance(index, str) else yaml.safe_dump({"statuses": index})
    (folder / "index.yaml").write_text(text, encoding="utf-8")
    articles = SOURCES if sources is None else sources
    text = articles if isinstance(articles, str) else yaml.safe_dump({"sources": articles}, allow_unicode=True)
    (folder / "sources.yaml").write_text(text, encoding="utf-8")
    for name, content in entries.items():
        text = content if isinstance(content, str) else yaml.safe_dump(content, allow_unicode=True, sort_keys=False)
        (folder / "statuses" / f"{name}.yaml").write_text(text, encoding="utf-8")
    return folder


def test_a_sound_knowledge_base_loads_in_index_order(tmp_path):
    folder = write_kb(
        tmp_path,
        {"alpha": entry("alpha", related=["beta"]),
         "beta": entry("beta", category="pending", actor="nobody", action="nothing_to_do")},
        ["beta", "alpha"],
    )
    assert validate_knowledge(folder) == []
    knowledge = load_knowledge(folder)
    assert knowledge.ids == ("beta", "alpha")
    beta = knowledge.get("beta")
    assert beta is not None
    assert beta.category is Category.PENDING and beta.actor is Actor.NOBODY
    alpha = knowledge.get("alpha")
    assert alpha is not None
    assert alpha.related == ("beta",)
    assert alpha.steps.get("sv") == ("Rätta orsaken.", "Skicka sedan inbjudan på nytt.")
    assert [source.id for source in alpha.sources] == ["overview_sv", "overview_en"]
    assert alpha.read_more("en") == knowledge.sources[1] and alpha.read_more("sv") == knowledge.sources[0]
    assert alpha.label.get("en") == "Not delivered - alpha"


def test_many_kinds_of_breakage_are_all_reported_at_once(tmp_path):
    broken_fields = entry("fields", category="lost", actor="robot", action="maybe", colour="blue")
    del broken_fields["cause"]
    broken_fields["steps"] = {"sv": ["Gör så."] * 1, "en": []}
    broken_fields["label"] = {"sv": "  ", "en": "Not delivered - fields", "de": "Nicht zugestellt"}
    broken_fields["keywords"] = {"sv": ["två ord", "ett", "ett"], "en": ["a", "b", 3]}

    mismatched = entry("mismatch", id="other", related=["nowhere", "mismatch"])
    mismatched["phrases"] = {
        "sv": ["samma fras", "Samma  FRAS", *[f"fras {n}" for n in range(8)], "Ej levererad – mismatch"],
        "en": [f"phrase {n}" for n in range(9)],
    }

    first = entry("first", phrases={"sv": [f"delad {n}" for n in range(10)], "en": entry("first")["phrases"]["en"]})
    second = entry("second", label={"sv": "EJ LEVERERAD – FIRST", "en": "Not delivered - second"})
    second["phrases"]["sv"][0] = "Delad 0"

    folder = write_kb(
        tmp_path,
        {
            "syntax": "id: syntax\ncategory: [pending\nactor: nobody\n",
            "fields": broken_fields,
            "mismatch": mismatched,
            "first": first,
            "second": second,
            "unlisted": entry("unlisted"),
            "twice": "id: twice\nid: twice\n",
        },
        ["syntax", "fields", "mismatch", "first", "second", "first", "ghost", "twice"],
    )

    problems = validate_knowledge(folder)
    expected = [
        "knowledge/index.yaml: first: statuses: listed 2 times, list it once",
        "knowledge/index.yaml: ghost: statuses: listed, but knowledge/statuses/ghost.yaml does not exist",
        "knowledge/statuses/unlisted.yaml: unlisted: (file): not listed in knowledge/index.yaml",
        "knowledge/statuses/fields.yaml: fields: colour: unknown field (allowed: id, category, actor, action, "
        "related, sources, label, meaning, cause, steps, phrases, keywords)",
        "knowledge/statuses/fields.yaml: fields: cause: missing",
        "knowledge/statuses/fields.yaml: fields: category: must be one of pending, delivered, not_delivered, "
        "found 'lost'",
        "knowledge/statuses/fields.yaml: fields: actor: must be one of nobody, merchant, recipient, support, "
        "found 'robot'",
        "knowledge/statuses/fields.yaml: fields: action: must be one of resend_after_fix, retries_automatically, "
        "new_invitation_other_address, do_not_send_again, nothing_to_do, found 'maybe'",
        "knowledge/statuses/fields.yaml: fields: label.de: unknown language (allowed: sv, en)",
        "knowledge/statuses/fields.yaml: fields: label.sv: must be a non-empty string, found an empty string",
        "knowledge/statuses/fields.yaml: fields: steps.sv: has 1 item, needs 2 to 6",
        "knowledge/statuses/fields.yaml: fields: steps.en: must be a non-empty list of strings, found an empty list",
        "knowledge/statuses/fields.yaml: fields: keywords.sv: 'ett' appears more than once",
        "knowledge/statuses/fields.yaml: fields: keywords.sv: 'två ord' must be a single word or word stem",
        "knowledge/statuses/fields.yaml: fields: keywords.en[3]: must be a non-empty string, found a number",
        "knowledge/statuses/mismatch.yaml: mismatch: id: 'other' does not match the file name (mismatch.yaml)",
        "knowledge/statuses/mismatch.yaml: mismatch: related: must not name the status itself",
        "knowledge/statuses/mismatch.yaml: mismatch: related: 'nowhere' is not a known status",
        "knowledge/statuses/mismatch.yaml: mismatch: phrases.sv: 'Samma  FRAS' appears more than once",
        "knowledge/statuses/mismatch.yaml: mismatch: phrases.sv: must not repeat the label itself",
        "knowledge/statuses/mismatch.yaml: mismatch: phrases.en: has 9 items, needs at least 10",
        "knowledge/statuses/second.yaml: second: label.sv: 'EJ LEVERERAD – FIRST' is also the label of first",
        "knowledge/statuses/second.yaml: second: phrases.sv: 'Delad 0' is also a phrase of first",
    ]
    for line in expected:
        assert line in problems
    syntax = [p for p in problems if p.startswith("knowledge/statuses/syntax.yaml: syntax: (file): YAML syntax")]
    assert len(syntax) == 1 and "line 3" in syntax[0], problems
    twice = [p for p in problems if p.startswith("knowledge/statuses/twice.yaml: twice: (file): YAML syntax")]
    assert len(twice) == 1 and "line 2" in twice[0] and "'id' appears twice" in twice[0], problems
    # Nothing beyond the listed breakage is reported, and nothing twice.
    assert len(problems) == len(expected) + 2 == len(set(problems))

    with pytest.raises(KnowledgeError) as raised:
        load_knowledge(folder)
    assert raised.value.problems == problems
    assert all(line in str(raised.value) for line in problems)


def test_files_that_cannot_be_read_as_entries_are_reported(tmp_path):
    folder = write_kb(
        tmp_path,
        {"empty": "", "listing": "- just\n- a list\n", "nested": entry("nested")},
        ["empty", "listing", "nested", "latin"],
    )
    (folder / "statuses" / "latin.yaml").write_bytes(
        "id: latin\nlabel: {sv: 'Ej levererad, på väg'}\n".encode("latin-1")
    )
    (folder / "statuses" / "stray.yml").write_text("id: stray\n", encoding="utf-8")
    (folder / "statuses" / "Bad-Name.yaml").write_text(yaml.safe_dump(entry("Bad-Name")), encoding="utf-8")

    problems = validate_knowledge(folder)
    assert "knowledge/statuses/empty.yaml: empty: (file): is empty" in problems
    assert "knowledge/statuses/listing.yaml: listing: (file): must be a mapping of fields, found a list" in problems
    assert any(p.startswith("knowledge/statuses/latin.yaml: latin: (file): not valid UTF-8") for p in problems)
    assert "knowledge/statuses/stray.yml: stray: (file): unexpected; entries are files named <id>.yaml" in problems
    assert (
        "knowledge/statuses/Bad-Name.yaml: Bad-Name: (file): the name must be the status id (a-z, 0-9 and _)"
        in problems
    )
    assert not any(p.startswith("knowledge/statuses/nested.yaml") for p in problems)


def test_a_broken_or_missing_index_is_reported(tmp_path):
    folder = write_kb(tmp_path, {"alpha": entry("alpha")}, "statuses: [alpha\n")
    problems = validate_knowledge(folder)
    assert len(problems) == 1
    assert problems[0].startswith("knowledge/index.yaml: -: (file): YAML syntax error at line 2")

    (folder / "index.yaml").write_text("statuses: alpha\nextra: 1\n", encoding="utf-8")
    assert validate_knowledge(folder) == [
        "knowledge/index.yaml: -: extra: unknown field (allowed: statuses)",
        "knowledge/index.yaml: -: statuses: must be a non-empty list of status ids, found a string",
    ]

    (folder / "index.yaml").unlink()
    problems = validate_knowledge(folder)
    assert len(problems) == 1 and problems[0].startswith("knowledge/index.yaml: -: (file): cannot be read")

    with pytest.raises(KnowledgeError) as raised:
        load_knowledge(tmp_path / "nowhere")
    assert raised.value.problems == [f"nowhere: -: (file): no such folder: {tmp_path / 'nowhere'}"]


def test_a_broken_copy_of_the_real_knowledge_base_names_file_id_and_field(tmp_path):
    folder = tmp_path / "knowledge"
    shutil.copytree(data_dir("knowledge"), folder)
    spf = folder / "statuses" / "spf_failure.yaml"
    data = yaml.safe_load(spf.read_text(encoding="utf-8"))
    data["steps"]["en"] = []
    data["phrases"]["sv"].append(load_knowledge().get("queued").phrases.sv[0])  # type: ignore[union-attr]
    spf.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    (folder / "statuses" / "sending.yaml").unlink()

    problems = validate_knowledge(folder)
    assert (
        "knowledge/statuses/spf_failure.yaml: spf_failure: steps.en: must be a non-empty list of strings, "
        "found an empty list" in problems
    )
    assert any(p.startswith("knowledge/statuses/spf_failure.yaml: spf_failure: phrases.sv: ") for p in problems)
    assert "knowledge/index.yaml: sending: statuses: listed, but knowledge/statuses/sending.yaml does not exist" in (
        problems
    )
    assert "knowledge/statuses/queued.yaml: queued: related: 'sending' is not a known status" in problems


def test_an_action_must_agree_with_who_acts_and_the_category(tmp_path):
    folder = write_kb(
        tmp_path,
        {
            # "Resend after a fix", with nobody to make the fix: the advice would contradict itself.
            "nobody_fixes": entry("nobody_fixes", actor="nobody", action="resend_after_fix"),
            # A retry by the system leaves nothing for the merchant to do.
            "retry": entry("retry", actor="merchant", action="retries_automatically"),
            # A delivered invitation has nothing to resend.
            "arrived": entry("arrived", category="delivered", actor="nobody", action="resend_after_fix"),
            "fine": entry("fine", actor="merchant", action="new_invitation_other_address"),
        },
        ["nobody_fixes", "retry", "arrived", "fine"],
    )
    assert validate_knowledge(folder) == [
        "knowledge/statuses/arrived.yaml: arrived: actor: 'nobody' cannot go with the action resend_after_fix "
        "(allowed: merchant, support)",
        "knowledge/statuses/arrived.yaml: arrived: action: 'resend_after_fix' does not fit a delivered status "
        "(allowed: nothing_to_do, do_not_send_again)",
        "knowledge/statuses/nobody_fixes.yaml: nobody_fixes: actor: 'nobody' cannot go with the action "
        "resend_after_fix (allowed: merchant, support)",
        "knowledge/statuses/retry.yaml: retry: actor: 'merchant' cannot go with the action retries_automatically "
        "(allowed: nobody)",
    ]
