"""The bundled explanations: one voice in Swedish, menu paths a Swedish reader can follow, nothing no source backs."""

from __future__ import annotations

import re

import pytest

from bot.knowledge.loader import load_knowledge
from bot.knowledge.model import KnowledgeBase, StatusEntry

# The Swedish names the source article uses for the places the English menu paths lead to.
SWEDISH_NAMES = {
    "Get reviews > Invitation status": "sidan för inbjudningsstatus",
    "Settings > Invitation settings": "inbjudningsinställningarna",
    "Manage reviews > Product reviews > Product catalog": "produktkatalogen",
}
_MENU_PATH = re.compile(r"\((Get reviews|Settings|Manage reviews) > [^)]*\)")
# Plural "you" and "your" (ni, er, ert, era): the source speaks to the reader as "du" throughout.
_PLURAL_YOU = re.compile(r"(?<![:\w])(ni|er|ert|era)(?!\w)", re.IGNORECASE)


@pytest.fixture(scope="module")
def knowledge() -> KnowledgeBase:
    return load_knowledge()


def swedish_texts(entry: StatusEntry) -> list[str]:
    return [entry.meaning.sv, entry.cause.sv, *entry.steps.sv]


def english_texts(entry: StatusEntry) -> list[str]:
    return [entry.meaning.en, entry.cause.en, *entry.steps.en]


def test_swedish_explanations_say_du_never_ni(knowledge):
    for entry in knowledge:
        for text in swedish_texts(entry):
            assert not _PLURAL_YOU.search(text), (entry.id, text)


def test_the_check_for_ni_catches_it_and_spares_skus():
    assert _PLURAL_YOU.search("Vill ni fortsätta skicka från er egen adress")
    assert _PLURAL_YOU.search("Kontrollera ert paket")
    assert not _PLURAL_YOU.search("Kontrollera SKU:er och kunder som väntar")


def test_english_menu_paths_in_swedish_go_with_the_swedish_name(knowledge):
    seen = 0
    for entry in knowledge:
        for text in swedish_texts(entry):
            for found in _MENU_PATH.finditer(text):
                path = found.group()[1:-1]
                name = next(sv for en, sv in SWEDISH_NAMES.items() if path.startswith(en))
                assert text[: found.start()].rstrip().endswith(name), (entry.id, text)
                seen += 1
            # No English path outside such a pairing.
            bare = _MENU_PATH.sub("", text)
            assert "Get reviews >" not in bare and "Settings >" not in bare, (entry.id, text)
    assert seen > 20


@pytest.mark.parametrize(
    ("status", "claims"),
    [
        ("kickstart_expired", ["regular", "monthly"]),
        ("kickstart_used_up", ["regular", "different limit", "monthly"]),
        ("invitation_limit_reached", ["every plan", "each plan"]),
        ("already_invited", ["Time & delivery"]),
        ("wrong_reference_number", ["Look up the reference number under", "search for the reference number on"]),
        ("missing_placeholder", ["[CompanyIdentifier]", "[LegalNotice]", "put back any"]),
        ("invalid_sender_address", ["misspelled, because", "whose SPF record includes Trustpilot, or"]),
        ("queued", ["not sent at once", "are not sent"]),
        ("blocked", ["whole", "once the cause", "before you send any more", "concerns the business"]),
    ],
)
def test_claims_no_source_backs_are_gone(knowledge, status, claims):
    entry = knowledge.get(status)
    assert entry is not None
    text = " ".join(english_texts(entry))
    for claim in claims:
        assert claim not in text, (status, claim)


def test_spam_risk_says_the_same_in_both_languages(knowledge):
    entry = knowledge.get("spam_risk")
    assert entry is not None
    # Customers who expect to hear from the merchant, not customers who expect to contact it.
    assert any("räknar med att höra från dig" in step for step in entry.steps.sv)
    assert any("expect to hear from you" in step for step in entry.steps.en)
    assert not any("höra av" in step for step in entry.steps.sv)
