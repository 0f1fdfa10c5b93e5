"""A stand-in for Slack on loopback: a real HTTP server playing the Web API and response_urls,
recording every call, plus helpers that sign requests the way Slack does.

Used by the Slack tests and by benchmarks/bench_slack.py.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import itertools
import json
import socket
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

HOME_TEAM = "T0HOME"
BOT_USER = "U0BOT"
BOT_ID = "B0BOT"


@dataclass
class Call:
    method: str  # "chat.postMessage", ... or "response:<name>" for a response_url
    args: dict[str, Any]
    token: str | None = None  # the bearer token the call was made with
    at: float = field(default_factory=time.monotonic)


class StubSlack:
    def __init__(self, *, team_id: str = HOME_TEAM, bot_user_id: str = BOT_USER, bot_id: str = BOT_ID) -> None:
        self.team_id = team_id
        self.bot_user_id = bot_user_id
        self.bot_id = bot_id
        self.calls: list[Call] = []
        # user id -> users.info "user" object; unknown users get user_not_found.
        self.users: dict[str, dict[str, Any]] = {}
        # channel id -> conversations.info "channel" object; unknown channels are ordinary, not shared.
        self.channels: dict[str, dict[str, Any]] = {}
        # Web API method -> Slack error string returned instead of ok.
        self.errors: dict[str, str] = {}
        # Web API method -> how many 429 responses to give before answering.
        self.rate_limits: dict[str, int] = {}
        # Web API method (or "response/<name>") -> HTTP statuses (5xx) to answer with, in order, first.
        self.server_errors: dict[str, list[int]] = {}
        # Web API method -> how many requests to drop (connection closed without an answer) first.
        self.dropped: dict[str, int] = {}
        # response_url names that answer 404 (expired).
        self.dead_response_urls: set[str] = set()
        # What apps.connections.open hands out (Socket Mode): this URL plus a fresh ticket per call.
        self.socket_url: str | None = None
        # Files shared in the workspace: files.info objects by id, and their bytes, served at /files/<id>/<name>
        # to requests that carry `file_token` (anything else gets Slack's sign-in page, as the real one does).
        self.files: dict[str, dict[str, Any]] = {}
        self.file_contents: dict[str, bytes] = {}
        self.file_token = "xoxb-test"
        # Bytes received at the upload URLs that files.getUploadURLExternal handed out, by file id.
        self.uploads: dict[str, bytes] = {}
        self._file_ids = itertools.count(1)
        self._ts = itertools.count(1)
        self._tickets = itertools.count(1)
        self._changed = threading.Condition()
        self._server: ThreadingHTTPServer | None = None

    # -- server ---------------------------------------------------------------------------------

    def start(self) -> StubSlack:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # quiet: the tests read the recorded calls
                pass

            def do_GET(self) -> None:
                self._handle(b"")

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self._handle(self.rfile.read(length))

            def _send_raw(self, status: int, data: bytes, content_type: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _handle(self, body: bytes) -> None:
                parts = urlsplit(self.path)
                authorization = self.headers.get("Authorization") or ""
                if parts.path.startswith(("/files/", "/upload/")):
                    self._send_raw(*stub._file_request(self.command, parts.path, body, authorization))
                    return
                args: dict[str, Any] = dict(parse_qsl(parts.query))
                if body:
                    if "json" in (self.headers.get("Content-Type") or ""):
                        args.update(json.loads(body))
                    else:
                        args.update(parse_qsl(body.decode()))
                token = authorization.removeprefix("Bearer ") or None
                if stub._drop(parts.path, args, token):
                    self.close_connection = True
                    return
                status, payload, headers = stub._respond(parts.path, args, token)
                data = json.dumps(payload).encode() if not isinstance(payload, bytes) else payload
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="stub-slack",
                         daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def api_url(self) -> str:
        """What SLACK_API_URL would be."""
        return f"{self.url}/api/"

    def response_url(self, name: str) -> str:
        return f"{self.url}/response/{name}"

    # -- behaviour ------------------------------------------------------------------------------

    def _drop(self, path: str, args: dict[str, Any], token: str | None) -> bool:
        method = path.removeprefix("/api/")
        with self._changed:
            dropped = self.dropped.get(method, 0)
            if dropped:
                self.dropped[method] = dropped - 1
        if dropped:
            self._record(f"dropped:{method}", args, token)
        return bool(dropped)

    def _respond(self, path: str, args: dict[str, Any], token: str | None = None) -> tuple[int, Any, dict[str, str]]:
        target = path.removeprefix("/api/").lstrip("/")  # "chat.postMessage" or "response/<name>"
        with self._changed:
            failing = self.server_errors.get(target) or []
            status = failing.pop(0) if failing else None
        if status is not None:
            self._record(f"{status}:{target}", args, token)
            return status, b"<html><body>Bad Gateway</body></html>", {}
        if path.startswith("/response/"):
            name = path[len("/response/"):]
            self._record(f"response:{name}", args)
            if name in self.dead_response_urls:
                return 404, b"expired_url", {}
            return 200, b"ok", {}
        method = path.removeprefix("/api/")
        with self._changed:
            limited = self.rate_limits.get(method, 0)
            if limited:
                self.rate_limits[method] = limited - 1
        if limited:
            self._record(f"429:{method}", args, token)
            return 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "2"}

        self._record(method, args, token)
        if method in self.errors:
            return 200, {"ok": False, "error": self.errors[method]}, {}
        return 200, self._result(method, args), {}

    def _result(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {"ok": True, "team_id": self.team_id, "user_id": self.bot_user_id, "bot_id": self.bot_id,
                    "team": "Home", "user": "invitation-bot", "url": "https://home.example.slack.com/"}
        if method == "users.info":
            user = self.users.get(args.get("user", ""))
            return {"ok": True, "user": user} if user else {"ok": False, "error": "user_not_found"}
        if method == "conversations.info":
            channel_id = args.get("channel", "")
            channel = self.channels.get(channel_id) or {
                "id": channel_id, "is_im": channel_id.startswith("D"), "is_ext_shared": False}
            return {"ok": True, "channel": channel}
        if method == "apps.connections.open" and self.socket_url:
            return {"ok": True, "url": f"{self.socket_url}?ticket={next(self._tickets)}"}
        if method == "files.info":
            found = self.files.get(args.get("file", ""))
            return {"ok": True, "file": found} if found else {"ok": False, "error": "file_not_found"}
        if method == "files.getUploadURLExternal":
            file_id = f"F0UP{next(self._file_ids):04d}"
            return {"ok": True, "upload_url": f"{self.url}/upload/{file_id}", "file_id": file_id}
        if method == "files.completeUploadExternal":
            files = json.loads(args["files"]) if isinstance(args.get("files"), str) else args.get("files") or []
            return {"ok": True, "files": [{"id": f["id"], "title": f.get("title")} for f in files]}
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": "D" + str(args.get("users", "")).lstrip("U")}}
        if method in ("chat.postMessage", "chat.postEphemeral", "chat.update"):
            ts = args.get("ts") or f"1700000000.{next(self._ts):06d}"
            return {"ok": True, "channel": args.get("channel"), "ts": ts, "message_ts": ts}
        return {"ok": True}

    def _file_request(self, verb: str, path: str, body: bytes, authorization: str) -> tuple[int, bytes, str]:
        if path.startswith("/upload/") and verb == "POST":
            file_id = path.removeprefix("/upload/")
            self.uploads[file_id] = body
            self._record(f"upload:{file_id}", {"bytes": len(body), "authorization": authorization})
            return 200, b"OK - " + str(len(body)).encode(), "text/plain"
        file_id = path.removeprefix("/files/").split("/", 1)[0]
        self._record(f"download:{file_id}", {"authorization": authorization})
        if authorization != f"Bearer {self.file_token}":
            return 200, b"<!DOCTYPE html><html><body>Sign in to Slack</body></html>", "text/html; charset=utf-8"
        content = self.file_contents.get(file_id)
        if content is None:
            return 404, b"not found", "text/plain"
        return 200, content, "text/csv"

    def share_file(self, content: bytes, name: str = "export.csv", *, filetype: str = "csv",
                   mimetype: str | None = None, size: int | None = None, url: str | None = None) -> dict[str, Any]:
        """A file in the workspace; returns the file object as a file_share event carries it."""
        file_id = f"F0SH{next(self._file_ids):04d}"
        self.file_contents[file_id] = content
        mimetype = mimetype or {"csv": "text/csv", "png": "image/png", "xlsx": "application/vnd.openxmlformats-"
                                "officedocument.spreadsheetml.sheet"}.get(filetype, "application/octet-stream")
        found = {"id": file_id, "name": name, "title": name, "filetype": filetype, "mimetype": mimetype,
                 "size": len(content) if size is None else size, "mode": "hosted",
                 "url_private": url or f"{self.url}/files/{file_id}/{name}",
                 "url_private_download": url or f"{self.url}/files/{file_id}/download/{name}"}
        self.files[file_id] = found
        return dict(found)

    def _record(self, method: str, args: dict[str, Any], token: str | None = None) -> None:
        if isinstance(args.get("blocks"), str):
            args["blocks"] = json.loads(args["blocks"])
        with self._changed:
            self.calls.append(Call(method, args, token))
            self._changed.notify_all()

    # -- assertions -----------------------------------------------------------------------------

    def calls_to(self, method: str) -> list[Call]:
        with self._changed:
            return [call for call in self.calls if call.method == method]

    def wait_for(self, predicate: Callable[[list[Call]], bool], timeout: float = 10.0) -> list[Call]:
        """Wait until `predicate(calls)` holds; fail after `timeout` seconds (a deadline, not a sleep)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not predicate(list(self.calls)):
                left = deadline - time.monotonic()
                if left <= 0:
                    methods = [call.method for call in self.calls]
                    raise AssertionError(f"Slack stub: condition not met within {timeout}s; calls: {methods}")
                self._changed.wait(left)
            return list(self.calls)

    def wait_calls(self, method: str, count: int = 1, timeout: float = 10.0) -> list[Call]:
        self.wait_for(lambda calls: sum(call.method == method for call in calls) >= count, timeout)
        return self.calls_to(method)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# -- signed requests, as Slack sends them -------------------------------------------------------


