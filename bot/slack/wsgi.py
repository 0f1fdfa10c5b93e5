"""Slack over HTTP: bolt's WSGI adapter on /slack/events plus /healthz, served by waitress."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from slack_bolt.adapter.wsgi import SlackRequestHandler

from bot.slack.app import SlackBot
from bot.slack.listeners import COMMAND
from bot.slack.request_shape import refuse_malformed

if TYPE_CHECKING:
    from bot.metrics import Metrics

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
METRICS_PATH = "/metrics"
# Slack's payloads are a few KB; refuse anything far larger before it is read into memory.
MAX_BODY_BYTES = 1_000_000

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


def wsgi_app(bot: SlackBot, metrics: Metrics | None = None) -> WsgiApp:
    # Bodies not shaped like Slack's get 400 with a reason before bolt parses them (it would raise: a 500).
    slack = refuse_malformed(SlackRequestHandler(bot.app, path=EVENTS_PATH), EVENTS_PATH, [COMMAND])

    def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == HEALTH_PATH and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", "3")])
            return [b"ok\n"]
        if metrics is not None and environ.get("PATH_INFO") == METRICS_PATH and environ.get("REQUEST_METHOD") == "GET":
            from bot.metrics import CONTENT_TYPE

            body = metrics.exposition()
            start_response("200 OK", [("Content-Type", CONTENT_TYPE), ("Content-Length", str(len(body)))])
            return [body]
        return slack(environ, start_response)

    return application


def server_threads(listener_threads: int) -> int:
    """waitress threads: each request is quick (verify, de-duplicate, ack), but a command's ack
    waits for its listener, so keep as many as listener threads, never fewer than 8."""
    return max(8, listener_threads)


def create_server(application: WsgiApp, host: str, port: int, threads: int) -> Any:
    """A waitress server for `application` (wsgi_app(bot)), bound but not yet serving: call .run()."""
    from waitress.server import create_server as waitress_server

    return waitress_server(
        application,
        host=host,
        port=port,
        threads=threads,
        # A burst of events opens many connections at once; waitress's default of 100 would hold them back.
        connection_limit=1000,
        backlog=2048,
        channel_timeout=30,
        max_request_body_size=MAX_BODY_BYTES,
        ident="invitation-bot",
        clear_untrusted_proxy_headers=True,
    )


def stop_server(server: Any, timeout: float = 5.0) -> None:
    """Stop a server whose run() loop is in another thread.

    The worker threads stop first, so nothing touches a connection afterwards; the sockets are
    then closed by the loop's own thread (closing them from here races with its select()).
    """
    from waitress import wasyncore

    server.task_dispatcher.shutdown(timeout=timeout)
    server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map))
