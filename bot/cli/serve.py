"""`python -m bot serve`: Slack over HTTP on /slack/events (and /healthz), served by waitress."""

from __future__ import annotations

import argparse
import logging
import signal
from types import FrameType

from bot.cli.common import EXIT_USAGE, components_or_none, fail, settings_or_none, setup_logging

log = logging.getLogger(__name__)

# Listen on every interface: the app runs behind a load balancer or a platform's router.
HOST = "0.0.0.0"
# On SIGTERM, answers already taken get this long to reach Slack (platforms allow about 30 s).
DRAIN_SECONDS = 20.0


def stop_on_sigterm() -> None:
    """SIGTERM (a deploy, a scale-down) stops like Ctrl-C, so answers in progress can finish."""

    def handle(_signum: int, _frame: FrameType | None) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, handle)


def run(args: argparse.Namespace) -> int:
    setup_logging(logging.INFO)
    settings = settings_or_none()
    if settings is None:
        return EXIT_USAGE
    missing = [name for name, value in (("SLACK_SIGNING_SECRET", settings.slack_signing_secret),
                                        ("SLACK_BOT_TOKEN", settings.slack_bot_token)) if not value]
    if missing:
        return fail([f"serve needs {' and '.join(missing)}"], EXIT_USAGE)
    components = components_or_none(settings)
    if components is None:
        return 1

    from slack_bolt.error import BoltError

    from bot.slack.app import build_slack_bot
    from bot.slack.wsgi import create_server, server_threads, wsgi_app

    try:
        bot = build_slack_bot(settings, components.assistant, components.access, http=True)
    except BoltError as exc:
        components.close()
        return fail([f"Slack did not accept SLACK_BOT_TOKEN: {exc}"], 1)
    port = getattr(args, "port", None) or settings.port
    try:
        server = create_server(wsgi_app(bot), HOST, port, server_threads(settings.slack_listener_threads))
    except OSError as exc:
        bot.close()
        components.close()
        return fail([f"cannot listen on port {port}: {exc.strerror or exc}"], 1)
    log.info("Slack over HTTP on http://%s:%s/slack/events (health: /healthz)", HOST, port)
    stop_on_sigterm()
    try:
        # Returns on SIGTERM or Ctrl-C (waitress stops its worker threads itself).
        server.run()
    finally:
        log.info("stopping: letting answers in progress finish")
        bot.wait_idle(DRAIN_SECONDS)
        server.close()
        bot.close()
        components.close()
    return 0
