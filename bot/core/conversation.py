"""Conversations: a message in a thread is answered in that thread's context, and every miss is recorded.

The thread context says what the bot last answered there (status, invitation, business unit,
language). A follow-up is asked with the rights of whoever writes it: the context is first cut
down to what that person may see, and live data is always fetched again with their rights.
"""

from __future__ import annotations

import logging
import time
from dataclasses import replace
from typing import Protocol

from bot.core.access import AccessPolicy, must_mask
from bot.core.assistant import Assistant
from bot.core.bulk import Progress
from bot.core.conversation_replies import focused, handoff_reply, pick_reply, thanks_reply
from bot.core.explain import explain
from bot.core.followups import Intent, intent_of, language_asked, refers_back
from bot.core.masking import for_audience, kb_addresses
from bot.core.models import Asker, Question, Reply, ReplyKind
from bot.core.ports import Event, EventKind, EventSink, Handoff, HandoffDesk, NullSink, ThreadContext, ThreadStore
from bot.core.privacy import minimise
from bot.knowledge.model import KnowledgeBase, StatusEntry
from bot.matching.language import detect_language

log = logging.getLogger(__name__)

# Replies that say something about a status or an account; others (help, refusals, errors) leave
# the thread's context as it was.
_SUBSTANTIAL = {ReplyKind.EXPLAIN, ReplyKind.LOOKUP, ReplyKind.SUMMARY, ReplyKind.NO_MATCH}
# What came from live data: a person who may not see the account gets none of it as context.
_LIVE = {ReplyKind.LOOKUP, ReplyKind.SUMMARY}


class AnswerObserver(Protocol):
    def answered(self, reply: Reply, platform: str, seconds: float, follow_up: bool) -> None: ...


