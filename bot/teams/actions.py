"""Card clicks and the message action.

A click re-renders the answer the card points at, for the audience it was
decided for, in the conversation it was shown in. The asker's own click replaces
the card for everyone; anyone else's click gets a view of their own
(Action.Execute answers only the person who clicked) and the card the others see
stays as it was. That view carries no rights from one person to the other: it
is answered with no more rights than both the asker's and the clicker's (staff
only when both are) and masked when either audience was, so a staff member's
click on a merchant's refusal shows the refusal, and a merchant's click on a
staff member's lookup of another merchant (cards keep their buttons for a week)
fetches nothing the merchant may not see.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from microsoft_agents.activity import Activity
from microsoft_agents.hosting.core import TurnContext

from bot.core.models import Asker, Question, Reply
from bot.i18n.catalog import gettext_for
from bot.render.cards import CardAction, CardOptions, TeamsCard, render_card
from bot.teams.activities import base_conversation, message_payload_text
from bot.teams.answers import StoredAnswer
from bot.teams.askers import fallback_language
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


def shared_audience(asker: Asker, clicker: Asker) -> Asker:
    """Whom someone else's click is answered for: the answer's audience with no more rights than the clicker's
    and no less masking than either's (the conversation, and so its bound accounts, is the same)."""
    return replace(asker, internal=asker.internal and clicker.internal,
                   shared_channel=asker.shared_channel or clicker.shared_channel)


def _rerender(agent: TeamsAgent, action: CardAction, conversation_id: str, clicker: Asker | None,
              only_for: str | None = None) -> tuple[StoredAnswer, Reply] | None:
    """The stored answer shown again (in a worker thread); None when unknown, expired, from elsewhere, or (with
    `only_for`) asked by someone else. `clicker`: who clicked, for a click that may be someone else's."""
    stored = agent.answers.get(action.answer_id)
    if stored is None or stored.conversation != base_conversation(conversation_id):
        return None
    if only_for is not None and stored.asker.user_id != only_for:
        return None
    question = stored.question_for(action.language, action.full)
    if clicker is not None and clicker.user_id != stored.asker.user_id:
        question = replace(question, asker=shared_audience(stored.asker, clicker))
    return stored, agent.assistant.answer(question)


async def _found(agent: TeamsAgent, action: CardAction, context: TurnContext, *,
                 only_for: str | None = None) -> tuple[StoredAnswer, Reply] | None:
    activity = context.activity
    conversation_id = activity.conversation.id if activity.conversation else ""
    clicker = None if only_for is not None else (await agent.askers.resolve(activity, connector_of(context)))[0]
    return await agent.in_thread(lambda: _rerender(agent, action, conversation_id, clicker, only_for))


async def on_execute(agent: TeamsAgent, context: TurnContext) -> None:
    """Action.Execute (`adaptiveCard/action`): answered in the HTTP response with the card to show."""
    activity = context.activity
    invoked = _mapping(_mapping(activity.value).get("action"))
    action = CardAction.parse(invoked.get("verb"), invoked.get("data"))
    found = await _found(agent, action, context) if action is not None else None
    if action is None or found is None:
        await invoke_message(context, _gone(activity, agent.default_language))
        return
    stored, reply = found
    card = render_card(reply, CardOptions(full=action.full, answer_id=action.answer_id))
    if _user(activity) == stored.asker.user_id and activity.reply_to_id:
        await _replace_for_everyone(context, activity.reply_to_id, card)
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
    found = await _found(agent, action, context)
    if found is None:
        await send(context, text_activity(_gone(activity, agent.default_language)), "expired answer")
        return
    stored, reply = found
    card = render_card(reply, CardOptions(full=action.full, answer_id=action.answer_id))
    if _user(activity) == stored.asker.user_id and activity.reply_to_id:
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
    if action is not None:  # a button inside our dialog
        # The dialog is the asker's alone: nobody else opens an answer through its data.
        found = await _found(agent, action, context, only_for=_user(activity) or "")
        if found is None:
            await invoke_message(context, _gone(activity, agent.default_language))
            return
        reply, answer_id, full = found[1], action.answer_id, action.full
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


async def _explain_message(agent: TeamsAgent, context: TurnContext, text: str) -> tuple[Reply, str]:
    activity = context.activity
    asker, fallback = await agent.askers.resolve(activity, connector_of(context))
    question = Question(text=text, fallback_language=fallback, asker=asker)
    conversation_id = activity.conversation.id if activity.conversation else ""

    def answer() -> tuple[Reply, str]:
        reply = agent.assistant.answer(question)
        return reply, agent.store(reply, question, conversation_id)

    return await agent.in_thread(answer)


Handler = Callable[["TeamsAgent", TurnContext], Awaitable[None]]

INVOKES: dict[str, Handler] = {
    "adaptiveCard/action": on_execute,
    "composeExtension/fetchTask": on_message_action,
    "composeExtension/submitAction": on_message_action,
}