def sign(secret: str, timestamp: str, body: bytes) -> str:
    base = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


@dataclass
class Response:
    status: int
    body: bytes
    headers: Mapping[str, str]


def post(url: str, body: bytes, content_type: str, *, secret: str | None, retry_num: int | None = None,
         signature: str | None = None, timestamp: int | None = None, timeout: float = 10.0) -> Response:
    """POST like Slack: signed with `secret` (or the given `signature`), with x-slack-retry-num on retries."""
    parts = urlsplit(url)
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    headers = {"Content-Type": content_type, "X-Slack-Request-Timestamp": stamp}
    if secret is not None or signature is not None:
        headers["X-Slack-Signature"] = signature or sign(secret or "", stamp, body)
    if retry_num:
        headers["X-Slack-Retry-Num"] = str(retry_num)
        headers["X-Slack-Retry-Reason"] = "http_timeout"
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        connection.request("POST", parts.path or "/", body=body, headers=headers)
        response = connection.getresponse()
        return Response(response.status, response.read(), dict(response.getheaders()))
    finally:
        connection.close()


def get(url: str, timeout: float = 10.0) -> Response:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        connection.request("GET", parts.path or "/")
        response = connection.getresponse()
        return Response(response.status, response.read(), dict(response.getheaders()))
    finally:
        connection.close()


