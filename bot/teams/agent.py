"""The Teams turn: an activity in, the brain asked in a worker thread, one card (or invoke answer) out.

Dispatches by activity type: messages (questions, and Action.Submit clicks that
arrive as messages with a value), invokes (Action.Execute, the message action),
and the bot being added (a short welcome). Errors never reach the conversation
as exception text: they are logged and answered with a short apology.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from microsoft_agents.activity import Activity
from microsoft_agents.hosting.core import TurnContext

from bot.core.answers import AnswerStore, Shown, ShownAnswers
from bot.core.bulk import Progress
from bot.core.conversation import Conversation
from bot.core.models import Question, Reply
from bot.i18n.catalog import gettext_for
from bot.matching.language import detect_language
from bot.platform.dedupe import SeenStore
from bot.render.cards import render_card
from bot.teams import actions
from bot.teams.activities import PERSONAL, base_conversation, bot_was_added, conversation_kind, question_text
from bot.teams.askers import TeamsAskers, fallback_language
from bot.teams.feedback import TeamsHandoffDesk, answer_card, thread_key
from bot.teams.replies import ProgressNote, card_activity, connector_of, send, text_activity

if TYPE_CHECKING:
    from bot.metrics import Metrics
    from bot.teams.files import TeamsFileTriage

log = logging.getLogger(__name__)

# A typing indicator shows only when an answer takes longer than this (live lookups).
TYPING_AFTER_SECONDS = 1.0


class Answerer(Protocol):
    def answer(self, question: Question, progress: Progress | None = None) -> Reply: ...


# What staff write in a personal chat to see this week's knowledge gaps.
GAPS_WORDS = frozenset({"gaps", "luckor", "kunskapsluckor", "knowledge gaps"})
GAPS_DAYS = 7


class TeamsAgent:
    def __init__(self, assistant: Answerer, askers: TeamsAskers, store: AnswerStore, seen: SeenStore,
                 executor: Executor, *, conversation: Conversation | None = None,
                 escalation: str | None = None, gaps: Callable[[datetime], Any] | None = None,
                 metrics: Metrics | None = None) -> None:
        self.assistant = assistant
        self.askers = askers
        # Every answer with buttons is remembered for the audience and the conversation it was shown in
        # (bot.core.answers, the store Slack uses too): a click re-renders it, never asks anew.
        self.answers = ShownAnswers(assistant, store)
        self.seen = seen
        self.executor = executor
        # Follow-ups in a conversation's context, feedback, hand-offs; None: every message stands alone.
        self.conversation = conversation
        self.escalation = escalation
        self.gaps = gaps
        self.metrics = metrics
        # Exports sent in a personal chat and the file consent they lead to (bot/teams/files.py); None: off.
        self.files: TeamsFileTriage | None = None

    def handoff_desk(self, context: TurnContext, language: str) -> TeamsHandoffDesk:
        """The desk posts through this turn's connector, on the event loop (call this on the loop)."""
        return TeamsHandoffDesk(connector_of(context), asyncio.get_running_loop(), self.escalation,
                                self.askers.access, language)

    @property
    def default_language(self) -> str:
        return self.askers.default_language

    async def in_thread[T](self, call: Callable[[], T]) -> T:
        """Blocking work (the brain, Redis) off the event loop, on the answer threads."""
        return await asyncio.get_running_loop().run_in_executor(self.executor, call)

    # -- dispatch -------------------------------------------------------------------------------

    async def on_turn(self, context: TurnContext) -> None:
        activity = context.activity
        if self.files is not None and await self.files.take(self, context):
            return
        if activity.type == "message":
            if activity.value is not None and not (activity.text or "").strip():
                await actions.on_card_submit(self, context)
            else:
                await self.on_message(context)
        elif activity.type == "invoke":
            handler = actions.INVOKES.get(activity.name or "")
            if handler is None:
                log.info("invoke %s not handled", activity.name)
                return
            await handler(self, context)
        elif activity.type in ("conversationUpdate", "installationUpdate"):
            await self.on_members_changed(context)

    # -- questions ------------------------------------------------------------------------------

    def ask(self, question: Question, conversation_id: str, progress: Progress | None = None,
            desk: TeamsHandoffDesk | None = None) -> Shown:
        """The brain's answer, remembered for the card's buttons (blocking: runs in a worker thread).

        With a conversation, the message is read in the context of its Teams conversation (a channel
        post's thread, a chat), and the buttons point at the question as it was read, which stands alone.
        """
        shown_in = base_conversation(conversation_id)
        if self.conversation is None:
            return self.answers.ask(question, progress, shown_in=shown_in)
        asked = replace(question, asked_at=self.answers.clock())
        reply, standalone = self.conversation.respond(asked, platform="teams", thread=thread_key(conversation_id),
                                                      desk=desk, progress=progress)
        return self.answers.remember(standalone, reply, shown_in=shown_in)

    async def on_message(self, context: TurnContext) -> None:
        started = time.monotonic()
        activity = context.activity
        if activity.from_property is not None and activity.from_property.role == "bot":
            return
        text = question_text(activity)
        connector = connector_of(context)
        asker, fallback = await self.askers.resolve(activity, connector)
        question = Question(text=text, fallback_language=fallback, asker=asker)
        conversation_id = activity.conversation.id if activity.conversation else ""
        note = ProgressNote(context, asyncio.get_running_loop(), detect_language(text) or fallback)
        if self.conversation is not None and self.gaps is not None and asker.internal and \
                conversation_kind(activity) == PERSONAL and text.strip().lower() in GAPS_WORDS:
            await self._send_gaps(context, fallback)
            return
        desk = self.handoff_desk(context, detect_language(text) or fallback)

        typing = asyncio.create_task(self._typing_later(context))
        try:
            shown = await self.in_thread(lambda: self.ask(question, conversation_id, note, desk))
        finally:
            typing.cancel()
        await note.finished()
        reply = shown.reply
        await send(context, card_activity(answer_card(self, reply, shown.answer_id)))
        # The conversation's id is what the access policy binds (channels:), so the log names it.
        log.info("answered %s %s in %s %s (%s) in %.0f ms", activity.type, activity.id, conversation_kind(activity),
                 (asker.channel_id or "")[:80], reply.kind, (time.monotonic() - started) * 1000)

    async def _send_gaps(self, context: TurnContext, language: str) -> None:
        """This week's knowledge gaps, for staff in a personal chat."""
        from bot.conversation.gaps_reply import gaps_reply

        since = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=GAPS_DAYS)
        gaps = self.gaps
        report = None
        if gaps is not None:
            try:
                report = await self.in_thread(lambda: gaps(since))
            except Exception:
                log.exception("reading the gaps report for Teams failed")
        await send(context, card_activity(render_card(gaps_reply(report, language))))

    async def _typing_later(self, context: TurnContext) -> None:
        await asyncio.sleep(TYPING_AFTER_SECONDS)
        with contextlib.suppress(Exception):  # a courtesy only
            await context.send_activity(Activity(type="typing"))

    # -- the bot added, members changed ---------------------------------------------------------

    async def on_members_changed(self, context: TurnContext) -> None:
        activity = context.activity
        conversation_id = activity.conversation.id if activity.conversation else ""
        # Whoever came or went, the next message looks the chat's members up again; an outsider added marks
        # the chat shared for every instance.
        self.askers.directory.forget_conversation(conversation_id)
        if activity.members_added:
            await self.askers.members_added(activity, connector_of(context))
        if not bot_was_added(activity):
            return
        # Teams announces an installation twice (installationUpdate and conversationUpdate): greet once.
        key = f"teams:welcome:{base_conversation(conversation_id)}"
        if not await self.in_thread(lambda: self.seen.first_time(key)):
            return
        _ = gettext_for(fallback_language(activity, self.default_language))
        if conversation_kind(activity) == PERSONAL:
            text = _("Hi! I explain review-invitation statuses and what to do about them. "
                     "Paste a status or an invitation id, or ask in your own words.")
        else:
            text = _("Hi! I explain review-invitation statuses and what to do about them. "
                     "Mention me with a status or an invitation id, or a question in your own words.")
        await send(context, text_activity(text), "welcome")

    # -- errors ---------------------------------------------------------------------------------

    async def on_turn_error(self, context: TurnContext, error: Exception) -> None:
        """Replaces the SDK's handler, which would post the exception's text into the conversation."""
        activity = context.activity
        log.error("turn for %s %s failed: %s", activity.type, activity.id, type(error).__name__, exc_info=error)
        _ = gettext_for(fallback_language(activity, self.default_language))
        apology = _("Sorry, something went wrong on our side.") + " " + _(
            "Please try again in a moment. If it keeps happening, tell support.")
        try:
            if activity.type == "invoke":
                await actions.invoke_message(context, apology)
            elif activity.type == "message":
                await context.send_activity(text_activity(apology))
        except Exception as exc:  # the apology itself failed (Teams unreachable): the log has it all
            log.warning("apology not sent: %s", type(exc).__name__)