class Conversation:
    def __init__(self, assistant: Assistant, kb: KnowledgeBase, access: AccessPolicy, threads: ThreadStore,
                 events: EventSink | None = None, observer: AnswerObserver | None = None,
                 support_contact: str | None = None) -> None:
        self.assistant = assistant
        self.kb = kb
        self.access = access
        self.threads = threads
        self.events: EventSink = events or NullSink()
        self.observer = observer
        self.support_contact = support_contact
        self.public_addresses = kb_addresses(kb)

    # -- answering ------------------------------------------------------------------------------

    def answer(self, question: Question, *, platform: str, thread: str | None = None,
               desk: HandoffDesk | None = None, progress: Progress | None = None) -> Reply:
        """The reply to a message; in a thread with context, a follow-up is read in that context."""
        return self.respond(question, platform=platform, thread=thread, desk=desk, progress=progress)[0]

    def respond(self, question: Question, *, platform: str, thread: str | None = None,
                desk: HandoffDesk | None = None, progress: Progress | None = None) -> tuple[Reply, Question]:
        """The reply, and the question it answers read on its own (a follow-up as what it was read as),
        which asked again without the thread gives the same answer (buttons re-render from it)."""
        started = time.perf_counter()
        context = self.context_for(thread, question.asker)
        follow_up = context is not None
        answered: tuple[Reply, Question] | None = None
        if intent_of(question.text) is Intent.HANDOFF:
            answered = self.hand_off(question, platform=platform, thread=thread, desk=desk, context=context), question
        elif context is not None:
            answered = self._follow_up(question, context, platform)
        if answered is None:
            hint = context.business_unit_id if context is not None else None
            standalone = replace(question, business_unit_hint=hint)
            answered = self.assistant.answer(standalone, progress), standalone
            if context is not None and context.status and _missed(answered[0]):
                answered = self._in_context(question, context) or answered
            self._record_answer(answered[0], question, platform)
        # Replies made here (a focused follow-up, a hand-off) echo the asker's words too: masked like all others.
        reply = for_audience(answered[0], masked=must_mask(question.asker), public=self.public_addresses)
        answered = reply, answered[1]
        if thread is not None:
            self._remember(thread, reply, question, context)
        if self.observer is not None:
            self.observer.answered(reply, platform, time.perf_counter() - started, follow_up)
        return answered

    def context_for(self, thread: str | None, asker: Asker) -> ThreadContext | None:
        """The thread's context cut down to what `asker` may see; None when the bot has not answered there."""
        if thread is None:
            return None
        context = self.threads.get(thread)
        if context is None or not context.business_unit_id or self.access.may_view(asker, context.business_unit_id):
            return context
        # Someone with fewer rights: nothing from the account comes along, not even the status it had.
        live = context.kind in _LIVE
        return replace(context, invitation_id=None, business_unit_id=None,
                       status=None if live else context.status, alternatives=() if live else context.alternatives)

    def knows_thread(self, thread: str) -> bool:
        """Whether the bot has answered in `thread` (and so reads its messages as follow-ups)."""
        return self.threads.get(thread) is not None

    def _follow_up(self, question: Question, context: ThreadContext, platform: str) -> tuple[Reply, Question] | None:
        text = question.text
        intent = intent_of(text)
        entry = self.kb.get(context.status) if context.status else None
        if intent is Intent.LANGUAGE:
            language = language_asked(text) or context.language
            if context.question.strip():
                again = replace(question, text=context.question, language=language,
                                business_unit_hint=context.business_unit_id)
                return self.assistant.answer(again), again
            if entry is None:
                return None
            return explain(entry, language, question, None), self._about(entry, language, question)
        language = question.language or _language_of(text) or context.language
        if intent is Intent.WRONG and (refers_back(text) or self._own_status(text) is None):
            self.events.record(Event(EventKind.FEEDBACK, platform, language=language, text=minimise(text),
                                     status=context.status, vote="down"))
            return pick_reply(self.kb, language, context.alternatives, context.status, text), question
        if intent is Intent.RECHECK and context.invitation_id:
            again = replace(question, text=f"status {context.invitation_id}", language=language,
                            business_unit_hint=context.business_unit_id)
            return self.assistant.answer(again), again
        if intent in (Intent.RESEND, Intent.WHO, Intent.STEPS, Intent.MEANING) and entry is not None and (
            refers_back(text) or self._own_status(text) is None
        ):
            return focused(entry, intent, language, text), self._about(entry, language, question)
        return None

    @staticmethod
    def _about(entry: StatusEntry, language: str, question: Question) -> Question:
        """A question that names the status itself: what a follow-up about it means on its own."""
        return replace(question, text=entry.label.get(language), language=language)

    def _own_status(self, text: str) -> str | None:
        """The status a message names by itself (then it is a question of its own, not about the thread)."""
        return self.assistant.matcher.match(text).status

    def _in_context(self, question: Question, context: ThreadContext) -> tuple[Reply, Question] | None:
        """A question the bot could not place alone, read together with the status the thread is about."""
        entry = self.kb.get(context.status or "")
        if entry is None:
            return None
        language = question.language or _language_of(question.text) or context.language
        read_as = f"{entry.label.get(language)}. {question.text}"
        match = self.assistant.matcher.match(read_as)
        found = self.kb.get(match.status) if match.status else None
        if found is None:
            return None
        return explain(found, language, question, match), replace(question, text=read_as, language=language)

    # -- hand-off and feedback ------------------------------------------------------------------

    def hand_off(self, question: Question, *, platform: str, thread: str | None, desk: HandoffDesk | None,
                 context: ThreadContext | None = None, link: str | None = None) -> Reply:
        """Ask a person to follow up (posted by `desk`), and tell the asker so, or whom to contact."""
        if context is None and thread is not None:
            context = self.context_for(thread, question.asker)
        language = question.language or _language_of(question.text) or (
            context.language if context else question.fallback_language)
        shared = question.asker.shared_channel or (context is not None and context.shared)
        asked = context.question if context is not None and context.question.strip() else question.text
        answered = context.title if context is not None else ""
        handoff = Handoff(
            platform=platform,
            question=minimise(asked) if shared else asked[:1000],
            answered=minimise(answered) if shared else answered,
            language=language,
            business_unit_id=context.business_unit_id if context else None,
            status=context.status if context else None,
            thread=link or thread,
            asker_user=question.asker.user_id,
        )
        posted = False
        if desk is not None:
            try:
                posted = desk.hand_off(handoff)
            except Exception:
                log.exception("posting a hand-off failed")
        self.events.record(Event(EventKind.HANDOFF, platform, language=language, text=minimise(asked),
                                 status=handoff.status, business_unit_id=handoff.business_unit_id))
        return handoff_reply(language, posted, self.support_contact, question.text)

    def vote(self, vote: str, *, platform: str, status: str | None, language: str | None = None) -> None:
        """👍 or 👎 on an answer about `status`."""
        self.events.record(Event(EventKind.FEEDBACK, platform, language=language, status=status,
                                 vote="up" if vote == "up" else "down"))

    def wrong_answer_options(self, language: str, status: str | None, alternatives: tuple[str, ...]) -> Reply:
        return pick_reply(self.kb, language, alternatives, status, "")

    def picked(self, question: Question, picked: str, *, platform: str, answered: str | None,
               thread: str | None = None) -> Reply | None:
        """After 👎, the status the person says was right: recorded, then explained (None: no such status)."""
        entry = self.kb.get(picked)
        if entry is None:
            return None
        language = question.language or question.fallback_language
        self.events.record(Event(EventKind.FEEDBACK, platform, language=language, status=answered, picked=picked))
        reply = for_audience(explain(entry, language, question, None), masked=must_mask(question.asker),
                             public=self.public_addresses)
        if thread is not None:
            self._remember(thread, reply, question, self.threads.get(thread))
        return reply

    def thanks(self, language: str) -> Reply:
        return thanks_reply(language)

    def what_was_wrong(self, text: str, *, platform: str, status: str | None, language: str) -> Reply:
        """After 👎, what was wrong in the person's words: stored minimised, and thanked for."""
        self.events.record(Event(EventKind.FEEDBACK, platform, language=language, status=status,
                                 text=minimise(text)))
        return thanks_reply(language)

    # -- records --------------------------------------------------------------------------------

    def _record_answer(self, reply: Reply, question: Question, platform: str) -> None:
        if _missed(reply) and question.text.strip():
            self.events.record(Event(EventKind.UNANSWERED, platform, language=reply.language,
                                     text=minimise(question.text)))
        for code, invitation, unit in _unknown_codes(reply, self.kb):
            self.events.record(Event(EventKind.UNKNOWN_CODE, platform, language=reply.language, code=code,
                                     invitation_id=invitation, business_unit_id=unit))

    def _remember(self, thread: str, reply: Reply, question: Question, before: ThreadContext | None) -> None:
        if reply.kind not in _SUBSTANTIAL:
            if before is None:
                # The bot has now answered here: later messages in the thread are follow-ups.
                self.threads.put(thread, ThreadContext(question=question.text, language=reply.language,
                                                       kind=reply.kind.value, title=reply.title,
                                                       asker_user=question.asker.user_id,
                                                       shared=question.asker.shared_channel))
            elif before.language != reply.language:
                self.threads.put(thread, replace(before, language=reply.language))
            return
        invitation = reply.data.get("invitation") if isinstance(reply.data.get("invitation"), dict) else None
        unit = (invitation or {}).get("businessUnitId") or reply.data.get("businessUnitId")
        alternatives = reply.match.alternatives if reply.match is not None else ()
        self.threads.put(thread, ThreadContext(
            question=question.text or (before.question if before else ""),
            language=reply.language,
            kind=reply.kind.value,
            title=reply.title,
            status=reply.status,
            alternatives=tuple(alternatives),
            invitation_id=(invitation or {}).get("id"),
            business_unit_id=unit if isinstance(unit, str) else None,
            asker_user=question.asker.user_id,
            shared=question.asker.shared_channel or (before is not None and before.shared),
        ))


def _missed(reply: Reply) -> bool:
    """No confident answer: the closest statuses offered, or a question the matcher could not place."""
    return reply.kind is ReplyKind.NO_MATCH or (reply.kind is ReplyKind.HELP and reply.match is not None)


def _unknown_codes(reply: Reply, kb: KnowledgeBase) -> list[tuple[str, str | None, str | None]]:
    invitations = reply.data.get("invitations")
    if not isinstance(invitations, list):
        single = reply.data.get("invitation")
        invitations = [single] if isinstance(single, dict) else []
    found: list[tuple[str, str | None, str | None]] = []
    for invitation in invitations:
        code = invitation.get("status") if isinstance(invitation, dict) else None
        if isinstance(code, str) and code and code not in kb:
            found.append((code, invitation.get("id"), invitation.get("businessUnitId")))
    return found


def _language_of(text: str) -> str | None:
    return detect_language(text)