def event_body(event: Mapping[str, Any], event_id: str, *, team_id: str = HOME_TEAM,
               ext_shared: bool = False) -> bytes:
    return json.dumps({
        "token": "legacy-unused",
        "team_id": team_id,
        "api_app_id": "A0APP",
        "event": dict(event),
        "type": "event_callback",
        "event_id": event_id,
        "event_time": int(time.time()),
        "authorizations": [{"team_id": team_id, "user_id": BOT_USER, "is_bot": True}],
        "is_ext_shared_channel": ext_shared,
    }).encode()


def mention_event(text: str, *, user: str = "U0ALICE", channel: str = "C0GENERAL", ts: str = "1700000001.000100",
                  thread_ts: str | None = None, user_team: str = HOME_TEAM, **extra: Any) -> dict[str, Any]:
    event = {"type": "app_mention", "user": user, "text": text, "ts": ts, "channel": channel,
             "team": user_team, "user_team": user_team, "source_team": user_team, "event_ts": ts, **extra}
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def dm_event(text: str, *, user: str = "U0ALICE", channel: str = "D0ALICE", ts: str = "1700000002.000100",
             **extra: Any) -> dict[str, Any]:
    return {"type": "message", "channel_type": "im", "user": user, "text": text, "ts": ts, "channel": channel,
            "team": HOME_TEAM, "event_ts": ts, **extra}


