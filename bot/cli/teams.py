"""`python -m bot teams`: Microsoft Teams on POST /api/messages (and GET /healthz), served by aiohttp."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
from typing import TYPE_CHECKING

from bot.cli.common import EXIT_USAGE, components_or_none, fail, settings_or_none, setup_logging

if TYPE_CHECKING:
    # Imported when the command runs: the SDK is not needed by the other commands.
    from bot.teams.app import TeamsBot

log = logging.getLogger(__name__)

# Listen on every interface: the app runs behind a load balancer or a platform's router.
HOST = "0.0.0.0"
# On SIGTERM, answers already taken get this long to reach Teams (platforms allow about 30 s).
DRAIN_SECONDS = 20.0

ANONYMOUS_WARNING = (
    "ANONYMOUS DEVELOPMENT MODE: CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID is not set, so "
    "/api/messages accepts activities WITHOUT a Bot Framework token and replies go out without one, only to "
    "a serviceUrl on this machine (the Agents Playground's). Fine for local tries; never run it like this in "
    "production."
)


def run(args: argparse.Namespace) -> int:
    setup_logging(logging.INFO)
    # The SDK logs every reply it posts at INFO; ours say what matters.
    logging.getLogger("microsoft_agents").setLevel(logging.WARNING)
    # Warns on every turn in anonymous mode that the user-token client (OAuth sign-in, unused here) has no app id.
    logging.getLogger("microsoft_agents.hosting.core.connector.client.user_token_client").setLevel(logging.ERROR)
    settings = settings_or_none()
    if settings is None:
        return EXIT_USAGE
    from bot.metrics import Metrics

    metrics = Metrics()
    components = components_or_none(settings, record_events=True, observer=metrics, on_drop=metrics.event_dropped)
    if components is None:
        return 1

    from bot.cli.wiring import gaps_reader
    from bot.teams.app import build_teams_bot

    bot = build_teams_bot(settings, components.assistant, components.access, conversation=components.conversation,
                          gaps=gaps_reader(settings), metrics=metrics, triage=components.triage)
    port = getattr(args, "port", None) or settings.teams.port
    try:
        return asyncio.run(_serve(bot, port))
    finally:
        bot.close()
        components.close()


async def _serve(bot: TeamsBot, port: int) -> int:
    from aiohttp import web

    from bot.teams.server import HEALTH_PATH, MESSAGES_PATH

    runner = web.AppRunner(bot.server.web_app(), access_log=None, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, HOST, port, backlog=2048)
    try:
        await site.start()
    except OSError as exc:
        await runner.cleanup()
        return fail([f"cannot listen on port {port}: {exc.strerror or exc}"], 1)
    if bot.server.anonymous:
        log.warning(ANONYMOUS_WARNING)
    else:
        log.info("Bot Framework tokens are required on %s (app id %s)", MESSAGES_PATH,
                 bot.server.auth_configuration.CLIENT_ID)
    log.info("Microsoft Teams on http://%s:%s%s (health: %s, metrics: /metrics)", HOST, port, MESSAGES_PATH,
             HEALTH_PATH)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    try:
        await stop.wait()
    finally:
        log.info("stopping: letting answers in progress finish")
        await site.stop()
        if not await bot.server.drain(DRAIN_SECONDS):
            log.warning("some answers were still in progress after %.0f s", DRAIN_SECONDS)
        await runner.cleanup()
    return 0
