"""`python -m bot serve`: Slack over HTTP on /slack/events (and /healthz), served by waitress."""

from __future__ import annotations

import argparse
import logging

from bot.cli.common import fail, setup_logging
from bot.cli.slack_start import DRAIN_SECONDS, start, stop_on_sigterm

log = logging.getLogger(__name__)

# Listen on every interface: the app runs behind a load balancer or a platform's router.
HOST = "0.0.0.0"


def run(args: argparse.Namespace) -> int:
    setup_logging(logging.INFO)
    from bot.metrics import Metrics

    metrics = Metrics()
    started = start("serve", ("SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN"), http=True, metrics=metrics)
    if isinstance(started, int):
        return started
    components, bot = started
    settings = components.settings

    from bot.slack.wsgi import create_server, server_threads, wsgi_app

    port = getattr(args, "port", None) or settings.port
    try:
        server = create_server(wsgi_app(bot, metrics), HOST, port, server_threads(settings.slack_listener_threads))
    except OSError as exc:
        bot.close()
        components.close()
        return fail([f"cannot listen on port {port}: {exc.strerror or exc}"], 1)
    log.info("Slack over HTTP on http://%s:%s/slack/events (health: /healthz, metrics: /metrics)", HOST, port)
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
