"""`python -m bot socket`: Slack in Socket Mode (SLACK_APP_TOKEN), no public URL needed."""

from __future__ import annotations

import argparse
import logging

from bot.cli.common import EXIT_USAGE, components_or_none, fail, settings_or_none, setup_logging
from bot.cli.serve import DRAIN_SECONDS, stop_on_sigterm

log = logging.getLogger(__name__)


def run(args: argparse.Namespace) -> int:
    setup_logging(logging.INFO)
    settings = settings_or_none()
    if settings is None:
        return EXIT_USAGE
    missing = [name for name, value in (("SLACK_APP_TOKEN", settings.slack_app_token),
                                        ("SLACK_BOT_TOKEN", settings.slack_bot_token)) if not value]
    if missing:
        return fail([f"socket needs {' and '.join(missing)}"], EXIT_USAGE)
    components = components_or_none(settings)
    if components is None:
        return 1

    from slack_bolt.error import BoltError
    from slack_sdk.errors import SlackApiError

    from bot.slack.app import build_slack_bot
    from bot.slack.socket_mode import socket_mode_handler

    try:
        bot = build_slack_bot(settings, components.assistant, components.access, http=False)
    except BoltError as exc:
        components.close()
        return fail([f"Slack did not accept SLACK_BOT_TOKEN: {exc}"], 1)
    handler = socket_mode_handler(bot, settings.slack_app_token or "", settings.slack_listener_threads)
    stop_on_sigterm()
    try:
        log.info("Slack in Socket Mode")
        handler.start()
    except SlackApiError as exc:
        return fail([f"Slack did not accept SLACK_APP_TOKEN: {exc.response.get('error', exc)}"], 1)
    except (SystemExit, KeyboardInterrupt):
        log.info("stopping: letting answers in progress finish")
        bot.wait_idle(DRAIN_SECONDS)
    finally:
        handler.close()
        bot.close()
        components.close()
    return 0
