"""Sources and advice in the knowledge base: every status backed by an article, no text against its action."""

from __future__ import annotations

import pytest
from test_knowledge_validation import SOURCES, STEPS_FOR_ACTION, entry, write_kb

from bot.knowledge.loader import load_knowledge, validate_knowledge


def steps(sv: list[str], en: list[str]) -> dict[str, list[str]]:
    return {"sv": sv, "en": en}


def test_every_status_needs_a_known_source_in_each_language_and_every_source_a_user(tmp_path):
    unused = {"id": "lonely", "title": "Nobody's", "language": "en", "url": "https://help.example/en/2"}
    folder = write_kb(
        tmp_path,
        {
            "none": entry("none", sources=[]),
            "swedish_only": entry("swedish_only", sources=["overview_sv"]),
            "ghost": entry("ghost", sources=["overview_sv", "overview_en", "nowhere"]),
            "twice": entry("twice", sources=["overview_sv", "overview_en", "overview_sv"]),
            "missing": {k: v for k, v in entry("missing").items() if k != "sources"},
        },
        ["none", "swedish_only", "ghost", "twice", "missing"],
        sources=[*SOURCES, unused],
    )
    assert sorted(validate_knowledge(folder)) == sorted([
        "knowledge/statuses/ghost.yaml: ghost: sources: 'nowhere' is not a source in knowledge/sources.yaml",
        "knowledge/statuses/missing.yaml: missing: sources: missing",
        "knowledge/statuses/none.yaml: none: sources: must be a non-empty list of source ids (see sources.yaml), "
        "found an empty list",
        "knowledge/statuses/twice.yaml: twice: sources: 'overview_sv' appears more than once",
        "knowledge/statuses/swedish_only.yaml: swedish_only: sources: names no source in en (its 'en' answer's link)",
        "knowledge/sources.yaml: lonely: (file): no status uses this source",
    ])


def test_a_broken_sources_file_is_reported_field_by_field(tmp_path):
    folder = write_kb(
        tmp_path,
        {"alpha": entry("alpha")},
        ["alpha"],
        sources=[
            *SOURCES,
            {"id": "Bad Id", "title": "", "language": "de", "url": "http://help.example/x", "note": 1},
            {"id": "spaced", "title": "Spaced", "language": "en", "url": "https://help.example/a b"},
            {"id": "overview_en", "title": "Again", "language": "en", "url": "https://help.example/en/9"},
        ],
    )
    problems = validate_knowledge(folder)
    for line in [
        "knowledge/sources.yaml: Bad Id: note: unknown field (allowed: id, title, language, url)",
        "knowledge/sources.yaml: Bad Id: id: 'Bad Id' is not a name of a-z, 0-9 and _",
        "knowledge/sources.yaml: Bad Id: title: must be a non-empty string",
        "knowledge/sources.yaml: Bad Id: language: must be one of sv, en, found 'de'",
        "knowledge/sources.yaml: Bad Id: url: must be an https:// address without spaces, found "
        "'http://help.example/x'",
        "knowledge/sources.yaml: spaced: url: must be an https:// address without spaces, found "
        "'https://help.example/a b'",
        "knowledge/sources.yaml: overview_en: id: used by more than one source",
    ]:
        assert line in problems, problems
    (folder / "sources.yaml").unlink()
    assert validate_knowledge(folder)[0].startswith("knowledge/sources.yaml: -: (file): cannot be read")


