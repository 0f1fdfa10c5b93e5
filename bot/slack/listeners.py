"""Bolt listeners: acknowledge at once, drop repeats, and hand the real work to the answer pool."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from concurrent.futures import Executor
from typing import Any

from slack_bolt import Ack, App, BoltContext, BoltRequest

from bot.platform.dedupe import SeenStore
from bot.render.blocks import ACTION_IDS
from bot.render.feedback import FEEDBACK_ACTION_IDS, VIEW_WRONG
from bot.slack.answering import Answering, safely
from bot.slack.feedback import FeedbackActions
from bot.slack.files import FileTriage
from bot.slack.handoff import thread_key
from bot.slack.home import HomeTab
from bot.slack.payloads import is_answerable_message, is_thread_reply, retry_num

log = logging.getLogger(__name__)

COMMAND = "/invitation"
SHORTCUT_CALLBACK_ID = "explain_invitation_status"


def register_listeners(app: App, answering: Answering, seen: SeenStore, work: Executor,
                       *, files: FileTriage | None = None, feedback: FeedbackActions | None = None,
                       home: HomeTab | None = None, dropped: Any = None) -> None:
    """`dropped()` is called for every redelivery that is dropped (metrics)."""
    answer_message = safely(answering.answer_message, "answering a message")
    answer_files = safely(files.answer, "triaging a shared file") if files is not None else None
    answer_command = safely(answering.answer_command, "answering /invitation")
    answer_shortcut = safely(answering.answer_shortcut, "answering the message shortcut")

    def take_event(body: Mapping[str, Any], context: BoltContext, request: BoltRequest) -> None:
        event = body.get("event") or {}
        if not is_answerable_message(event, context.bot_user_id, context.bot_id):
            return
        event_id = body.get("event_id")
        # Recorded before the work starts: a retry of an event we took is dropped, one we never saw is answered.
        if event_id and not seen.first_time(f"event:{event_id}"):
            log.info("event %s already taken (retry %s)", event_id, retry_num(request.headers))
            if dropped is not None:
                dropped()
            return
        # A DM that mentions the bot can arrive as two events; the message itself is answered once.
        channel, ts = event.get("channel"), event.get("ts")
        if channel and ts and not seen.first_time(f"message:{channel}:{ts}"):
            return
        if answer_files is not None and files is not None and files.wants(event, context.bot_user_id):
            work.submit(answer_files, body)
            return
        work.submit(answer_message, body)

    @app.event("app_mention")
    def on_mention(body: dict[str, Any], context: BoltContext, request: BoltRequest) -> None:
        take_event(body, context, request)

    @app.event("message")
    def on_message(body: dict[str, Any], event: dict[str, Any], context: BoltContext, request: BoltRequest) -> None:
        # Direct messages; in channels only replies in a thread the bot has answered in (follow-ups);
        # everywhere else the bot answers when mentioned (app_mention).
        if event.get("channel_type") == "im" or is_follow_up(event):
            take_event(body, context, request)

    def is_follow_up(event: Mapping[str, Any]) -> bool:
        conversation = answering.conversation
        return is_thread_reply(event) and conversation is not None and conversation.knows_thread(
            thread_key(event.get("channel") or "", event.get("thread_ts")))

    register_channel_changes(app, answering)

    def once(body: Mapping[str, Any], kind: str) -> bool:
        trigger = body.get("trigger_id")
        return not trigger or seen.first_time(f"{kind}:{trigger}")

    @app.command(COMMAND)
    def on_command(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        if once(body, "command"):
            work.submit(answer_command, body)

    @app.shortcut(SHORTCUT_CALLBACK_ID)
    def on_shortcut(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        if once(body, "shortcut"):
            work.submit(answer_shortcut, body)

    @app.action(re.compile("^(" + "|".join(map(re.escape, ACTION_IDS)) + ")$"))
    def on_action(ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        ack()
        if not once(body, "action"):
            return

        def job(payload: Mapping[str, Any]) -> None:
            answering.handle_action(payload, action)

        work.submit(safely(job, f"handling {action.get('action_id')}"), body)

    if feedback is not None:
        @app.action(re.compile("^(" + "|".join(map(re.escape, FEEDBACK_ACTION_IDS)) + ")$"))
        def on_feedback(ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
            ack()
            if not once(body, f"feedback:{action.get('action_id')}:{action.get('action_ts')}"):
                return

            def job(payload: Mapping[str, Any]) -> None:
                feedback.handle(payload, action)

            work.submit(safely(job, f"handling {action.get('action_id')}"), body)

        @app.view(VIEW_WRONG)
        def on_wrong_answer(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
            ack()
            work.submit(safely(lambda payload: feedback.submit_wrong(payload, view), "saving what was wrong"), body)

    if home is not None:
        @app.event("app_home_opened")
        def on_home(event: dict[str, Any]) -> None:
            user = event.get("user")
            if event.get("tab", "home") == "home" and isinstance(user, str):
                work.submit(safely(lambda _payload: home.publish(user), "publishing App Home"), {})

def register_channel_changes(app: App, answering: Answering) -> None:
    """A channel that becomes shared is masked from the next answer on, not after the channel cache expires."""
    directory = answering.resolver.directory

    def channel_of(event: Mapping[str, Any]) -> str | None:
        channel = event.get("channel")
        if isinstance(channel, Mapping):
            channel = channel.get("id")
        return channel if isinstance(channel, str) and channel else None

    @app.event("channel_shared")
    def on_channel_shared(event: dict[str, Any]) -> None:
        channel = channel_of(event)
        if channel:
            directory.mark_shared(channel)
            log.info("channel %s is now shared with another organisation", channel)

    @app.event("channel_unshared")
    def on_channel_unshared(event: dict[str, Any]) -> None:
        channel = channel_of(event)
        if channel:
            # Perhaps still shared with someone else: conversations.info says, on the next question.
            directory.marks.unmark(channel)
            directory.forget_channel(channel)

    @app.event("member_joined_channel")
    def on_member_joined(event: dict[str, Any]) -> None:
        channel = channel_of(event)
        if not channel:
            return
        team = event.get("user_team") or event.get("team")
        if answering.resolver.is_internal(team if isinstance(team, str) else None):
            # One of ours (or so the event says): read the channel again rather than trust the cache.
            directory.forget_channel(channel)
            return
        directory.mark_shared(channel)
        log.info("an outside member joined channel %s: it is treated as shared", channel)
