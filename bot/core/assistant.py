"""Routes a question: live lookup or summary, a status explained, help, or an honest "not sure"."""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import replace
from typing import TYPE_CHECKING

from bot.core.access import must_mask
from bot.core.acts import read_message
from bot.core.bulk import Progress
from bot.core.dialogue import (
    help_sections,
    offers,
    outside_reply,
    several_reply,
    small_talk_reply,
    unknown_label_reply,
)
from bot.core.explain import explain
from bot.core.masking import for_audience, kb_addresses
from bot.core.models import Act, Match, Question, Reply, ReplyKind, Section
from bot.i18n.catalog import gettext_for
from bot.knowledge.model import KnowledgeBase
from bot.matching.language import detect_language

if TYPE_CHECKING:
    from bot.core.entities import LiveRequest
    from bot.core.live import LiveDesk
    from bot.matching.matcher import Matcher

log = logging.getLogger(__name__)

# Enough for any real question or a pasted column of a few hundred invitation ids; keeps hostile
# pastes (100 KB) cheap for every later step (the matcher reads only the start).
MAX_QUESTION_CHARS = 20_000

# Below this a status is answered with the other close ones offered beside it ("Did you mean …?"): a short
# colloquial message often fits two or three statuses.
SURE = 80.0


class Assistant:
    def __init__(self, kb: KnowledgeBase, matcher: Matcher, live: LiveDesk | None = None) -> None:
        self.kb = kb
        self.matcher = matcher
        self.live = live
        self.public_addresses = kb_addresses(kb)

    def answer(self, question: Question, progress: Progress | None = None) -> Reply:
        """Never raises: unexpected failures become a logged, translated apology.

        `progress(done, total)` hears how a long check (many invitation ids) advances.
        """
        try:
            reply = self._answer(question, progress)
        except Exception:
            log.exception("could not answer a question of %s characters", len(question.text))
            language = question.language or question.fallback_language
            _ = gettext_for(language)
            reply = Reply(
                kind=ReplyKind.ERROR,
                language=language,
                title=_("Sorry, something went wrong on our side."),
                sections=(Section(text=_("Please try again in a moment. If it keeps happening, tell support.")),),
                question=question.text,
            )
        # Every reply, whatever answered it, is cleaned and masked here for its audience (live replies already
        # were: both are idempotent). The echoed question can name a recipient or hide a bidi override too.
        return for_audience(reply, masked=must_mask(question.asker), public=self.public_addresses)

    def _answer(self, question: Question, progress: Progress | None) -> Reply:
        text = _clean(question.text)
        detected = detect_language(text)
        if not text:
            return self.help(question.language or detected or question.fallback_language, question)
        # Without live data at hand no live request is looked for; the time asked fixes what "last week" means.
        now = (question.asked_at or self.live.clock()) if self.live is not None else None
        reading = read_message(text, self.matcher, now)
        if reading.live is not None and self.live is not None:
            request = reading.live
            if question.business_unit_hint:  # a follow-up in a thread about one account
                request = _with_hint(request, question.business_unit_hint)
            language = question.language or detected or question.fallback_language
            return self.live.answer(request, question, language, progress)
        match = reading.match
        language = question.language or detected or match.language or question.fallback_language
        if match.act is Act.SMALL_TALK:
            return small_talk_reply(language, question, match)
        if match.act is Act.OUT_OF_SCOPE:
            return outside_reply(language, question, match)
        if match.act is Act.UNKNOWN_LABEL:
            return unknown_label_reply(self.kb, language, question, match)
        if match.also:
            return several_reply(self.kb, language, question, match)
        entry = self.kb.get(match.status) if match.status else None
        if entry is not None:
            reply = explain(entry, language, question, match)
            if match.score < SURE and match.alternatives:
                _ = gettext_for(language)
                reply = replace(
                    reply,
                    offers=offers(self.kb, match.alternatives, language),
                    offers_heading=_("Did you mean another one?"),
                )
            return reply
        if match.alternatives:
            return self._no_match(language, question, match)
        return self.help(language, question, match)

    def _no_match(self, language: str, question: Question, match: Match) -> Reply:
        _ = gettext_for(language)
        options = tuple(
            f"{entry.label.get(language)} ({entry.id})"
            for entry in (self.kb.get(status) for status in match.alternatives)
            if entry is not None
        )
        return Reply(
            kind=ReplyKind.NO_MATCH,
            language=language,
            title=_("I am not sure which status you mean."),
            sections=(
                Section(heading=_("Did you mean one of these?"), items=options),
                Section(text=_("Paste the status exactly as it appears on the invitation status page, "
                               "or describe what happened in a sentence.")),
            ),
            match=match,
            question=question.text,
            offers=offers(self.kb, match.alternatives, language),
        )

    def help(self, language: str, question: Question, match: Match | None = None) -> Reply:
        _ = gettext_for(language)
        return Reply(
            kind=ReplyKind.HELP,
            language=language,
            title=_("I explain review-invitation statuses and what to do about them."),
            sections=help_sections(language),
            match=match,
            question=question.text,
        )


def _with_hint(request: LiveRequest, business_unit: str) -> LiveRequest:
    """A search or summary that names no account uses the one the thread was about."""
    from bot.core.entities import BusinessUnitRef, EmailLookup, ReferenceLookup, SummaryRequest

    if isinstance(request, ReferenceLookup | EmailLookup | SummaryRequest) and request.business_unit is None:
        return replace(request, business_unit=BusinessUnitRef(business_unit))
    return request


def _clean(text: str) -> str:
    """Bounded and free of control characters; everything else is the matcher's and parser's job."""
    text = text[:MAX_QUESTION_CHARS]
    return "".join(ch if unicodedata.category(ch)[0] != "C" or ch in "\t\n" else " " for ch in text).strip()