def command_body(text: str, response_url: str, *, user: str = "U0ALICE", channel: str = "C0GENERAL",
                 team_id: str = HOME_TEAM, trigger_id: str = "trig-cmd-1", channel_name: str = "general") -> bytes:
    return urlencode({
        "token": "legacy-unused", "team_id": team_id, "team_domain": "home", "channel_id": channel,
        "channel_name": channel_name, "user_id": user, "user_name": "alice", "command": "/invitation",
        "text": text, "api_app_id": "A0APP", "response_url": response_url, "trigger_id": trigger_id,
    }).encode()


def interactive_body(payload: Mapping[str, Any]) -> bytes:
    return urlencode({"payload": json.dumps(payload)}).encode()


def shortcut_payload(message_text: str, response_url: str, *, user: str = "U0ALICE", channel: str = "C0GENERAL",
                     message_ts: str = "1700000003.000100", trigger_id: str = "trig-sc-1",
                     thread_ts: str | None = None) -> dict[str, Any]:
    message: dict[str, Any] = {"type": "message", "user": "U0MERCHANT", "text": message_text, "ts": message_ts}
    if thread_ts:
        message["thread_ts"] = thread_ts
    return {
        "type": "message_action", "callback_id": "explain_invitation_status", "trigger_id": trigger_id,
        "response_url": response_url, "team": {"id": HOME_TEAM, "domain": "home"},
        "user": {"id": user, "team_id": HOME_TEAM, "name": "alice"}, "channel": {"id": channel, "name": "general"},
        "message": message, "message_ts": message_ts, "action_ts": "1700000004.000000", "token": "legacy-unused",
    }


def block_action_payload(action_id: str, value: str, response_url: str, *, user: str = "U0ALICE",
                         channel: str = "C0GENERAL", ephemeral: bool = False, message_ts: str = "1700000005.000100",
                         trigger_id: str = "trig-act-1") -> dict[str, Any]:
    return {
        "type": "block_actions", "trigger_id": trigger_id, "response_url": response_url,
        "team": {"id": HOME_TEAM, "domain": "home"}, "user": {"id": user, "team_id": HOME_TEAM, "name": "alice"},
        "api_app_id": "A0APP", "token": "legacy-unused",
        "container": {"type": "message", "message_ts": message_ts, "channel_id": channel, "is_ephemeral": ephemeral},
        "channel": {"id": channel, "name": "general"},
        "actions": [{"type": "button", "action_id": action_id, "block_id": "b1", "value": value,
                     "action_ts": "1700000006.000000", "text": {"type": "plain_text", "text": "x"}}],
    }
