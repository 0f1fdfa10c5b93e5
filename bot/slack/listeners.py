"""Bolt listeners: acknowledge at once, drop repeats, and hand the real work to the answer pool."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from concurrent.futures import Executor
from typing import Any

from slack_bolt import Ack, App, BoltContext, BoltRequest

from bot.render.blocks import ACTION_IDS
from bot.slack.answering import Answering, safely
from bot.slack.dedupe import SeenStore
from bot.slack.payloads import is_answerable_message, retry_num

log = logging.getLogger(__name__)

COMMAND = "/invitation"
SHORTCUT_CALLBACK_ID = "explain_invitation_status"


def register_listeners(app: App, answering: Answering, seen: SeenStore, work: Executor) -> None:
    answer_message = safely(answering.answer_message, "answering a message")
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
            return
        # A DM that mentions the bot can arrive as two events; the message itself is answered once.
        channel, ts = event.get("channel"), event.get("ts")
        if channel and ts and not seen.first_time(f"message:{channel}:{ts}"):
            return
        work.submit(answer_message, body)

    @app.event("app_mention")
    def on_mention(body: dict[str, Any], context: BoltContext, request: BoltRequest) -> None:
        take_event(body, context, request)

    @app.event("message")
    def on_message(body: dict[str, Any], event: dict[str, Any], context: BoltContext, request: BoltRequest) -> None:
        # Only direct messages; in channels the bot answers when mentioned (app_mention).
        if event.get("channel_type") == "im":
            take_event(body, context, request)

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

    # Buttons of one kind repeated in a message (one per offered status) carry a ":<n>" to keep their ids unique.
    @app.action(re.compile("^(" + "|".join(map(re.escape, ACTION_IDS)) + r")(?::\d{1,2})?$"))
    def on_action(ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        ack()
        if not once(body, "action"):
            return

        def job(payload: Mapping[str, Any]) -> None:
            answering.handle_action(payload, action)

        work.submit(safely(job, f"handling {action.get('action_id')}"), body)
