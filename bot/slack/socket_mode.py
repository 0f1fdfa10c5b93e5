"""Slack in Socket Mode: no public URL, the app opens a WebSocket to Slack with the xapp- token."""

from __future__ import annotations

from slack_bolt.adapter.socket_mode import SocketModeHandler

from bot.slack.app import SlackBot


def socket_mode_handler(bot: SlackBot, app_token: str, concurrency: int) -> SocketModeHandler:
    # concurrency: the threads that read envelopes and ack them; the answers run on the bot's own pool.
    return SocketModeHandler(bot.app, app_token=app_token, concurrency=concurrency)
