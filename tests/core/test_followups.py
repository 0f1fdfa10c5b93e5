"""What a message in a thread asks of the answer before it, in Swedish and English."""

from __future__ import annotations

import pytest

from bot.core.followups import Intent, intent_of, language_asked

CASES = [
    ("kan jag prata med någon?", Intent.HANDOFF),
    ("Kan jag få prata med en människa", Intent.HANDOFF),
    ("can I talk to a person please", Intent.HANDOFF),
    ("I want to speak to someone", Intent.HANDOFF),
    ("please escalate this", Intent.HANDOFF),
    ("visa på engelska", Intent.LANGUAGE),
    ("in English please", Intent.LANGUAGE),
    ("på svenska tack", Intent.LANGUAGE),
    ("that's not it", Intent.WRONG),
    ("nej, det är inte det", Intent.WRONG),
    ("fel status", Intent.WRONG),
    ("kan jag skicka om den?", Intent.RESEND),
    ("can I resend it?", Intent.RESEND),
    ("vem ska fixa det?", Intent.WHO),
    ("who needs to fix this?", Intent.WHO),
    ("vad gör jag nu?", Intent.STEPS),
    ("what should I do?", Intent.STEPS),
    ("vad betyder det?", Intent.MEANING),
    ("kolla igen", Intent.RECHECK),
    ("has it been delivered now?", Intent.RECHECK),
    ("and if the sender is on another domain?", None),
    ("here's the id: 01188f639aae8f1da0f15423", None),
    ("Ej levererad – SPF-fel", None),
    ("hur kopplar jag domänen?", None),
]


@pytest.mark.parametrize(("text", "intent"), CASES)
def test_intent(text, intent):
    assert intent_of(text) is intent


def test_a_long_message_that_mentions_english_is_no_language_switch():
    assert language_asked("our customers in english speaking countries do not get the invitations at all") is None
