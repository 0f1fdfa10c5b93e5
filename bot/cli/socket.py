"""`python -m bot socket`: Slack in Socket Mode (SLACK_APP_TOKEN), no public URL needed."""

from __future__ import annotations

import argparse
import logging

from bot.cli.common import fail, setup_logging
from bot.cli.slack_start import DRAIN_SECONDS, start, stop_on_sigterm

log = logging.getLogger(__name__)


def run(args: argparse.Namespace) -> int:
    setup_logging(logging.INFO)
    started = start("socket", ("SLACK_APP_TOKEN", "SLACK_BOT_TOKEN"), http=False)
    if isinstance(started, int):
        return started
    components, bot = started
    settings = components.settings

    from slack_sdk.errors import SlackApiError

    from bot.slack.socket_mode import socket_mode_handler

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
