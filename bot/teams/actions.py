"""Card clicks and the message action.

A click re-renders the answer the card points at (bot.core.answers), for the
audience it was shown to, and only from the conversation it was shown in; it
never asks the question again with the clicker's rights. The asker's own click
replaces the card for everyone; anyone else's click gets a view of their own
(Action.Execute answers only the person who clicked; an outsider clicking
someone else's live answer gets a short note) and the card the others see stays
as it was. A "Did you mean …?" button is different: it carries a status id only,
and its click is the clicker's own question about that status, answered with the
clicker's rights and shown to the clicker alone.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any

from microsoft_agents.activity import Activity
from microsoft_agents.hosting.core import TurnContext

from bot.core.answers import Click
from bot.core.models import Question, Reply
from bot.i18n.catalog import gettext_for
from bot.render.card_feedback import parse_feedback, with_card_feedback
from bot.render.cards import CardAction, CardOptions, StatusAction, TeamsCard, render_card
from bot.teams.activities import base_conversation, message_payload_text
from bot.teams.askers import fallback_language
from bot.teams.feedback import on_feedback
from bot.teams.replies import card_activity, connector_of, send, text_activity, update

if TYPE_CHECKING:
    from bot.teams.agent import TeamsAgent

log = logging.getLogger(__name__)

CARD_RESPONSE = "application/vnd.microsoft.card.adaptive"
MESSAGE_RESPONSE = "application/vnd.microsoft.activity.message"
# The message action's command id in teams/manifest.json.
MESSAGE_ACTION_COMMAND = "explainInvitationStatus"
# The asker's click also updates the card for everyone; the click's own answer waits at most this long for it.
UPDATE_TIMEOUT_SECONDS = 10.0


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _user(activity: Activity) -> str | None:
    return activity.from_property.id if activity.from_property else None


async def set_invoke_response(context: TurnContext, body: Any, status: int = 200) -> None:
    await context.send_activity(Activity(type="invokeResponse", value={"status": status, "body": body}))


async def invoke_message(context: TurnContext, text: str) -> None:
    """A short text as the answer to an invoke, shown only to the person who triggered it."""
    if (context.activity.name or "").startswith("composeExtension/"):
        await set_invoke_response(context, {"task": {"type": "message", "value": text}})
    else:
        await set_invoke_response(context, {"statusCode": 200, "type": MESSAGE_RESPONSE, "value": text})


def _gone(activity: Activity, default_language: str) -> str:
    _ = gettext_for(fallback_language(activity, default_language))
    return _("This answer is no longer available. Ask me again, please.")


def note_text(reply: Reply) -> str:
    """A short note (expired, not yours) as one plain line: its title and its text."""
    return " ".join([reply.title, *(section.text for section in reply.sections if section.text)])


async def _click(agent: TeamsAgent, context: TurnContext, action: CardAction) -> Click:
    """The card's answer in the view the button asks for, for the audience it was shown to.

    Who clicked (asked of Teams, as for a question) decides only where the answer shows and whether
    they get it at all; what it shows comes from the stored answer, and only in its own conversation.
    """
    activity = context.activity
    clicker, _fallback = await agent.askers.resolve(activity, connector_of(context))
    where = base_conversation(activity.conversation.id if activity.conversation else "")
    return await agent.in_thread(lambda: agent.answers.click(action.answer_id, clicker, language=action.language,
                                                             full=action.full, where=where))


async def on_execute(agent: TeamsAgent, context: TurnContext) -> None:
    """Action.Execute (`adaptiveCard/action`): answered in the HTTP response with the card to show.

    The invoke's answer is what the clicker alone sees; only the asker's click also replaces the card
    for everyone.
    """
    activity = context.activity
    invoked = _mapping(_mapping(activity.value).get("action"))
    feedback = parse_feedback(invoked.get("verb"), invoked.get("data"))
    if feedback is not None:
        await on_feedback(agent, context, feedback)
        return
    offered = StatusAction.parse(invoked.get("verb"), invoked.get("data"))
    if offered is not None:
        reply, answer_id = await _explain_offered(agent, context, offered)
        card = render_card(reply, CardOptions(answer_id=answer_id, private=True))
        if agent.conversation is not None:
            card = with_card_feedback(card, reply)
        # The invoke's answer replaces the card for the clicker only; the others keep the card they saw.
        await set_invoke_response(context, {"statusCode": 200, "type": CARD_RESPONSE, "value": card.content})
        return
    action = CardAction.parse(invoked.get("verb"), invoked.get("data"))
    if action is None:
        await invoke_message(context, _gone(activity, agent.default_language))
        return
    click = await _click(agent, context, action)
    if click.answer_id is None:
        await invoke_message(context, note_text(click.reply))
        return
    card = render_card(click.reply, CardOptions(full=action.full, answer_id=click.answer_id, private=action.private))
    if agent.conversation is not None:
        card = with_card_feedback(card, click.reply)
    if click.in_place and activity.reply_to_id and not action.private:
        await _replace_for_everyone(context, activity.reply_to_id, card)
    elif not click.in_place:
        log.info("card action %s by someone other than the asker: answered privately", activity.id)
    await set_invoke_response(context, {"statusCode": 200, "type": CARD_RESPONSE, "value": card.content})


async def _replace_for_everyone(context: TurnContext, activity_id: str, card: TeamsCard) -> None:
    try:
        await asyncio.wait_for(update(context, activity_id, card_activity(card), "card update"), UPDATE_TIMEOUT_SECONDS)
    except Exception as exc:  # the clicker still gets the card; the others keep the previous one
        log.warning("card %s not updated for everyone: %s", activity_id, type(exc).__name__)


async def on_card_submit(agent: TeamsAgent, context: TurnContext) -> None:
    """Action.Submit arrives as a message with a value: the asker's card is replaced, anyone else gets a reply."""
    activity = context.activity
    action = CardAction.parse(None, activity.value)
    if action is None:
        log.info("message %s carries a value that is not one of our buttons", activity.id)
        return
    click = await _click(agent, context, action)
    if click.answer_id is None:
        await send(context, text_activity(note_text(click.reply)), "note")
        return
    card = render_card(click.reply, CardOptions(full=action.full, answer_id=click.answer_id))
    if click.in_place and activity.reply_to_id:
        await update(context, activity.reply_to_id, card_activity(card), "card update")
    else:
        # Teams has no message that only one person sees for a Submit: the answer, for the same audience
        # as the card above it, comes as a reply of its own and the card stays as it was.
        await send(context, card_activity(card))


