"""Taking Slack work on: acknowledge at once, drop repeats, and put the real work on the work queue.

`Intake` decides what is taken (in the HTTP fast path of bot.slack.intake and in the bolt
listeners registered here, which Socket Mode and the rarer request kinds use); `job_handlers`
says how each kind of job is answered on the workers.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any

from slack_bolt import Ack, App, BoltContext, BoltRequest

from bot.platform.dedupe import SeenStore
from bot.render.blocks import ACTION_IDS
from bot.slack.answering import Answering
from bot.slack.files import FileTriage
from bot.slack.payloads import is_answerable_message, retry_num
from bot.work import Handler, Job, WorkQueue
from bot.work.quiet import AckFirst

log = logging.getLogger(__name__)

COMMAND = "/invitation"
SHORTCUT_CALLBACK_ID = "explain_invitation_status"

MESSAGE_JOB = "slack.message"
COMMAND_JOB = "slack.command"
SHORTCUT_JOB = "slack.shortcut"
ACTION_JOB = "slack.action"


class Intake:
    def __init__(self, seen: SeenStore, work: WorkQueue) -> None:
        self.seen = seen
        self.work = work

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
            return
        # A DM that mentions the bot can arrive as two events; the message itself is answered once.
        channel, ts = event.get("channel"), event.get("ts")
        if channel and ts and not self.seen.first_time(f"message:{channel}:{ts}"):
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
                 files: FileTriage | None = None) -> dict[str, Handler]:
    """How each kind of Slack job is answered; with `ack_first`, jobs wait for a lull in a burst;
    with `files`, a message that shares an export is triaged instead of answered."""

    def message(job: Job) -> None:
        event = job.payload.get("event") or {}
        workspace = answering.resolver.directory.workspace()
        if not is_answerable_message(event, workspace.bot_user_id, workspace.bot_id):
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
    if ack_first is None:
        return handlers
    gate = ack_first

    def after_lull(handler: Handler) -> Handler:
        def run(job: Job) -> None:
            gate.wait_for_lull()
            handler(job)

        return run

    return {kind: after_lull(handler) for kind, handler in handlers.items()}


def register_listeners(app: App, intake: Intake, answering: Answering) -> None:
    def take_event(body: Mapping[str, Any], request: BoltRequest) -> None:
        intake.take_event(body, retry_num(request.headers))

    @app.event("app_mention")
    def on_mention(body: dict[str, Any], context: BoltContext, request: BoltRequest) -> None:
        take_event(body, request)

    @app.event("message")
    def on_message(body: dict[str, Any], event: dict[str, Any], context: BoltContext, request: BoltRequest) -> None:
        # Only direct messages; in channels the bot answers when mentioned (app_mention).
        if event.get("channel_type") == "im":
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

    @app.action(re.compile("^(" + "|".join(map(re.escape, ACTION_IDS)) + ")$"))
    def on_action(ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        ack()
        intake.take_once(ACTION_JOB, body, {"action": dict(action)})


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
