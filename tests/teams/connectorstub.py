"""A stand-in for the Bot Connector (Teams' serviceUrl) on loopback: a real HTTP server that records every
activity posted or updated and answers member lookups, plus builders of activities shaped as Teams sends them.

It also stands in for the person's OneDrive: it serves the files sent to the bot (as SharePoint serves them at a
pre-authenticated download URL) and takes uploads into upload sessions (PUT with Content-Range, as OneDrive).

Used by the Teams tests and by benchmarks/bench_teams.py.
"""

from __future__ import annotations

import contextlib
import http.client
import itertools
import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote, urlsplit

OUR_TENANT = "9b1c0d2e-3f4a-4b5c-8d6e-7f8091a2b3c4"
MERCHANT_TENANT = "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9"
BOT_ID = "28:0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5"
BOT_NAME = "invitation-bot"
ALICE = "29:1alice-staff"          # our support agent
BERTIL = "29:1bertil-staff"        # another agent, Swedish
GUEST = "29:1gustav-guest"         # a B2B guest in our tenant
MERCHANT = "29:1maja-merchant"     # a merchant's person, of another tenant
TEAM = "19:support-team@thread.tacv2"
CHANNEL = "19:support-general@thread.tacv2"
SHARED_CHANNEL = "19:nordic-shared@thread.tacv2"
GROUP_CHAT = "19:meeting_group-chat@thread.v2"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class SharedFile:
    content: bytes
    content_type: str = "application/octet-stream"
    # Content-Length to declare (None: the content's own); send_length False: no Content-Length at all.
    declared_size: int | None = None
    send_length: bool = True
    status: int = 200
    # Answer with a redirect to this URL instead of the file.
    redirect: str | None = None


@dataclass
class Call:
    method: str  # POST, PUT, GET
    path: str  # after the serviceUrl, e.g. v3/conversations/<id>/activities/<replyTo>
    body: Any
    token: str | None
    at: float = field(default_factory=time.monotonic)
    # The id the stub gave a posted activity (what Teams answers as ResourceResponse.id).
    posted_id: str | None = None

    @property
    def conversation(self) -> str:
        return unquote(self.path.split("/")[2])

    @property
    def reply_to(self) -> str | None:
        parts = self.path.split("/")
        return unquote(parts[4]) if len(parts) > 4 and self.method == "POST" else None

    @property
    def activity_id(self) -> str | None:
        parts = self.path.split("/")
        return unquote(parts[4]) if len(parts) > 4 else None


def member(user_id: str, tenant: str, role: str = "user", name: str = "Someone") -> dict[str, Any]:
    return {"id": user_id, "name": name, "aadObjectId": f"aad-{user_id[3:]}", "tenantId": tenant,
            "userRole": role, "email": f"{user_id[3:]}@example.com", "userPrincipalName": f"{user_id[3:]}@x"}