async def on_message_action(agent: TeamsAgent, context: TurnContext) -> None:
    """The message action (fetchTask / submitAction): the status named in a message, in a dialog for the user."""
    activity = context.activity
    value = _mapping(activity.value)
    action = CardAction.parse(None, value.get("data"))
    offered = StatusAction.parse(None, value.get("data"))
    answer_id: str | None
    if offered is not None:  # a "Did you mean …?" button inside our dialog: the clicker's own question
        reply, answer_id = await _explain_offered(agent, context, offered)
        full = False
    elif action is not None:  # a button inside our dialog
        click = await _click(agent, context, action)
        if click.answer_id is None:
            await invoke_message(context, note_text(click.reply))
            return
        if not click.in_place:
            # Only the person who opened a dialog sees it: its data from anyone else was copied or made up.
            await invoke_message(context, _gone(activity, agent.default_language))
            return
        reply, answer_id, full = click.reply, click.answer_id, action.full
    else:
        command = value.get("commandId")
        if command not in (MESSAGE_ACTION_COMMAND, None):
            log.info("message action %s not handled", command)
            await invoke_message(context, _gone(activity, agent.default_language))
            return
        reply, answer_id = await _explain_message(agent, context, message_payload_text(value))
        full = False
    card = render_card(reply, CardOptions(full=full, answer_id=answer_id, submit=True, echo_question=True))
    _ = gettext_for(reply.language)
    await set_invoke_response(context, {"task": {"type": "continue", "value": {
        "title": _("Invitation status"), "width": "medium", "height": "large", "card": card.attachment()}}})


async def _explain_offered(agent: TeamsAgent, context: TurnContext, offered: StatusAction) -> tuple[Reply, str | None]:
    """A "Did you mean …?" click: that status explained, asked by its id as the clicker's own question."""
    activity = context.activity
    asker, fallback = await agent.askers.resolve(activity, connector_of(context))
    question = Question(text=offered.status, language=offered.language, fallback_language=fallback, asker=asker)
    where = base_conversation(activity.conversation.id if activity.conversation else "")
    shown = await agent.in_thread(lambda: agent.answers.ask(question, shown_in=where))
    return shown.reply, shown.answer_id


async def _explain_message(agent: TeamsAgent, context: TurnContext, text: str) -> tuple[Reply, str | None]:
    activity = context.activity
    asker, fallback = await agent.askers.resolve(activity, connector_of(context))
    question = Question(text=text, fallback_language=fallback, asker=asker)
    conversation_id = activity.conversation.id if activity.conversation else ""
    shown = await agent.in_thread(lambda: agent.ask(question, conversation_id))
    return shown.reply, shown.answer_id


Handler = Callable[["TeamsAgent", TurnContext], Awaitable[None]]

INVOKES: dict[str, Handler] = {
    "adaptiveCard/action": on_execute,
    "composeExtension/fetchTask": on_message_action,
    "composeExtension/submitAction": on_message_action,
}
