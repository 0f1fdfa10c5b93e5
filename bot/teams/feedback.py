"""Teams: 👍 / 👎 / "talk to a person" on answer cards, the status picked after 👎, and hand-offs posted to
the internal escalation conversation (TEAMS_ESCALATION_CONVERSATION).

Each click is handled with the rights of whoever clicks; the cards carry status ids only.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from microsoft_agents.hosting.core import TurnContext
from microsoft_agents.hosting.core.connector import ConnectorClientBase

from bot.core.access import AccessPolicy
from bot.core.models import Question, Reply
from bot.core.ports import Handoff
from bot.i18n.catalog import gettext_for
from bot.render.card_feedback import (
    VERB_FEEDBACK_DOWN,
    VERB_FEEDBACK_UP,
    VERB_HANDOFF,
    VERB_PICK,
    FeedbackClick,
    picker_card,
    with_card_feedback,
)
from bot.render.cards import CardOptions, render_card
from bot.teams.activities import base_conversation
from bot.teams.replies import card_activity, connector_of, send, text_activity, with_retries

if TYPE_CHECKING:
    from bot.teams.agent import TeamsAgent

log = logging.getLogger(__name__)

CARD_RESPONSE = "application/vnd.microsoft.card.adaptive"
MESSAGE_RESPONSE = "application/vnd.microsoft.activity.message"
# How long a hand-off post may take before the asker is told whom to contact instead.
HANDOFF_TIMEOUT_SECONDS = 20.0
TEAMS_LINK = "https://teams.microsoft.com/l/message/{channel}/{message}"


def thread_key(conversation_id: str) -> str:
    """A Teams conversation is a thread: a channel post's replies (conversation id with ;messageid=), a chat."""
    return f"teams:{conversation_id}"


def _where(thread: str | None) -> str:
    conversation = (thread or "").removeprefix("teams:")
    channel, marker, message = conversation.partition(";messageid=")
    if marker and message.isdigit():
        return TEAMS_LINK.format(channel=channel, message=message)
    return conversation or "–"


class TeamsHandoffDesk:
    """Posts a hand-off in the escalation conversation through the turn's Bot Connector (same service URL)."""

    def __init__(self, connector: ConnectorClientBase | None, loop: asyncio.AbstractEventLoop,
                 conversation_id: str | None, access: AccessPolicy, language: str) -> None:
        self.connector = connector
        self.loop = loop
        self.conversation_id = conversation_id
        self.access = access
        self.language = language

    def hand_off(self, handoff: Handoff) -> bool:
        """Called from a worker thread; the post runs on the event loop."""
        if not self.conversation_id or self.connector is None:
            return False
        if self.access.is_bound(self.conversation_id) or self.access.is_bound(base_conversation(self.conversation_id)):
            log.error("TEAMS_ESCALATION_CONVERSATION is bound to a merchant's account: hand-off not posted there")
            return False
        connector, conversation, text = self.connector, self.conversation_id, self._text(handoff)

        async def post() -> Any:
            return await with_retries("hand-off", lambda: connector.conversations.send_to_conversation(
                conversation, text_activity(text)))

        try:
            asyncio.run_coroutine_threadsafe(post(), self.loop).result(HANDOFF_TIMEOUT_SECONDS)
        except Exception as exc:
            log.error("posting a hand-off to the escalation conversation failed: %s", type(exc).__name__)
            return False
        return True

    def _text(self, handoff: Handoff) -> str:
        _ = gettext_for(self.language)
        who = handoff.asker_user or _("Someone")
        lines = [
            "🙋 " + _("%(who)s asks for a person in %(where)s") % {"who": who, "where": _where(handoff.thread)},
            f"{_('Question')}: {' '.join(handoff.question.split())[:500] or '–'}",
            f"{_('The bot answered')}: {' '.join(handoff.answered.split())[:500] or '–'}",
        ]
        if handoff.business_unit_id:
            lines.append(f"{_('Business unit')}: {handoff.business_unit_id}")
        if handoff.status:
            lines.append(f"{_('Status')}: {handoff.status}")
        return "\n\n".join(lines)


async def _respond(context: TurnContext, kind: str, value: Any) -> None:
    from microsoft_agents.activity import Activity

    await context.send_activity(Activity(type="invokeResponse", value={"status": 200, "body": {
        "statusCode": 200, "type": kind, "value": value}}))


def _message(reply: Reply) -> str:
    """A short reply (thanks, a hand-off) as the one line Teams shows to the person who clicked."""
    parts = [reply.title, *(section.text for section in reply.sections if section.text)]
    return " ".join(parts)


def answer_card(agent: TeamsAgent, reply: Reply, answer_id: str | None) -> Any:
    card = render_card(reply, CardOptions(answer_id=answer_id))
    return with_card_feedback(card, reply) if agent.conversation is not None else card


async def on_feedback(agent: TeamsAgent, context: TurnContext, click: FeedbackClick) -> None:
    """An Action.Execute from a feedback button or the picker: answered in the invoke response."""
    conversation = agent.conversation
    if conversation is None:
        await _respond(context, MESSAGE_RESPONSE, "")
        return
    activity = context.activity
    value = click.value
    count: Callable[[str, str], None] = agent.metrics.feedback_given if agent.metrics is not None else (
        lambda _platform, _kind: None)
    conversation_id = activity.conversation.id if activity.conversation else ""
    if click.verb in (VERB_FEEDBACK_UP, VERB_FEEDBACK_DOWN):
        vote = "up" if click.verb == VERB_FEEDBACK_UP else "down"
        await agent.in_thread(lambda: conversation.vote(vote, platform="teams", status=value.status,
                                                        language=value.language))
        count("teams", vote)
        if vote == "up":
            await _respond(context, MESSAGE_RESPONSE, _message(conversation.thanks(value.language)))
        else:
            await _respond(context, CARD_RESPONSE, picker_card(conversation.kb, value).content)
        return
    asker, fallback = await agent.askers.resolve(activity, connector_of(context))
    question = Question(text="", language=value.language, fallback_language=fallback, asker=asker)
    if click.verb == VERB_HANDOFF:
        desk = agent.handoff_desk(context, value.language)
        reply = await agent.in_thread(lambda: conversation.hand_off(
            question, platform="teams", thread=thread_key(conversation_id), desk=desk))
        await _respond(context, MESSAGE_RESPONSE, _message(reply))
        return
    if click.verb == VERB_PICK:
        if click.wrong:
            await agent.in_thread(lambda: conversation.what_was_wrong(
                click.wrong or "", platform="teams", status=value.status, language=value.language))
            count("teams", "comment")
        picked = None
        if click.picked:
            picked = await agent.in_thread(lambda: conversation.picked(
                question, click.picked or "", platform="teams", answered=value.status,
                thread=thread_key(conversation_id)))
        await _respond(context, MESSAGE_RESPONSE, _message(conversation.thanks(value.language)))
        if picked is not None:
            count("teams", "picked")
            label = conversation.kb.get(click.picked or "")
            standalone = Question(text=label.label.get(value.language) if label else "", language=value.language,
                                  fallback_language=fallback, asker=asker)
            shown = await agent.in_thread(lambda: agent.answers.remember(
                standalone, picked, shown_in=base_conversation(conversation_id)))
            await send(context, card_activity(answer_card(agent, picked, shown.answer_id)))
        return
    await _respond(context, MESSAGE_RESPONSE, "")
