"""The live desk over the bundled knowledge base: every status explained live, none of its texts a request."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from live_fakes import NORDIC, NOW, FakeInvitations, ask, policy

from bot.core.entities import parse_live_request
from bot.core.live import LiveDesk
from bot.core.summary import figures
from bot.invitations.models import Invitation, StatusStats
from bot.knowledge.loader import load_knowledge
from bot.knowledge.model import Category
from bot.render.text import render_text


@pytest.fixture(scope="module")
def kb():
    return load_knowledge()


def test_every_status_text_of_the_knowledge_base_is_not_a_live_request(kb):
    # Pasted labels, the phrasings people use and the entries' own sentences must reach the matcher.
    texts = [
        text
        for entry in kb
        for language in ("sv", "en")
        for text in (entry.label.get(language), entry.meaning.get(language), entry.cause.get(language),
                     *entry.phrases.get(language), *entry.steps.get(language))
    ]
    assert len(texts) > 300
    taken = [(text, parse_live_request(text, NOW)) for text in texts]
    assert [pair for pair in taken if pair[1] is not None] == []


@pytest.mark.parametrize(
    "text",
    [
        "can we send invitations from info@ourcompany.com",
        "vi vill skicka från info@vårtföretag.se, går det?",
        "how many invitations were sent this month",
        "Byt till noreply.invitations@trustpilotmail.com",
    ],
)
def test_sender_talk_and_vague_counts_are_not_live_requests(text):
    assert parse_live_request(text, NOW) is None


def test_every_status_explained_live_in_both_languages(kb):
    source = FakeInvitations(invitations=[])
    desk = LiveDesk(source, kb, policy(), clock=lambda: NOW)
    for n, entry in enumerate(kb):
        invitation_id = f"{0xA000 + n:024x}"
        source.invitations.append(Invitation(id=invitation_id, business_unit_id=NORDIC, status=entry.id,
                                             created_at=datetime(2026, 11, 1, tzinfo=UTC)))
        for language in ("sv", "en"):
            reply = ask(desk, f"status {invitation_id}", language=language)
            assert reply.data["known"] is True and reply.status == entry.id
            assert reply.title.endswith(entry.label.get(language))
            assert entry.meaning.get(language) in render_text(reply)
    assert len(kb) == 37


def test_summary_categories_follow_the_knowledge_base(kb):
    counts = {entry.id: 10 for entry in kb}
    result = figures(StatusStats(NORDIC, None, None, sum(counts.values()), counts), kb)
    delivered = sum(10 for entry in kb if entry.category is Category.DELIVERED)
    pending = sum(10 for entry in kb if entry.category is Category.PENDING)
    assert result.delivered == delivered and result.pending == pending
    assert result.not_delivered == 370 - delivered - pending
    assert {"queued", "sending"} == {e.id for e in kb if e.category is Category.PENDING}
