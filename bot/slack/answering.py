"""The slow half of every Slack interaction: resolve the asker, ask the brain, post the reply.

These jobs run on the answer pool, after Slack has had its acknowledgement.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any, Protocol

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.answer_store import MemoryAnswerStore
from bot.core.answers import AnswerStore, Click, Shown, ShownAnswers
from bot.core.bulk import Progress
from bot.core.conversation import Conversation
from bot.core.models import Question, Reply
from bot.i18n.catalog import gettext_for
from bot.matching.language import detect_language
from bot.render.blocks import RenderOptions, SlackMessage, escape_mrkdwn, render_message
from bot.render.button_values import ACTION_EXPLAIN_STATUS, ACTION_SHARE, ActionValue, StatusValue
from bot.render.feedback import with_feedback
from bot.slack.askers import AskerResolver, Where
from bot.slack.handoff import SlackHandoffDesk, thread_key
from bot.slack.payloads import message_text, reply_thread_ts, slack_to_plain, strip_mention
from bot.slack.progress import ThreadProgress
from bot.slack.webclient import post_to_response_url

log = logging.getLogger(__name__)

Payload = Mapping[str, Any]
ResponsePoster = Callable[[str, dict[str, Any]], bool]


class Answerer(Protocol):
    def answer(self, question: Question, progress: Progress | None = None) -> Reply: ...


def _id(value: Any) -> str | None:
    """Slack gives some ids as strings and others as {"id": ...} objects."""
    if isinstance(value, Mapping):
        value = value.get("id")
    return value if isinstance(value, str) and value else None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


class Answering:
    def __init__(self, assistant: Answerer, resolver: AskerResolver, client: WebClient,
                 post_response: ResponsePoster = post_to_response_url, store: AnswerStore | None = None, *,
                 conversation: Conversation | None = None, desk: SlackHandoffDesk | None = None) -> None:
        self.assistant = assistant
        # Messages in threads: read in the thread's context, hand-offs, misses recorded.
        self.conversation = conversation
        self.desk = desk
        # Every answer with buttons is remembered for the audience it was shown to (see bot.core.answers).
        self.answers = ShownAnswers(assistant, store if store is not None else MemoryAnswerStore())
        self.resolver = resolver
        self.client = client
        self.post_response = post_response

    # -- the jobs -------------------------------------------------------------------------------

    def answer_message(self, body: Payload) -> None:
        """app_mention or a direct message: answer in the thread of the asking message."""
        started = time.monotonic()
        event = body.get("event") or {}
        workspace = self.resolver.directory.workspace()
        where = Where(
            user_id=event.get("user"),
            # user_team is the asker's own workspace (differs from ours for a Slack Connect guest). Nothing else
            # in the event stands in for it (`team` can be the channel's host workspace, ours): without it the
            # resolver asks users.info, and an asker it cannot place is external.
            team_id=_text(event.get("user_team")),
            channel_id=event.get("channel"),
            channel_type=event.get("channel_type"),
            shared_hint=bool(body.get("is_ext_shared_channel")),
        )
        text = slack_to_plain(strip_mention(event.get("text") or "", workspace.bot_user_id))
        thread = reply_thread_ts(event)
        shown = self._ask(text, where, progress_in=thread, conversation_in=thread)
        message = with_feedback(render_message(shown.reply, RenderOptions(answer_id=shown.answer_id)), shown.reply,
                                thread)
        self.client.chat_postMessage(channel=where.channel_id or "", thread_ts=thread, unfurl_links=False,
                                     unfurl_media=False, **message.as_kwargs())
        log.info("answered %s %s (%s) in %.0f ms", event.get("type"), body.get("event_id"), shown.reply.kind,
                 (time.monotonic() - started) * 1000)

    def answer_command(self, body: Payload) -> None:
        """/invitation TEXT: an ephemeral answer to the asker, with a button to share it."""
        where = Where(
            user_id=body.get("user_id"),
            team_id=body.get("team_id"),
            channel_id=body.get("channel_id"),
            channel_type="im" if body.get("channel_name") == "directmessage" else None,
        )
        shown = self._ask(slack_to_plain(body.get("text") or ""), where)
        message = render_message(shown.reply, RenderOptions(shareable=True, echo_question=True,
                                                            answer_id=shown.answer_id))
        self._ephemeral(body.get("response_url"), where, with_feedback(message, shown.reply, None))

    def answer_shortcut(self, body: Payload) -> None:
        """The message shortcut: explain the status named in a message, to the person who used it.

        Ephemeral, because one person asked; "share" then posts it in that message's thread.
        """
        message = body.get("message") or {}
        user = body.get("user") or {}
        where = Where(
            user_id=_id(user),
            # The user's own workspace, never the payload's `team` (where the click happened: ours, for a guest).
            team_id=_text(user.get("team_id")),
            channel_id=_id(body.get("channel")),
        )
        bot_user_id = self.resolver.directory.workspace().bot_user_id
        text = slack_to_plain(strip_mention(message_text(message), bot_user_id))
        shown = self._ask(text, where)
        options = RenderOptions(shareable=True, echo_question=True, thread_ts=reply_thread_ts(message),
                                answer_id=shown.answer_id)
        self._ephemeral(body.get("response_url"), where,
                        with_feedback(render_message(shown.reply, options), shown.reply, options.thread_ts))

    def handle_action(self, body: Payload, action: Payload) -> None:
        """A click on one of our buttons: the answer that was shown, in another view, for its own audience.

        Only the asker's click changes the message (other language, all steps) or shares it; anyone
        else gets a private copy (or a short note), and the message everyone sees stays as it is.
        """
        if str(action.get("action_id") or "").startswith(ACTION_EXPLAIN_STATUS):
            self._explain_offered(body, action)
            return
        value = ActionValue.decode(action.get("value"))
        if value is None:
            log.warning("ignoring action %s with an unreadable value", action.get("action_id"))
            return
        container = body.get("container") or {}
        where = _clicked_in(body)
        clicker, _fallback = self.resolver.resolve(where)
        # Only from the conversation the answer was shown in: its value copied elsewhere reads as expired.
        click = self.answers.click(value.answer_id, clicker, language=value.language, full=value.full,
                                   where=where.channel_id)
        response_url = body.get("response_url")
        if not click.in_place:
            log.info("%s by someone other than the asker (or on an expired answer): answered privately",
                     action.get("action_id"))
            options = RenderOptions(full=value.full, answer_id=click.answer_id)
            # An ephemeral message is seen by the clicker alone (their own private copy): it may be replaced.
            own_copy = bool(container.get("is_ephemeral")) and click.answer_id is not None
            self._private(response_url, where, render_message(click.reply, options), replace=own_copy)
            return
        if action.get("action_id") == ACTION_SHARE:
            self._share(body, where, value, click)
            return
        ephemeral = bool(container.get("is_ephemeral"))
        options = RenderOptions(full=value.full, shareable=ephemeral,
                                echo_question=ephemeral or value.shared_by is not None,
                                thread_ts=value.thread_ts, shared_by=value.shared_by, answer_id=click.answer_id)
        message = with_feedback(render_message(click.reply, options), click.reply,
                                value.thread_ts or _text(container.get("thread_ts")))
        if response_url and self.post_response(response_url, {"replace_original": True, **message.as_kwargs()}):
            return
        if not ephemeral and where.channel_id and container.get("message_ts"):
            self.client.chat_update(channel=where.channel_id, ts=container["message_ts"], **message.as_kwargs())

    def _explain_offered(self, body: Payload, action: Payload) -> None:
        """A "Did you mean …?" button: that status explained to the clicker, as a question of their own.

        The message everyone sees stays as it is; the explanation is the clicker's own private answer.
        """
        value = StatusValue.decode(action.get("value"))
        if value is None:
            log.warning("ignoring action %s with an unreadable value", action.get("action_id"))
            return
        where = _clicked_in(body)
        asker, fallback = self.resolver.resolve(where)
        shown = self.answers.ask(Question(text=value.status, language=value.language, fallback_language=fallback,
                                          asker=asker))
        message = render_message(shown.reply, RenderOptions(answer_id=shown.answer_id))
        self._private(body.get("response_url"), where, message)

    # -- helpers --------------------------------------------------------------------------------

    def _ask(self, text: str, where: Where, *, progress_in: str | None = None,
             conversation_in: str | None = None) -> Shown:
        """The brain's reply, remembered for its buttons; with `progress_in` (a thread), a long check keeps
        a progress note there. The answer is tied to the conversation it is shown in (its buttons work there only).

        With a conversation, the message is read in the context of the thread it is answered in
        (`conversation_in`), hand-offs and misses are recorded, and the answer is remembered for its
        buttons as a question that stands on its own.
        """
        asker, fallback = self.resolver.resolve(where)
        question = Question(text=text, fallback_language=fallback, asker=asker)
        note = None
        if progress_in is not None and where.channel_id:
            note = ThreadProgress(self.client, where.channel_id, progress_in, detect_language(text) or fallback)
        if self.conversation is not None:
            thread = None
            if where.channel_id and conversation_in is not None:
                thread = thread_key(where.channel_id, conversation_in, asker.is_direct_message)
            question = replace(question, asked_at=self.answers.clock())
            reply, standalone = self.conversation.respond(question, platform="slack", thread=thread,
                                                          desk=self.desk, progress=note)
            return self.answers.remember(standalone, reply, shown_in=where.channel_id)
        return self.answers.ask(question, progress=note, shown_in=where.channel_id)

    def _ephemeral(self, response_url: str | None, where: Where, message: SlackMessage) -> None:
        if response_url and self.post_response(response_url, {"response_type": "ephemeral", **message.as_kwargs()}):
            return
        if where.channel_id and where.user_id:
            self.client.chat_postEphemeral(channel=where.channel_id, user=where.user_id, **message.as_kwargs())

    def _private(self, response_url: str | None, where: Where, message: SlackMessage, *,
                 replace: bool = False) -> None:
        """A message only the clicker sees; a public message that was clicked is left alone."""
        if response_url and self.post_response(response_url, {"response_type": "ephemeral", "replace_original": replace,
                                                              **message.as_kwargs()}):
            return
        if where.channel_id and where.user_id:
            self.client.chat_postEphemeral(channel=where.channel_id, user=where.user_id, **message.as_kwargs())

    def _share(self, body: Payload, where: Where, value: ActionValue, click: Click) -> None:
        reply = click.reply
        options = RenderOptions(full=value.full, echo_question=True, shared_by=where.user_id,
                                answer_id=click.answer_id)
        message = with_feedback(render_message(reply, options), reply, value.thread_ts)
        response_url = body.get("response_url")
        try:
            self.client.chat_postMessage(channel=where.channel_id or "", thread_ts=value.thread_ts,
                                         unfurl_links=False, unfurl_media=False, **message.as_kwargs())
        except (SlackApiError, SlackClientError) as exc:
            # Not a member of the channel (or a DM between two people): the interaction's own
            # response_url may still post there for everyone.
            log.info("chat.postMessage for a share failed (%s); trying the response_url", exc)
            public: dict[str, Any] = {"response_type": "in_channel", "replace_original": False, **message.as_kwargs()}
            if value.thread_ts:
                public["thread_ts"] = value.thread_ts
            posted = bool(response_url) and self.post_response(response_url or "", public)
            if not posted:
                _ = gettext_for(reply.language)
                text = escape_mrkdwn(_("I could not post the answer in this conversation. "
                                       "Invite me to the channel and try again."))
                self._ephemeral(response_url, where, SlackMessage(text=text))
                return
        if response_url:
            self.post_response(response_url, {"delete_original": True})


def _clicked_in(body: Payload) -> Where:
    """Who clicked one of our buttons, and in which channel (from the fields Slack sets on the interaction)."""
    container = body.get("container") or {}
    user = body.get("user") or {}
    return Where(
        user_id=_id(user),
        team_id=_text(user.get("team_id")),
        channel_id=_id(body.get("channel")) or _text(container.get("channel_id")),
    )


def safely(job: Callable[[Payload], None], what: str) -> Callable[[Payload], None]:
    """Run a job on the pool with its failures logged (a future would swallow them)."""

    def run(body: Payload) -> None:
        try:
            job(body)
        except Exception:
            log.exception("%s failed", what)

    return run
