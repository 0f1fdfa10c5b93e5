"""Clicks on 👍 / 👎 / "talk to a person", the status picked after 👎, and the "what was wrong" dialog.

Each is handled with the rights of whoever clicks; the buttons carry status ids only.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.core.conversation import Conversation
from bot.core.models import Question
from bot.render.blocks import SlackMessage, render_message
from bot.render.feedback import (
    ACTION_FEEDBACK_DOWN,
    ACTION_FEEDBACK_UP,
    ACTION_HANDOFF,
    ACTION_PICK,
    ACTION_TELL,
    FeedbackValue,
    picked_value,
    picker_message,
    with_feedback,
    wrong_answer_submission,
    wrong_answer_view,
)
from bot.slack.askers import AskerResolver, Where
from bot.slack.handoff import SlackHandoffDesk, thread_key

log = logging.getLogger(__name__)

Payload = Mapping[str, Any]
ResponsePoster = Callable[[str, dict[str, Any]], bool]
FeedbackCounter = Callable[[str, str], None]


def _id(value: Any) -> str | None:
    if isinstance(value, Mapping):
        value = value.get("id")
    return value if isinstance(value, str) and value else None


class FeedbackActions:
    def __init__(self, conversation: Conversation, resolver: AskerResolver, client: WebClient,
                 desk: SlackHandoffDesk, post_response: ResponsePoster,
                 count: FeedbackCounter | None = None) -> None:
        self.conversation = conversation
        self.resolver = resolver
        self.client = client
        self.desk = desk
        self.post_response = post_response
        self.count = count

    def handle(self, body: Payload, action: Payload) -> None:
        action_id = action.get("action_id")
        if action_id == ACTION_PICK:
            value = picked_value(action.get("block_id"))
            picked = ((action.get("selected_option") or {}).get("value")) or ""
        else:
            value = FeedbackValue.decode(action.get("value"))
            picked = ""
        if value is None:
            log.warning("ignoring %s with an unreadable value", action_id)
            return
        container = body.get("container") or {}
        user = body.get("user") or {}
        where = Where(user_id=_id(user), team_id=user.get("team_id") or _id(body.get("team")),
                      channel_id=_id(body.get("channel")) or container.get("channel_id"))
        thread_ts = value.thread_ts or container.get("thread_ts") or container.get("message_ts")
        if action_id in (ACTION_FEEDBACK_UP, ACTION_FEEDBACK_DOWN):
            vote = "up" if action_id == ACTION_FEEDBACK_UP else "down"
            self.conversation.vote(vote, platform="slack", status=value.status, language=value.language)
            if self.count is not None:
                self.count("slack", vote)
            if vote == "up":
                reply = self.conversation.thanks(value.language)
                self._tell(where, thread_ts, render_message(reply), body)
            else:
                self._tell(where, thread_ts, picker_message(self.conversation.kb, value), body)
        elif action_id == ACTION_PICK:
            self._picked(body, where, value, picked, thread_ts)
        elif action_id == ACTION_TELL:
            trigger = body.get("trigger_id")
            if trigger:
                self.client.views_open(trigger_id=trigger, view=wrong_answer_view(value, where.channel_id))
        elif action_id == ACTION_HANDOFF:
            asker, fallback = self.resolver.resolve(where)
            question = Question(text="", language=value.language, fallback_language=fallback, asker=asker)
            channel = where.channel_id
            thread = thread_key(channel, thread_ts, asker.is_direct_message) if channel else None
            # The link leads to the answered message, also in a direct message.
            link = f"slack:{channel}:{thread_ts}" if channel and thread_ts else thread
            reply = self.conversation.hand_off(question, platform="slack", thread=thread, desk=self.desk, link=link)
            self._tell(where, thread_ts, render_message(reply), body)

    def _picked(self, body: Payload, where: Where, value: FeedbackValue, picked: str, thread_ts: str | None) -> None:
        asker, fallback = self.resolver.resolve(where)
        question = Question(text="", language=value.language, fallback_language=fallback, asker=asker)
        thread = thread_key(where.channel_id, thread_ts, asker.is_direct_message) if where.channel_id else None
        reply = self.conversation.picked(question, picked, platform="slack", answered=value.status, thread=thread)
        if reply is None:
            log.warning("ignoring a picked status that does not exist")
            return
        if self.count is not None:
            self.count("slack", "picked")
        thanks = self.conversation.thanks(value.language)
        response_url = body.get("response_url")
        if response_url:
            self.post_response(response_url, {"replace_original": True, **render_message(thanks).as_kwargs()})
        # The explanation of the right status goes in the thread, for everyone who reads it.
        message = with_feedback(render_message(reply), reply, thread_ts)
        try:
            self.client.chat_postMessage(channel=where.channel_id or "", thread_ts=thread_ts, unfurl_links=False,
                                         unfurl_media=False, **message.as_kwargs())
        except (SlackApiError, SlackClientError) as exc:
            log.info("posting the picked status in the thread failed (%s); telling the person alone", exc)
            self._tell(where, thread_ts, message, body)

    def submit_wrong(self, body: Payload, view: Payload) -> None:
        value, channel, text = wrong_answer_submission(dict(view))
        if value is None or not text.strip():
            return
        self.conversation.what_was_wrong(text, platform="slack", status=value.status, language=value.language)
        if self.count is not None:
            self.count("slack", "comment")
        user = _id(body.get("user"))
        if channel and user:
            thanks = render_message(self.conversation.thanks(value.language))
            try:
                self.client.chat_postEphemeral(channel=channel, user=user, thread_ts=value.thread_ts,
                                               **thanks.as_kwargs())
            except (SlackApiError, SlackClientError) as exc:
                log.info("thanking for feedback failed: %s", exc)

    def _tell(self, where: Where, thread_ts: str | None, message: SlackMessage, body: Payload) -> None:
        """A message only the clicker sees, in the thread of the answer."""
        if where.channel_id and where.user_id:
            try:
                self.client.chat_postEphemeral(channel=where.channel_id, user=where.user_id, thread_ts=thread_ts,
                                               **message.as_kwargs())
                return
            except (SlackApiError, SlackClientError) as exc:
                log.info("chat.postEphemeral failed (%s); trying the response_url", exc)
        response_url = body.get("response_url")
        if response_url:
            self.post_response(response_url, {"response_type": "ephemeral", "replace_original": False,
                                              **message.as_kwargs()})