@pytest.mark.parametrize(
    ("action", "broken", "expected"),
    [
        # A blocked-like status whose text still says it can be resent.
        ("do_not_send_again",
         steps(["Skicka inte inbjudan igen.", "Den kan skickas igen när orsaken är åtgärdad."],
               ["Don't send the invitation again.", "It can be resent once the cause is fixed."]),
         ["steps.sv[2]: says it can be sent again ('Den kan skickas igen när orsaken är åtgärdad'), but the action "
          "is do_not_send_again",
          "steps.en[2]: says it can be sent again ('It can be resent once the cause is fixed'), but the action is "
          "do_not_send_again"]),
        # A retried status that tells the merchant to resend by hand (a duplicate).
        ("retries_automatically",
         steps(["Systemet försöker automatiskt igen.", "Skicka om inbjudan direkt för säkerhets skull."],
               ["The system tries again automatically.", "Resend the invitation right away to be safe."]),
         ["steps.sv[2]: says it can be sent again ('Skicka om inbjudan direkt för säkerhets skull'), but the action "
          "is retries_automatically",
          "steps.en[2]: says it can be sent again ('Resend the invitation right away to be safe'), but the action "
          "is retries_automatically"]),
        # "Resend" to an address that cannot receive invitations, and no word of a new invitation.
        ("new_invitation_other_address",
         steps(["Rätta ingenting.", "Skicka sedan inbjudan på nytt till samma adress."],
               ["Fix nothing.", "Then send the invitation again to the same address."]),
         ["steps.sv[2]: says it can be sent again ('Skicka sedan inbjudan på nytt till samma adress'), but the "
          "action is new_invitation_other_address",
          "steps.sv: never says that a new invitation (to another address) is the way to the customer (its action "
          "is new_invitation_other_address)",
          "steps.en[2]: says it can be sent again ('Then send the invitation again to the same address'), but the "
          "action is new_invitation_other_address",
          "steps.en: never says that a new invitation (to another address) is the way to the customer (its action "
          "is new_invitation_other_address)"]),
        # A fix-and-resend status that says there is nothing to do and never says to resend.
        ("resend_after_fix",
         steps(["Ingen åtgärd behövs.", "Vänta."], ["No action is needed.", "Wait."]),
         ["steps.sv[1]: says 'Ingen åtgärd', but the action is resend_after_fix",
          "steps.sv: never says that the invitation is sent again once the cause is fixed (its action is "
          "resend_after_fix)",
          "steps.en[1]: says 'No action', but the action is resend_after_fix",
          "steps.en: never says that the invitation is sent again once the cause is fixed (its action is "
          "resend_after_fix)"]),
        # A reviewed-today-like status that nudges a re-invitation.
        ("nothing_to_do",
         steps(["Ingen åtgärd behövs.", "Skicka om inbjudan i morgon."],
               ["No action is needed.", "Send the invitation again tomorrow."]),
         ["steps.sv[2]: says it can be sent again ('Skicka om inbjudan i morgon'), but the action is nothing_to_do",
          "steps.en[2]: says it can be sent again ('Send the invitation again tomorrow'), but the action is "
          "nothing_to_do"]),
    ],
)
def test_text_that_contradicts_the_action_is_reported(tmp_path, action, broken, expected):
    actor = {"retries_automatically": "nobody", "nothing_to_do": "nobody"}.get(action, "merchant")
    folder = write_kb(tmp_path, {"odd": entry("odd", action=action, actor=actor, steps=broken)}, ["odd"])
    assert validate_knowledge(folder) == [f"knowledge/statuses/odd.yaml: odd: {line}" for line in expected]


def test_a_contradiction_in_the_meaning_is_found_too(tmp_path):
    meaning = {"sv": "Inbjudan stoppades. Du kan skicka om den.", "en": "The invitation was stopped."}
    folder = write_kb(tmp_path, {"odd": entry("odd", action="do_not_send_again", meaning=meaning)}, ["odd"])
    assert validate_knowledge(folder) == [
        "knowledge/statuses/odd.yaml: odd: meaning.sv: says it can be sent again ('Du kan skicka om den'), but the "
        "action is do_not_send_again"
    ]


@pytest.mark.parametrize("action", list(STEPS_FOR_ACTION))
def test_texts_that_agree_with_their_action_pass(tmp_path, action):
    actor = {"retries_automatically": "nobody", "nothing_to_do": "nobody"}.get(action, "merchant")
    folder = write_kb(tmp_path, {"fine": entry("fine", action=action, actor=actor)}, ["fine"])
    assert validate_knowledge(folder) == []


def test_refusals_negations_and_the_systems_own_retry_are_no_resend_advice(tmp_path):
    fine = steps(
        ["Skicka inte om inbjudan till samma adress – den stoppas igen.",
         "Att skicka om den hjälper inte.",
         "Inbjudan skickas automatiskt igen om några timmar.",
         "Försök inte komma runt det genom att skicka inbjudan igen med ett annat referensnummer."],
        ["Don't resend the invitation to the same address; it will be stopped again.",
         "Resending it does not help.",
         "The invitation is sent again automatically in a few hours.",
         "Never send it again with a different reference number."],
    )
    folder = write_kb(tmp_path, {"fine": entry("fine", action="do_not_send_again", steps=fine)}, ["fine"])
    assert validate_knowledge(folder) == []


def test_the_bundled_statuses_name_their_articles():
    kb = load_knowledge()
    assert {source.id for source in kb.sources} == {
        "status_overview_sv", "status_overview_en", "manage_sent_invitations_en"
    }
    for entry_ in kb:
        for language in ("sv", "en"):
            source = entry_.read_more(language)
            # The answer's link goes to the overview article in its own language.
            assert source is not None and source.language == language, entry_.id
            assert source.url.endswith("/articles/4404655951762"), entry_.id
            assert f"/hc/{'sv' if language == 'sv' else 'en-us'}/" in source.url
