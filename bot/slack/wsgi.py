"""Slack over HTTP: bolt's WSGI adapter on /slack/events plus /healthz, served by waitress."""

from __future__ import annotations

import io
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


# Connections served at once. One client holding 2,000 idle connections must not lock Slack out,
# so the limit sits far above that; the open-file limit (raised at start) bounds it too.
MAX_CONNECTIONS = 10_000
# File descriptors kept free for everything else: Redis, the Slack and invitations API clients, logs.
RESERVED_FDS = 200
# An idle connection (nothing sent, or a request never finished) is closed after this many seconds,
# checked every CLEANUP_SECONDS; Slack sends each request at once, so only stragglers are cut.
IDLE_TIMEOUT_SECONDS = 15
CLEANUP_SECONDS = 5


def raise_open_file_limit() -> int:
    """Raise this process's soft open-file limit to its hard limit; return the limit now in force."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = MAX_CONNECTIONS + RESERVED_FDS
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        except (ValueError, OSError) as exc:
            log.warning("could not raise the open-file limit from %s to %s: %s", soft, target, exc)
    soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    return MAX_CONNECTIONS + RESERVED_FDS if soft == resource.RLIM_INFINITY else int(soft)


def connection_limit(open_files: int) -> int:
    return max(100, min(MAX_CONNECTIONS, open_files - RESERVED_FDS))


def create_server(application: WsgiApp, host: str, port: int, threads: int,
                  connections: int | None = None) -> Any:
    """A waitress server for `application` (wsgi_app(bot)), bound but not yet serving: call .run().

    `connections`: the most connections served at once (default: from the open-file limit, which
    this raises as far as the system allows).
    """
    from waitress.server import create_server as waitress_server

    limit = connections if connections is not None else connection_limit(raise_open_file_limit())
    if limit < 2_500:
        log.warning("serving at most %d connections at once (open-file limit); a client holding that many "
                    "idle connections delays Slack's requests: raise `ulimit -n`", limit)
    server = waitress_server(
        application,
        host=host,
        port=port,
        threads=threads,
        connection_limit=limit,
        # poll() rather than select(): select() cannot watch file descriptors above 1,023.
        asyncore_use_poll=True,
        backlog=2048,
        channel_timeout=IDLE_TIMEOUT_SECONDS,
        cleanup_interval=CLEANUP_SECONDS,
        max_request_body_size=MAX_BODY_BYTES,
        ident="invitation-bot",
        clear_untrusted_proxy_headers=True,
    )
    _accept_in_batches(server)
    return server


# Connections taken per wake-up of the event loop when many wait to be accepted.
ACCEPT_BATCH = 64


def _accept_in_batches(server: Any) -> None:
    """Make waitress accept up to ACCEPT_BATCH waiting connections per wake-up, not one.

    Each turn of its loop re-registers every open connection with poll(), so accepting a
    storm of 2,000 connections one per turn costs millions of calls; a signed event queued
    behind them waited seconds on a busy machine. The connection limit still holds.
    """
    accept_one = server.handle_accept
    limit = server.adj.connection_limit

    def handle_accept() -> None:
        for _ in range(ACCEPT_BATCH):
            before = len(server._map)
            accept_one()
            if len(server._map) <= before or len(server._map) >= limit:
                return  # nothing more waiting (or refused), or the limit is reached

    server.handle_accept = handle_accept


def stop_server(server: Any, timeout: float = 5.0) -> None:
    """Stop a server whose run() loop is in another thread.

    The worker threads stop first, so nothing touches a connection afterwards; the sockets are
    then closed by the loop's own thread (closing them from here races with its select()).
    """
    from waitress import wasyncore

    server.task_dispatcher.shutdown(timeout=timeout)
    server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map))
