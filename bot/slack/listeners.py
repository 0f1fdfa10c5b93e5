"""Taking Slack work on: acknowledge at once, drop repeats, and put the real work on the work queue.

`Intake` decides what is taken (in the HTTP fast path of bot.slack.intake and in the bolt
listeners registered here, which Socket Mode and the rarer request kinds use); `job_handlers`
says how each kind of job is answered on the workers.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from typing import Any

from slack_bolt import Ack, App, BoltContext, BoltRequest

from bot.platform.dedupe import SeenStore
from bot.render.button_values import ACTION_IDS
from bot.render.feedback import FEEDBACK_ACTION_IDS, VIEW_WRONG
from bot.slack.answering import Answering
from bot.slack.feedback import FeedbackActions
from bot.slack.files import FileTriage
from bot.slack.handoff import thread_key
from bot.slack.home import HomeTab
from bot.slack.payloads import is_answerable_message, is_thread_reply, mentions, retry_num
from bot.work import Handler, Job, WorkQueue
from bot.work.quiet import AckFirst

log = logging.getLogger(__name__)

COMMAND = "/invitation"
SHORTCUT_CALLBACK_ID = "explain_invitation_status"

MESSAGE_JOB = "slack.message"
COMMAND_JOB = "slack.command"
SHORTCUT_JOB = "slack.shortcut"
ACTION_JOB = "slack.action"
FEEDBACK_JOB = "slack.feedback"
WRONG_ANSWER_JOB = "slack.wrong_answer"
HOME_JOB = "slack.home"


def is_channel_message(event: Mapping[str, Any]) -> bool:
    """A plain message in a channel (not a DM, not a mention): a follow-up candidate in a thread."""
    return event.get("type") == "message" and event.get("channel_type") != "im"


class Intake:
    def __init__(self, seen: SeenStore, work: WorkQueue, dropped: Callable[[], None] | None = None) -> None:
        self.seen = seen
        self.work = work
        # Told of every redelivery that is dropped (metrics).
        self.dropped = dropped

    @staticmethod
    def wants(event: Mapping[str, Any]) -> bool:
        """Events worth taking: mentions, direct messages, and replies in channel threads (follow-ups if the
        bot answered in that thread, which the worker checks)."""
        return event.get("type") == "app_mention" or event.get("channel_type") == "im" or (
            is_channel_message(event) and is_thread_reply(event))

    def take_event(self, body: Mapping[str, Any], retry: int = 0) -> None:
        """An app_mention or direct message: queued once, whatever Slack's retries."""
        event = body.get("event") or {}
        # Bots, edits and joins are dropped here; the bot's own user id is checked on the worker,
        # so that an acknowledgement never waits for a Slack lookup.
        if not is_answerable_message(event, None):
            return
        event_id = body.get("event_id")
        # Recorded before the work starts: a retry of an event we took is dropped, one we never saw is answered.
        if event_id and not self.seen.first_time(f"event:{event_id}"):
            log.info("event %s already taken (retry %s)", event_id, retry)
            if self.dropped is not None:
                self.dropped()
            return
        # A DM that mentions the bot can arrive as two events; the message itself is answered once. A channel
        # thread reply that mentions the bot is answered as its app_mention: the worker drops the message.
        channel, ts = event.get("channel"), event.get("ts")
        if not is_channel_message(event) and channel and ts and not self.seen.first_time(f"message:{channel}:{ts}"):
            return
        self.work.put(Job(MESSAGE_JOB, dict(body), ref=f"event {event_id}"))

    def take_once(self, kind: str, body: Mapping[str, Any], extra: Mapping[str, Any] | None = None) -> None:
        """A command, shortcut or click: queued once per trigger_id."""
        trigger = body.get("trigger_id")
        if trigger and not self.seen.first_time(f"{kind}:{trigger}"):
            return
        payload = {"body": dict(body), **(extra or {})}
        self.work.put(Job(kind, payload, ref=f"{kind.removeprefix('slack.')} trigger {trigger}"))


