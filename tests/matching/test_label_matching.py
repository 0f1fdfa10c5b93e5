"""Pasted labels and codes, in every shape people paste them, against a labels-only knowledge base."""

from __future__ import annotations

from collections import defaultdict

import pytest

from bot.matching.matcher import Matcher
from bot.matching.variants import DASHES, label_variants, typo_variants


@pytest.fixture(scope="module")
def matcher(label_kb):
    return Matcher(label_kb)


def test_every_generated_label_variant_is_matched(label_kb, matcher):
    wrong: dict[str, list[str]] = defaultdict(list)
    count = 0
    for text, expected, kind in label_variants(label_kb):
        count += 1
        got = matcher.match(text).status
        if got != expected:
            wrong[kind].append(f"{text!r} -> {got} (want {expected})")
    assert count > 37 * 2 * 20
    assert not wrong, dict(wrong)


def test_exact_labels_report_their_language_and_full_score(label_kb, matcher):
    for entry in label_kb:
        for language in ("sv", "en"):
            match = matcher.match(entry.label.get(language))
            assert (match.status, match.score, match.language) == (entry.id, 100.0, language)


@pytest.mark.parametrize("dash", DASHES)
def test_dash_variants_of_a_label(matcher, dash):
    assert matcher.match(f"Ej levererad {dash} SPF{dash}fel").status == "spf_failure"
    assert matcher.match(f"Not delivered {dash} Reference number too long").status == "reference_number_too_long"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ingen platshållare", "missing_placeholder"),
        ("No placeholder", "missing_placeholder"),
        ("dubbelt samtyckeskrav", "double_opt_in"),
        ("Invalid reply-to email", "invalid_reply_to"),
        ("tekniskt fel hos mottagaren", "recipient_technical_error"),
        ("på väg", "sending"),
        ("Skickar", "sending"),
        ("Sending", "sending"),
    ],
)
def test_label_without_its_state_part(matcher, text, expected):
    assert matcher.match(text).status == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("spf_failure", "spf_failure"),
        ("SPF_FAILURE", "spf_failure"),
        ("spf failure", "spf_failure"),
        ("`invitation_limit_reached`", "invitation_limit_reached"),
        ("reference-number-too-long", "reference_number_too_long"),
        ("status: double_opt_in", "double_opt_in"),
    ],
)
def test_codes(matcher, text, expected):
    assert matcher.match(text).status == expected


def test_a_bare_code_has_no_language(matcher):
    assert matcher.match("spf_failure").language is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('Kunden har statusen "Ej levererad – tillfällig e-postadress", vad gör vi?', "temporary_email"),
        ("Vi ser *Ej levererad – ogiltigt avsändarnamn* på allt sedan i går", "invalid_sender_name"),
        ("what should I do about “Not delivered - Risk of spam”?", "spam_risk"),
        ("<@U02> Not delivered – Double opt-in requirement on the German shop", "double_opt_in"),
        ("the list says Delivered - Marked as spam for three of them", "delivered_marked_as_spam"),
        ("Our invitations say 'Not delivered - Blocked email address'", "blocked_email"),
    ],
)
def test_labels_inside_a_sentence(matcher, text, expected):
    assert matcher.match(text).status == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ej levererad – SPF-fle", "spf_failure"),
        ("Ej levrerad – ogiltig mottagre", "invalid_recipient"),
        ("Not deliverd - Rejected mesage", "message_rejected"),
        ("SPF-fle", "spf_failure"),
        ("Levrerad", "delivered"),
        ("Ej levererad – blockerad e-postadres", "blocked_email"),
        ("ej levererad - paminnelser inaktiverade", "reminders_disabled"),
        ("I ko", "queued"),
        ("Not delivered - Manualy canceled", "manually_cancelled"),
    ],
)
def test_typos_and_missing_diacritics(matcher, text, expected):
    assert matcher.match(text).status == expected


def test_one_typo_variants_exist_for_every_label(label_kb):
    for entry in label_kb:
        for language in ("sv", "en"):
            label = entry.label.get(language)
            variants = list(typo_variants(label))
            assert variants, label
            assert label not in variants


@pytest.mark.parametrize(
    ("first", "first_status", "second", "second_status"),
    [
        ("Levererad", "delivered", "Levererad – avregistrerad", "delivered_unsubscribed"),
        ("Delivered", "delivered", "Delivered - Unsubscribed", "delivered_unsubscribed"),
        ("blockerad", "blocked", "blockerad e-postadress", "blocked_email"),
        ("Not delivered - Blocked", "blocked", "Not delivered - Blocked email address", "blocked_email"),
        ("ingen mall", "no_template", "ingen anpassad mall", "no_custom_template"),
        ("No template", "no_template", "No custom template", "no_custom_template"),
        ("avregistrerad", "delivered_unsubscribed", "redan avregistrerad", "already_unsubscribed"),
        ("Unsubscribed", "delivered_unsubscribed", "Already unsubscribed", "already_unsubscribed"),
        ("markerad som skräppost", "delivered_marked_as_spam", "riskerar skräppost", "spam_risk"),
        ("Marked as spam", "delivered_marked_as_spam", "Risk of spam", "spam_risk"),
        ("ingen platshållare", "missing_placeholder", "fel på platshållare", "placeholder_error"),
        ("fel referensnummer", "wrong_reference_number", "referensnumret är för långt", "reference_number_too_long"),
        ("SPF-fel", "spf_failure", "SKU-fel", "sku_error"),
    ],
)
def test_confusable_pairs(matcher, first, first_status, second, second_status):
    assert matcher.match(first).status == first_status
    assert matcher.match(second).status == second_status


@pytest.mark.parametrize("text", ["Ej levererad", "Not delivered", "ej levererad –", "not delivered - ?"])
def test_the_state_alone_names_no_status(matcher, text):
    assert matcher.match(text).status is None


def test_negated_delivered_is_not_delivered(matcher):
    assert matcher.match("why was it not delivered").status != "delivered"
    assert matcher.match("inbjudan blev aldrig levererad").status != "delivered"


def test_a_short_label_that_is_just_a_word_of_the_story_does_not_decide(matcher):
    # "queue" and "sending" are words of these stories, not the statuses Queued or Sending.
    assert matcher.match("a colleague switched off reminder emails, what happens to the ones waiting in the "
                         "queued list?").status != "queued"
    assert matcher.match("the template we were sending with got deleted").status != "sending"


def test_a_label_set_apart_in_a_sentence_decides(matcher):
    assert matcher.match("Several invitations show Queued today").status == "queued"
    assert matcher.match('flera inbjudningar står som "levererad" idag').status == "delivered"
    assert matcher.match("the status says: sending, and has for hours now").status == "sending"
