"""The sandbox as a real HTTP server on the standard library: started in a thread, or served until Ctrl-C."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

from bot.invitations.sandbox.accounts import API_KEY, API_SECRET
from bot.invitations.sandbox.api import Request, SandboxApi
from bot.invitations.sandbox.data import DemoData
from bot.invitations.sandbox.faults import SandboxOptions

logger = logging.getLogger(__name__)

_MAX_BODY = 64 * 1024


class _Handler(BaseHTTPRequestHandler):
    # HTTP/1.1 keeps connections open between requests, as a real API behind a load balancer does.
    protocol_version = "HTTP/1.1"
    server_version = "InvitationsSandbox/1.0"
    # An idle kept-alive connection is dropped after this many seconds.
    timeout = 30
    # Headers and body leave in separate writes; without this, Nagle's algorithm meets the
    # client's delayed ACK and every answer on a kept-alive connection waits ~40 ms.
    disable_nagle_algorithm = True
    server: _Server

    def _serve(self) -> None:
        path, _, query = self.path.partition("?")
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(min(length, _MAX_BODY)) if length > 0 else b""
        if length > _MAX_BODY:
            # The rest of an oversized body is still unread: this connection cannot carry another request.
            self.close_connection = True
        headers = {name.lower(): value for name, value in self.headers.items()}
        try:
            reply = self.server.api.handle(Request(self.command, path, query, headers, body))
        except Exception:
            logger.exception("sandbox failed on %s %s", self.command, path)
            self.send_error(500)
            return
        self.send_response(reply.status)
        for name, value in reply.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        self.wfile.write(reply.body)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _serve

    def log_message(self, format: str, *args: object) -> None:
        logger.debug("sandbox %s - %s", self.address_string(), format % args)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # Do not wait for kept-alive connections on shutdown.
    block_on_close = False

    def __init__(self, address: tuple[str, int], api: SandboxApi) -> None:
        super().__init__(address, _Handler)
        self.api = api


class RunningSandbox:
    """A sandbox serving in a daemon thread; `url`, `api_key` and `api_secret` are what a client needs."""

    def __init__(self, server: _Server, thread: threading.Thread | None) -> None:
        self._server = server
        self._thread = thread
        host, port = server.server_address[:2]
        self.host = str(host)
        self.port = int(port)
        self.url = f"http://{self.host}:{self.port}"
        self.api_key = API_KEY
        self.api_secret = API_SECRET
        self.api: SandboxApi = server.api
        self.data: DemoData = server.api.data

    def stop(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._server.server_close()

    def __enter__(self) -> RunningSandbox:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()


def start_sandbox(host: str = "127.0.0.1", port: int = 0, options: SandboxOptions | None = None) -> RunningSandbox:
    """Bind (port 0: any free port), build the demo data and serve in a daemon thread."""
    server = _Server((host, port), SandboxApi(options or SandboxOptions()))
    # A short poll interval makes stop() quick; the loop itself costs next to nothing.
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              name="invitations-sandbox", daemon=True)
    thread.start()
    return RunningSandbox(server, thread)


def serve(
    host: str = "127.0.0.1",
    port: int = 8080,
    options: SandboxOptions | None = None,
    on_ready: Callable[[RunningSandbox], None] | None = None,
) -> None:
    """Serve in this thread until interrupted (Ctrl-C raises KeyboardInterrupt out of here)."""
    server = _Server((host, port), SandboxApi(options or SandboxOptions()))
    running = RunningSandbox(server, None)
    try:
        if on_ready is not None:
            on_ready(running)
        server.serve_forever()
    finally:
        server.server_close()