class StubConnector:
    def __init__(self, prefix: str = "/emea/", host: str = "127.0.0.1") -> None:
        self.prefix = prefix
        # The address it listens on (another than loopback: a host elsewhere, as an attacker's server would be).
        self.host = host
        self.calls: list[Call] = []
        # user id -> TeamsChannelAccount, for every conversation (who someone is does not depend on where).
        self.members: dict[str, dict[str, Any]] = {
            ALICE: member(ALICE, OUR_TENANT, name="Alice Agent"),
            BERTIL: member(BERTIL, OUR_TENANT, name="Bertil Agent"),
            GUEST: member(GUEST, OUR_TENANT, role="guest", name="Gustav Guest"),
            MERCHANT: member(MERCHANT, MERCHANT_TENANT, name="Maja Merchant"),
        }
        # conversation id -> user ids in it (the member list of a group chat).
        self.rosters: dict[str, list[str]] = {}
        # "POST" / "PUT" / "GET" -> statuses to answer before the next real answer (429, 502 ...).
        self.failures: dict[str, list[int]] = {}
        # OneDrive: file id -> file served at files/<id>; upload session -> bytes received; session -> size.
        self.files: dict[str, SharedFile] = {}
        self.uploads: dict[str, bytearray] = {}
        self.upload_sizes: dict[str, int] = {}
        self._ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._changed = threading.Condition()
        self._server: ThreadingHTTPServer | None = None

    # -- server ---------------------------------------------------------------------------------

    def start(self) -> StubConnector:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # the tests read the recorded calls
                pass

            def do_GET(self) -> None:
                self._handle("GET")

            def do_POST(self) -> None:
                self._handle("POST")

            def do_PUT(self) -> None:
                self._handle("PUT")

            def _handle(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                token = (self.headers.get("Authorization") or "").removeprefix("Bearer ") or None
                path = urlsplit(self.path).path
                if path.startswith("/files/") and method == "GET":
                    self._download(path, token)
                    return
                if path.startswith("/uploads/") and method == "PUT":
                    status, payload = stub._upload(path, raw, self.headers.get("Content-Range"), token)
                else:
                    body = json.loads(raw) if raw else None
                    status, payload = stub._respond(method, path, body, token)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                if status == 429:
                    self.send_header("Retry-After", "0")
                self.end_headers()
                self.wfile.write(data)

            def _download(self, path: str, token: str | None) -> None:
                file_id = path.split("/")[2]
                stub._record(Call("DOWNLOAD", path.lstrip("/"), None, token))
                found = stub.files.get(file_id)
                if found is None or found.status != 200:
                    self.send_response(found.status if found else 404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if found.redirect:
                    self.send_response(302)
                    self.send_header("Location", found.redirect)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", found.content_type)
                if found.send_length:
                    self.send_header("Content-Length", str(found.declared_size or len(found.content)))
                if not found.send_length or found.declared_size is not None:
                    # The body ends with the connection (or is shorter than declared): close it after.
                    self.send_header("Connection", "close")
                    self.close_connection = True
                self.end_headers()
                with contextlib.suppress(OSError):  # the client had seen enough (a declared size over the limit)
                    self.wfile.write(found.content)

        self._server = ThreadingHTTPServer((self.host, 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                         name="stub-connector", daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    @property
    def service_url(self) -> str:
        assert self._server is not None
        return f"http://{self.host}:{self._server.server_address[1]}{self.prefix}"

    @property
    def files_url(self) -> str:
        """Where the stand-in OneDrive serves and takes files (TEAMS_FILES_URL of the app under test)."""
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    # -- OneDrive ---------------------------------------------------------------------------------

    def share_file(self, content: bytes, name: str = "export.csv", *, file_type: str | None = None,
                   download_url: str | None = None, **serving: Any) -> dict[str, Any]:
        """A file a person sends to the bot; returns the attachment as Teams puts it in the message."""
        file_id = f"{next(self._file_ids):04d}"
        self.files[file_id] = SharedFile(content, **serving)
        unique_id = f"1150D938-8870-4044-9F2C-{int(file_id):012d}"
        return {
            "contentType": "application/vnd.microsoft.teams.file.download.info",
            "contentUrl": f"https://contoso-my.sharepoint.com/personal/alice_contoso_com/Documents/"
                          f"Microsoft Teams Chat Files/{name}",
            "name": name,
            "content": {"downloadUrl": download_url if download_url is not None else
                        f"{self.files_url}/files/{file_id}/download.aspx?UniqueId={unique_id}&tempauth=v1.s{file_id}",
                        "uniqueId": unique_id, "fileType": file_type or name.rsplit(".", 1)[-1].lower(),
                        "etag": "1"},
        }

    def downloads(self) -> list[Call]:
        return self.matching(lambda c: c.method == "DOWNLOAD")

    def upload_info(self, name: str, upload_url: str | None = None) -> dict[str, Any]:
        """What Teams puts in a file consent invoke once the person accepted: an upload session in their OneDrive."""
        session = f"s{next(self._file_ids):04d}"
        return {"name": name, "uploadUrl": upload_url or f"{self.files_url}/uploads/{session}?guid=signed",
                "contentUrl": f"https://contoso-my.sharepoint.com/personal/alice_contoso_com/Documents/"
                              f"Applications/invitation-bot/{name}",
                "uniqueId": f"A1B2C3D4-0000-4000-8000-{session[1:].rjust(12, '0')}", "fileType": "csv"}

    def upload_calls(self) -> list[Call]:
        return self.matching(lambda c: c.method == "UPLOAD")

    def _upload(self, path: str, data: bytes, content_range: str | None, token: str | None) -> tuple[int, Any]:
        """A fragment of an upload session: `bytes start-end/size`, in order, as OneDrive requires."""
        session = path.split("/")[2]
        self._record(Call("UPLOAD", path.lstrip("/"), {"range": content_range, "length": len(data)}, token))
        try:
            span, total = (content_range or "").removeprefix("bytes ").split("/")
            start, end = (int(part) for part in span.split("-"))
            size = int(total)
        except ValueError:
            return 400, {"error": {"code": "invalidRange"}}
        with self._changed:
            received = self.uploads.setdefault(session, bytearray())
            if start != len(received) or end - start + 1 != len(data) or self.upload_sizes.get(session, size) != size:
                return 416, {"error": {"code": "invalidRange"}}
            received += data
            self.upload_sizes[session] = size
            complete = len(received) == size
        if complete:
            return 201, {"id": f"item-{session}", "name": "uploaded.csv", "size": size}
        return 202, {"nextExpectedRanges": [f"{len(received)}-"]}

    # -- behaviour ------------------------------------------------------------------------------

    def _respond(self, method: str, path: str, body: Any, token: str | None) -> tuple[int, Any]:
        if not path.startswith(self.prefix + "v3/conversations/"):
            return 404, {"error": {"code": "NotFound", "message": path}}
        relative = path[len(self.prefix):]
        with self._changed:
            pending = self.failures.get(method)
            failure = pending.pop(0) if pending else None
        if failure is not None:
            self._record(Call(f"{method}:{failure}", relative, body, token))
            return failure, {"error": {"code": "Throttled" if failure == 429 else "Failed", "message": "stub"}}
        parts = relative.split("/")
        if method == "GET" and len(parts) == 5 and parts[3] == "members":
            self._record(Call(method, relative, body, token))
            found = self.members.get(unquote(parts[4]))
            return (200, found) if found else (404, {"error": {"code": "MemberNotFoundInConversation"}})
        if method == "GET" and len(parts) == 4 and parts[3] == "members":
            self._record(Call(method, relative, body, token))
            roster = self.rosters.get(unquote(parts[2]), [])
            return 200, [self.members[user] for user in roster if user in self.members]
        if method in ("POST", "PUT") and len(parts) >= 4 and parts[3] == "activities":
            activity_id = unquote(parts[4]) if method == "PUT" else f"1800000{next(self._ids):06d}"
            self._record(Call(method, relative, body, token, posted_id=activity_id))
            return 200, {"id": activity_id}
        return 404, {"error": {"code": "NotFound", "message": relative}}

    def _record(self, call: Call) -> None:
        with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    # -- reading what happened ------------------------------------------------------------------

    def matching(self, predicate: Callable[[Call], bool]) -> list[Call]:
        with self._changed:
            return [call for call in self.calls if predicate(call)]

    def messages(self) -> list[Call]:
        """Message activities posted (replies and new messages), not typing indicators."""
        return self.matching(lambda c: c.method == "POST" and isinstance(c.body, dict)
                             and c.body.get("type") == "message")

    def updates(self) -> list[Call]:
        return self.matching(lambda c: c.method == "PUT")

    def lookups(self) -> list[Call]:
        return self.matching(lambda c: c.method == "GET")

    def wait_for(self, predicate: Callable[[Call], bool], count: int = 1, timeout: float = 20) -> list[Call]:
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = [call for call in self.calls if predicate(call)]
                if len(found) >= count:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"expected {count} calls, got {len(found)}: {self.calls[-5:]}")
                self._changed.wait(left)

    def wait_messages(self, count: int = 1, timeout: float = 20) -> list[Call]:
        return self.wait_for(lambda c: c.method == "POST" and isinstance(c.body, dict)
                             and c.body.get("type") == "message", count, timeout)


# -- activities, as Teams sends them ---------------------------------------------------------------

_ids = itertools.count(1)


def next_id() -> str:
    """Teams message ids are millisecond timestamps, unique per conversation only."""
    return str(1_700_000_000_000 + next(_ids) * 7)


def _base(service_url: str, user: str, conversation: dict[str, Any], *, locale: str, tenant: str,
          activity_id: str | None, kind: str = "message") -> dict[str, Any]:
    return {
        "type": kind,
        "id": activity_id or next_id(),
        "timestamp": "2026-11-20T10:00:00.123Z",
        "localTimestamp": "2026-11-20T11:00:00.123+01:00",
        "serviceUrl": service_url,
        "channelId": "msteams",
        "from": {"id": user, "name": user[3:], "aadObjectId": f"aad-{user[3:]}"},
        "conversation": conversation,
        "recipient": {"id": BOT_ID, "name": BOT_NAME},
        "locale": locale,
        "entities": [{"type": "clientInfo", "locale": locale, "country": "SE", "platform": "Web",
                      "timezone": "Europe/Stockholm"}],
        "channelData": {"tenant": {"id": tenant}},
    }


def personal_message(service_url: str, text: str, *, user: str = ALICE, locale: str = "en-US",
                     tenant: str = OUR_TENANT, activity_id: str | None = None,
                     conversation_id: str | None = None) -> dict[str, Any]:
    conversation = {"conversationType": "personal", "tenantId": tenant,
                    "id": conversation_id or f"a:1personal-{user[3:]}"}
    activity = _base(service_url, user, conversation, locale=locale, tenant=tenant, activity_id=activity_id)
    activity.update({"text": text, "textFormat": "plain"})
    return activity


def _mention(text: str) -> tuple[str, list[dict[str, Any]]]:
    tag = f"<at>{BOT_NAME}</at>"
    return f"{tag} {text}", [{"type": "mention", "mentioned": {"id": BOT_ID, "name": BOT_NAME}, "text": tag}]


def channel_mention(service_url: str, text: str, *, user: str = ALICE, channel: str = CHANNEL, team: str = TEAM,
                    tenant: str = OUR_TENANT, locale: str = "en-US", activity_id: str | None = None,
                    root_id: str | None = None, shared: bool = False) -> dict[str, Any]:
    """A channel post that mentions the bot; `root_id` for a reply in an existing thread."""
    activity_id = activity_id or next_id()
    conversation = {"isGroup": True, "conversationType": "channel", "tenantId": tenant,
                    "id": f"{channel};messageid={root_id or activity_id}"}
    activity = _base(service_url, user, conversation, locale=locale, tenant=tenant, activity_id=activity_id)
    full_text, mentions = _mention(text)
    activity.update({"text": full_text, "textFormat": "plain"})
    activity["entities"] = mentions + activity["entities"]
    channel_info: dict[str, Any] = {"id": channel, "name": "General"}
    if shared:
        channel_info["membershipType"] = "shared"
    activity["channelData"] = {"teamsChannelId": channel, "teamsTeamId": team, "channel": channel_info,
                               "team": {"id": team, "name": "Support"}, "tenant": {"id": tenant}}
    return activity


def group_chat_mention(service_url: str, text: str, *, user: str = ALICE, chat: str = GROUP_CHAT,
                       tenant: str = OUR_TENANT, locale: str = "en-US",
                       activity_id: str | None = None) -> dict[str, Any]:
    conversation = {"isGroup": True, "conversationType": "groupChat", "tenantId": tenant, "id": chat}
    activity = _base(service_url, user, conversation, locale=locale, tenant=tenant, activity_id=activity_id)
    full_text, mentions = _mention(text)
    activity.update({"text": full_text, "textFormat": "plain"})
    activity["entities"] = mentions + activity["entities"]
    return activity


def with_files(activity: dict[str, Any], attachments: list[dict[str, Any]]) -> dict[str, Any]:
    """The message with files attached, and the HTML of its text as Teams adds it."""
    html = [{"contentType": "text/html", "content": f"<p>{activity.get('text') or ''}</p>"}]
    return {**activity, "attachments": [*attachments, *html]}


def file_message(service_url: str, attachments: list[dict[str, Any]], text: str = "", **options: Any) -> dict[str, Any]:
    """A file sent to the bot in a personal chat, with or without words."""
    activity = personal_message(service_url, text, **options)
    if not text:
        activity.pop("text")
    return with_files(activity, attachments)


def file_consent(where: dict[str, Any], card: dict[str, Any], action: str, *, user: str,
                 upload_info: dict[str, Any] | None = None, card_id: str | None = None) -> dict[str, Any]:
    """The person's answer to a file consent card: a `fileConsent/invoke` with the card's context back."""
    content = card["content"]
    activity = {k: v for k, v in where.items() if k not in ("text", "textFormat", "attachments")}
    value: dict[str, Any] = {"type": "fileUpload", "action": action,
                             "context": content["acceptContext" if action == "accept" else "declineContext"]}
    if upload_info is not None:
        value["uploadInfo"] = upload_info
    activity.update({"type": "invoke", "name": "fileConsent/invoke", "id": f"f:{next_id()}",
                     "from": {"id": user, "name": user[3:], "aadObjectId": f"aad-{user[3:]}"}, "value": value})
    if card_id:
        activity["replyToId"] = card_id
    activity["entities"] = []
    return activity


def card_submit(reply_to_activity: dict[str, Any], data: dict[str, Any], *, user: str) -> dict[str, Any]:
    """Action.Submit: a message with the button's data as `value`, no text, replying to the card."""
    activity = {**reply_to_activity, "id": next_id(), "from": {"id": user, "name": user[3:]},
                "replyToId": reply_to_activity["replyToId"], "value": data}
    activity.pop("text", None)
    activity["entities"] = [e for e in activity.get("entities", []) if e.get("type") != "mention"]
    return activity


def execute_invoke(where: dict[str, Any], card_id: str, action: dict[str, Any], *, user: str) -> dict[str, Any]:
    """Action.Execute: an `adaptiveCard/action` invoke carrying the button's verb and data."""
    activity = {k: v for k, v in where.items() if k not in ("text", "textFormat")}
    activity.update({"type": "invoke", "name": "adaptiveCard/action", "id": f"f:{next_id()}",
                     "from": {"id": user, "name": user[3:]}, "replyToId": card_id,
                     "value": {"action": {"type": "Action.Execute", "id": "", "verb": action["verb"],
                                          "data": action["data"]}, "trigger": "manual"}})
    activity["entities"] = [e for e in activity.get("entities", []) if e.get("type") != "mention"]
    return activity


def message_action(where: dict[str, Any], html: str, *, user: str, kind: str = "composeExtension/fetchTask",
                   data: dict[str, Any] | None = None) -> dict[str, Any]:
    activity = {k: v for k, v in where.items() if k not in ("text", "textFormat")}
    value: dict[str, Any] = {
        "commandId": "explainInvitationStatus", "commandContext": "message",
        "context": {"theme": "default"},
        "messagePayload": {"id": "1700000099999", "messageType": "message", "body": {"contentType": "html",
                                                                                      "content": html},
                           "from": {"user": {"id": "aad-x", "displayName": "Someone"}}},
    }
    if data is not None:
        value["data"] = data
    activity.update({"type": "invoke", "name": kind, "id": f"f:{next_id()}", "from": {"id": user, "name": user[3:]},
                     "value": value})
    activity["entities"] = []
    return activity


def bot_added(service_url: str, *, kind: str = "conversationUpdate", conversation: dict[str, Any] | None = None,
              user: str = ALICE, locale: str = "sv-SE", tenant: str = OUR_TENANT) -> dict[str, Any]:
    conversation = conversation or {"conversationType": "personal", "tenantId": tenant, "id": f"a:1new-{next_id()}"}
    activity = _base(service_url, user, conversation, locale=locale, tenant=tenant, activity_id=None, kind=kind)
    if kind == "conversationUpdate":
        activity["membersAdded"] = [{"id": BOT_ID}]
    else:
        activity["action"] = "add"
    return activity


# -- posting ---------------------------------------------------------------------------------------

@dataclass
class Response:
    status: int
    body: Any
    seconds: float


def post_activity(url: str, activity: Any, *, token: str | None = None, timeout: float = 30,
                  raw: bytes | None = None) -> Response:
    parts = urlsplit(url)
    data = raw if raw is not None else json.dumps(activity).encode()
    headers = {"Content-Type": "application/json"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    started = time.monotonic()
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        connection.request("POST", parts.path, body=data, headers=headers)
        response = connection.getresponse()
        payload = response.read()
    finally:
        connection.close()
    elapsed = time.monotonic() - started
    try:
        body = json.loads(payload) if payload else None
    except ValueError:
        body = payload
    return Response(response.status, body, elapsed)


def get(url: str, timeout: float = 10) -> Response:
    parts = urlsplit(url)
    started = time.monotonic()
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        connection.request("GET", parts.path)
        response = connection.getresponse()
        payload = response.read()
    finally:
        connection.close()
    return Response(response.status, payload, time.monotonic() - started)
