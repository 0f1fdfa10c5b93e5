"""The bundled knowledge base: complete, both languages everywhere, exactly the status page's ids and labels."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from bot.knowledge.fields import normalized
from bot.knowledge.loader import load_knowledge, validate_knowledge
from bot.knowledge.model import Action, Actor, Category, KnowledgeBase

# Copied from the status page, in its order; the knowledge base must hold exactly these.
EXPECTED_IDS = (
    "queued",
    "sending",
    "delivered",
    "delivered_unsubscribed",
    "delivered_marked_as_spam",
    "internal_error",
    "no_custom_template",
    "missing_placeholder",
    "placeholder_error",
    "no_template",
    "custom_sender_address",
    "spf_failure",
    "invalid_sender_address",
    "invalid_sender_name",
    "invalid_reply_to",
    "reminders_disabled",
    "invitation_frequency",
    "invitation_limit_reached",
    "kickstart_expired",
    "kickstart_used_up",
    "sku_error",
    "manually_cancelled",
    "already_invited",
    "wrong_reference_number",
    "reviewed_today",
    "scheduled_for_later",
    "already_unsubscribed",
    "no_product_reviews",
    "blocked",
    "double_opt_in",
    "reference_number_too_long",
    "invalid_recipient",
    "blocked_email",
    "temporary_email",
    "spam_risk",
    "recipient_technical_error",
    "message_rejected",
)
LANGUAGES = ("sv", "en")
TABLE = Path(__file__).with_name("expected_statuses.tsv")


def _table() -> list[dict[str, str]]:
    lines = [line for line in TABLE.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


@pytest.fixture(scope="module")
def knowledge() -> KnowledgeBase:
    return load_knowledge()


def test_the_bundled_knowledge_base_has_no_problems():
    assert validate_knowledge() == []


def test_the_table_lists_the_expected_ids_in_order():
    assert tuple(row["id"] for row in _table()) == EXPECTED_IDS


def test_exactly_the_expected_ids_in_page_order(knowledge):
    assert len(EXPECTED_IDS) == 37
    assert knowledge.ids == EXPECTED_IDS
    assert [entry.id for entry in knowledge] == list(EXPECTED_IDS)


def test_labels_and_categories_match_the_status_page(knowledge):
    for row in _table():
        entry = knowledge.get(row["id"])
        assert entry is not None, row["id"]
        assert (entry.label.sv, entry.label.en, entry.category.value) == (
            row["label_sv"],
            row["label_en"],
            row["category"],
        ), row["id"]


def test_every_text_is_present_in_both_languages(knowledge):
    for entry in knowledge:
        for field in (entry.label, entry.meaning, entry.cause):
            for language in LANGUAGES:
                assert field.get(language).strip(), (entry.id, language)
        assert entry.meaning.sv != entry.meaning.en, entry.id
        assert entry.cause.sv != entry.cause.en, entry.id


def test_every_list_is_filled_in_both_languages(knowledge):
    for entry in knowledge:
        for language in LANGUAGES:
            assert 2 <= len(entry.steps.get(language)) <= 6, (entry.id, language)
            assert len(entry.phrases.get(language)) >= 10, (entry.id, language)
            assert 3 <= len(entry.keywords.get(language)) <= 10, (entry.id, language)
            assert all(step.strip() for step in entry.steps.get(language)), (entry.id, language)


def test_phrases_do_not_repeat_labels_and_point_to_one_status(knowledge):
    labels = {normalized(entry.label.get(language)) for entry in knowledge for language in LANGUAGES}
    owners: dict[tuple[str, str], str] = {}
    for entry in knowledge:
        for language in LANGUAGES:
            for phrase in entry.phrases.get(language):
                key = normalized(phrase)
                assert key not in labels, (entry.id, phrase)
                assert owners.setdefault((language, key), entry.id) == entry.id, (entry.id, phrase)


def test_related_ids_exist_and_enums_are_typed(knowledge):
    for entry in knowledge:
        assert isinstance(entry.category, Category)
        assert isinstance(entry.actor, Actor)
        assert isinstance(entry.action, Action)
        for other in entry.related:
            assert other in knowledge and other != entry.id, (entry.id, other)


def test_pending_and_delivered_statuses_need_nobody(knowledge):
    for entry in knowledge:
        if entry.category in (Category.PENDING, Category.DELIVERED):
            assert entry.actor is Actor.NOBODY, entry.id
            assert entry.action in (Action.NOTHING_TO_DO, Action.DO_NOT_SEND_AGAIN), entry.id


def test_next_steps_carry_the_facts_they_rely_on(knowledge):
    def steps(status_id: str, language: str) -> str:
        entry = knowledge.get(status_id)
        assert entry is not None
        return " ".join(entry.steps.get(language))

    for language in LANGUAGES:
        assert "include:trustpilotservice.com" in steps("spf_failure", language)
        assert "[Link]" in steps("missing_placeholder", language)
        assert "Enhance" in steps("no_custom_template", language)
        assert "Enhance" in steps("custom_sender_address", language)
        assert "Invite" in steps("invitation_limit_reached", language)
        assert "Time & delivery" in steps("queued", language)
