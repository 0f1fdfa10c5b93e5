"""`python -m bot` without a subcommand: Slack when its tokens are set, Teams when its client id is, else the chat."""

from __future__ import annotations

import argparse

from bot.cli.common import EXIT_USAGE, settings_or_none


def run(args: argparse.Namespace) -> int:
    settings = settings_or_none()
    if settings is None:
        return EXIT_USAGE
    if settings.slack_app_token:
        from bot.cli import socket

        return socket.run(args)
    if settings.slack_signing_secret:
        from bot.cli import serve

        return serve.run(args)
    if settings.teams.client_id and not settings.slack_bot_token:
        from bot.cli import teams

        return teams.run(args)
    from bot.cli import chat

    return chat.run(args)
