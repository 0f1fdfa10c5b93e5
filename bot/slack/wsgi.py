"""Slack over HTTP: bolt's WSGI adapter on /slack/events plus /healthz, served by waitress."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt.adapter.wsgi import SlackRequestHandler

from bot.slack.app import SlackBot

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
# Slack's payloads are a few KB; refuse anything far larger before it is read into memory.
MAX_BODY_BYTES = 1_000_000

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


def wsgi_app(bot: SlackBot) -> WsgiApp:
    slack = SlackRequestHandler(bot.app, path=EVENTS_PATH)

    def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == HEALTH_PATH and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", "3")])
            return [b"ok\n"]
        bot.ack_first.request_arrived()
        if (environ.get("PATH_INFO") == EVENTS_PATH and environ.get("REQUEST_METHOD") == "POST"
                and (environ.get("CONTENT_TYPE") or "").startswith("application/json")):
            # Mentions and DMs are acknowledged on the fast path; anything it leaves goes to bolt.
            body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
            status = bot.events.handle(body, _slack_headers(environ))
            if status is not None:
                start_response(f"{status} {'OK' if status == 200 else 'Unauthorized'}",
                               [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", "0")])
                return [b""]
            environ = {**environ, "wsgi.input": io.BytesIO(body)}
        return slack(environ, start_response)

    return application


def _slack_headers(environ: dict[str, Any]) -> dict[str, str]:
    headers: dict[str, str] = {}
    for name in ("x-slack-request-timestamp", "x-slack-signature", "x-slack-retry-num"):
        value = environ.get("HTTP_" + name.upper().replace("-", "_"))
        if value is not None:
            headers[name] = str(value)
    return headers


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