def job_handlers(answering: Answering, ack_first: AckFirst | None = None,
                 files: FileTriage | None = None, feedback: FeedbackActions | None = None,
                 home: HomeTab | None = None) -> dict[str, Handler]:
    """How each kind of Slack job is answered; with `ack_first`, jobs wait for a lull in a burst;
    with `files`, a message that shares an export is triaged instead of answered."""

    def message(job: Job) -> None:
        event = job.payload.get("event") or {}
        workspace = answering.resolver.directory.workspace()
        if not is_answerable_message(event, workspace.bot_user_id, workspace.bot_id):
            return
        if is_channel_message(event):
            # Only follow-ups in a thread the bot answered in; a mention there is its app_mention's job.
            conversation = answering.conversation
            thread = thread_key(str(event.get("channel") or ""), event.get("thread_ts"))
            if mentions(event.get("text") or "", workspace.bot_user_id) or conversation is None or \
                    not conversation.knows_thread(thread):
                return
        if files is not None and files.wants(event, workspace.bot_user_id):
            files.answer(job.payload)
        else:
            answering.answer_message(job.payload)

    def command(job: Job) -> None:
        answering.answer_command(job.payload["body"])

    def shortcut(job: Job) -> None:
        answering.answer_shortcut(job.payload["body"])

    def action(job: Job) -> None:
        answering.handle_action(job.payload["body"], job.payload["action"])

    handlers: dict[str, Handler] = {MESSAGE_JOB: message, COMMAND_JOB: command, SHORTCUT_JOB: shortcut,
                                    ACTION_JOB: action}
    if feedback is not None:
        clicks = feedback

        def feedback_click(job: Job) -> None:
            clicks.handle(job.payload["body"], job.payload["action"])

        def wrong_answer(job: Job) -> None:
            clicks.submit_wrong(job.payload["body"], job.payload["view"])

        handlers.update({FEEDBACK_JOB: feedback_click, WRONG_ANSWER_JOB: wrong_answer})
    if home is not None:
        tab = home

        def home_opened(job: Job) -> None:
            tab.publish(str(job.payload["user"]))

        handlers[HOME_JOB] = home_opened
    if ack_first is None:
        return handlers
    gate = ack_first

    def after_lull(handler: Handler) -> Handler:
        def run(job: Job) -> None:
            gate.wait_for_lull()
            handler(job)

        return run

    return {kind: after_lull(handler) for kind, handler in handlers.items()}


def register_listeners(app: App, intake: Intake, answering: Answering, *, feedback: bool = False,
                       home: bool = False) -> None:
    """`feedback`: take 👍/👎, hand-off and picker clicks and the "what was wrong" dialog; `home`: App Home."""
    def take_event(body: Mapping[str, Any], request: BoltRequest) -> None:
        intake.take_event(body, retry_num(request.headers))

    @app.event("app_mention")
    def on_mention(body: dict[str, Any], context: BoltContext, request: BoltRequest) -> None:
        take_event(body, request)

    @app.event("message")
    def on_message(body: dict[str, Any], event: dict[str, Any], context: BoltContext, request: BoltRequest) -> None:
        # Direct messages, and replies in channel threads (follow-ups when the bot answered in the thread);
        # elsewhere in channels the bot answers when mentioned (app_mention).
        if intake.wants(event):
            take_event(body, request)

    register_channel_changes(app, answering)

    @app.command(COMMAND)
    def on_command(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        intake.take_once(COMMAND_JOB, body)

    @app.shortcut(SHORTCUT_CALLBACK_ID)
    def on_shortcut(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        intake.take_once(SHORTCUT_JOB, body)

    # Buttons of one kind repeated in a message (one per offered status) carry a ":<n>" to keep their ids unique.
    @app.action(re.compile("^(" + "|".join(map(re.escape, ACTION_IDS)) + r")(?::\d{1,2})?$"))
    def on_action(ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        ack()
        intake.take_once(ACTION_JOB, body, {"action": dict(action)})

    if feedback:
        @app.action(re.compile("^(" + "|".join(map(re.escape, FEEDBACK_ACTION_IDS)) + ")$"))
        def on_feedback(ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
            ack()
            # Each click has a trigger of its own: a repeat of one is dropped, the next click is taken.
            intake.take_once(FEEDBACK_JOB, body, {"action": dict(action)})

        @app.view(VIEW_WRONG)
        def on_wrong_answer(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
            ack()
            intake.take_once(WRONG_ANSWER_JOB, body, {"view": dict(view)})

    if home:
        @app.event("app_home_opened")
        def on_home(event: dict[str, Any]) -> None:
            user = event.get("user")
            if event.get("tab", "home") == "home" and isinstance(user, str):
                intake.work.put(Job(HOME_JOB, {"user": user}, ref=f"home {user}"))


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
        user = event.get("user")
        resolver = answering.resolver
        if resolver.is_internal(team if isinstance(team, str) else None) and not (
                isinstance(user, str) and resolver.is_guest(user)):
            # One of ours (or so the event says): read the channel again rather than trust the cache.
            directory.forget_channel(channel)
            return
        directory.mark_shared(channel)
        log.info("an outside member joined channel %s: it is treated as shared", channel)
