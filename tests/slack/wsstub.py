"""Slack's side of a Socket Mode link on loopback: a minimal WebSocket server (RFC 6455, standard library
only) that greets with hello, sends envelopes and records everything the app sends back."""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import json
import selectors
import socket
import struct
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from slackstub import command_body, event_body

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
OP_CONTINUATION, OP_TEXT, OP_BINARY, OP_CLOSE, OP_PING, OP_PONG = 0x0, 0x1, 0x2, 0x8, 0x9, 0xA


def accept_key(key: str) -> str:
    """Sec-WebSocket-Accept for a client's Sec-WebSocket-Key."""
    return base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()


def frame(opcode: int, payload: bytes = b"") -> bytes:
    """One final, unmasked frame, as a server sends them."""
    length = len(payload)
    if length < 126:
        header = struct.pack("!BB", 0x80 | opcode, length)
    elif length < 1 << 16:
        header = struct.pack("!BBH", 0x80 | opcode, 126, length)
    else:
        header = struct.pack("!BBQ", 0x80 | opcode, 127, length)
    return header + payload


def close_payload(code: int, reason: str = "") -> bytes:
    return struct.pack("!H", code) + reason.encode()


@dataclass
class Received:
    link: int  # index in StubSocketMode.links
    text: str
    data: Any  # the parsed JSON, None when the text is not JSON


class Link:
    """One accepted WebSocket connection."""

    def __init__(self, index: int, sock: socket.socket, path: str, query: dict[str, str]) -> None:
        self.index = index
        self.sock = sock
        self.path = path
        self.query = query
        self.open = True  # until either side closes
        self.close_sent = False
        self._send_lock = threading.Lock()

    def send_frame(self, opcode: int, payload: bytes = b"") -> bool:
        """False when the connection is already gone."""
        with self._send_lock:
            if self.close_sent:
                return False
            try:
                self.sock.sendall(frame(opcode, payload))
            except OSError:
                return False
            if opcode == OP_CLOSE:
                self.close_sent = True
            return True

    def send_json(self, message: Mapping[str, Any]) -> None:
        assert self.send_frame(OP_TEXT, json.dumps(message).encode()), f"link {self.index} is closed"

    def close(self, code: int = 1000, reason: str = "") -> None:
        """Start the closing handshake; the reader ends when the client drops the connection."""
        if self.send_frame(OP_CLOSE, close_payload(code, reason)):
            with contextlib.suppress(OSError):
                self.sock.shutdown(socket.SHUT_WR)

    def abort(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)


class StubSocketMode:
    def __init__(self, *, hello: bool = True) -> None:
        self.hello = hello
        self.links: list[Link] = []
        self.received: list[Received] = []
        self.pings = 0  # pings from the client (its keep-alive)
        self.errors: list[str] = []  # protocol violations by the client
        self._changed = threading.Condition()
        self._threads: list[threading.Thread] = []
        self._listener: socket.socket | None = None
        self._wake_r, self._wake_w = socket.socketpair()

    # -- server ---------------------------------------------------------------------------------

    def start(self) -> StubSocketMode:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._spawn(self._accept_loop, "stub-socket-accept")
        return self

    @property
    def url(self) -> str:
        """What apps.connections.open hands out; plain ws:// (the client uses TLS only on port 443)."""
        assert self._listener is not None
        return f"ws://127.0.0.1:{self._listener.getsockname()[1]}/link/"

    def stop(self, timeout: float = 5.0) -> None:
        self._wake_w.send(b"x")
        for link in list(self.links):
            link.close(1001, "server stopping")
        deadline = time.monotonic() + timeout
        for thread in list(self._threads):
            thread.join(max(0.0, deadline - time.monotonic()))
        for link in list(self.links):  # a client that never answered the close
            link.abort()
        for thread in list(self._threads):
            thread.join(timeout)
        if self._listener is not None:
            self._listener.close()
        self._wake_r.close()
        self._wake_w.close()

    def _spawn(self, target: Callable[..., None], name: str, *args: Any) -> None:
        thread = threading.Thread(target=target, args=args, name=name, daemon=True)
        self._threads.append(thread)
        thread.start()

    def _accept_loop(self) -> None:
        assert self._listener is not None
        with selectors.DefaultSelector() as selector:
            selector.register(self._listener, selectors.EVENT_READ)
            selector.register(self._wake_r, selectors.EVENT_READ)
            while True:
                for key, _events in selector.select():
                    if key.fileobj is self._wake_r:
                        return
                    conn, _address = self._listener.accept()
                    self._spawn(self._serve, "stub-socket-link", conn)

    def _serve(self, conn: socket.socket) -> None:
        with conn, conn.makefile("rb") as rfile:
            link = self._handshake(conn, rfile)
            if link is None:
                return
            try:
                self._read_frames(link, rfile)
            except OSError:
                pass
            finally:
                with self._changed:
                    link.open = False
                    self._changed.notify_all()

    def _handshake(self, conn: socket.socket, rfile: Any) -> Link | None:
        request_line = rfile.readline().decode("latin-1").rstrip("\r\n")
        headers: dict[str, str] = {}
        while True:
            line = rfile.readline().decode("latin-1")
            if line in ("\r\n", "\n", ""):
                break
            name, _colon, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        method, target, _version = [*request_line.split(" "), "", "", ""][:3]
        key = headers.get("sec-websocket-key", "")
        try:
            key_ok = len(base64.b64decode(key, validate=True)) == 16
        except binascii.Error:
            key_ok = False
        problems = [what for what, bad in (
            ("method", method != "GET"),
            ("Upgrade", headers.get("upgrade", "").lower() != "websocket"),
            ("Connection", "upgrade" not in headers.get("connection", "").lower()),
            ("Sec-WebSocket-Version", headers.get("sec-websocket-version") != "13"),
            ("Sec-WebSocket-Key", not key_ok),
        ) if bad]
        if problems:
            self._error(f"bad handshake ({', '.join(problems)}): {request_line!r} {headers}")
            conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            return None
        conn.sendall(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                      f"Sec-WebSocket-Accept: {accept_key(key)}\r\n\r\n").encode())
        parts = urlsplit(target)
        link = Link(-1, conn, parts.path, dict(parse_qsl(parts.query)))
        # Slack greets every new connection first; the link is visible to the test only afterwards.
        if self.hello:
            link.send_json({"type": "hello", "num_connections": 1,
                            "debug_info": {"host": "applink-stub", "build_number": 1,
                                           "approximate_connection_time": 18060},
                            "connection_info": {"app_id": "A0APP"}})
        with self._changed:
            link.index = len(self.links)
            self.links.append(link)
            self._changed.notify_all()
        return link

    def _read_frames(self, link: Link, rfile: Any) -> None:
        fragments: list[bytes] = []
        fragmented_opcode = 0
        while True:
            head = rfile.read(2)
            if len(head) < 2:
                return  # the client dropped the connection
            fin, opcode = head[0] & 0x80, head[0] & 0x0F
            masked, length = head[1] & 0x80, head[1] & 0x7F
            if length == 126:
                (length,) = struct.unpack("!H", rfile.read(2))
            elif length == 127:
                (length,) = struct.unpack("!Q", rfile.read(8))
            if not masked:
                # RFC 6455 5.1: a server must close the connection on an unmasked client frame.
                self._error(f"unmasked frame from the client (opcode {opcode})")
                link.close(1002, "unmasked frame")
                return
            mask = rfile.read(4)
            data = rfile.read(length)
            if len(mask) < 4 or len(data) < length:
                return
            payload = bytes(byte ^ mask[i % 4] for i, byte in enumerate(data))
            if opcode == OP_PING:
                self._note_ping()
                link.send_frame(OP_PONG, payload)
            elif opcode == OP_PONG:
                pass  # answers to our pings, which only serve to wake the client's reader
            elif opcode == OP_CLOSE:
                # Echo the close (same status code) and end; the client closes its side.
                link.send_frame(OP_CLOSE, payload[:2])
                return
            elif opcode in (OP_TEXT, OP_BINARY, OP_CONTINUATION):
                if opcode != OP_CONTINUATION:
                    fragmented_opcode, fragments = opcode, []
                fragments.append(payload)
                if fin:
                    message = b"".join(fragments)
                    if fragmented_opcode == OP_TEXT:
                        self._note_text(link, message.decode("utf-8"))
                    else:
                        self._error(f"unexpected binary message: {message[:40]!r}")
            else:
                self._error(f"unknown opcode {opcode}")

    def _note_text(self, link: Link, text: str) -> None:
        try:
            data = json.loads(text)
        except ValueError:
            data = None
        with self._changed:
            self.received.append(Received(link.index, text, data))
            self._changed.notify_all()

    def _note_ping(self) -> None:
        with self._changed:
            self.pings += 1
            self._changed.notify_all()

    def _error(self, message: str) -> None:
        with self._changed:
            self.errors.append(message)
            self._changed.notify_all()

    # -- driving and assertions -----------------------------------------------------------------

    def send(self, message: Mapping[str, Any], link: int = -1) -> None:
        """Send a JSON message on a link (the newest by default)."""
        with self._changed:
            target = self.links[link]
        target.send_json(message)

    def nudge(self) -> None:
        """Ping every open link: a client blocked reading a quiet socket wakes up at once."""
        for link in list(self.links):
            if link.open:
                link.send_frame(OP_PING, b"nudge")

    def wait_for(self, predicate: Callable[[], bool], what: str, timeout: float = 10.0) -> None:
        """Wait until `predicate()` holds (a deadline, not a sleep); it is called with the state locked."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not predicate():
                left = deadline - time.monotonic()
                if left <= 0:
                    texts = [r.text[:120] for r in self.received]
                    raise AssertionError(f"Socket Mode stub: {what} not within {timeout}s; links: {len(self.links)}, "
                                         f"received: {texts}, errors: {self.errors}")
                self._changed.wait(left)

    def wait_links(self, count: int, timeout: float = 10.0) -> list[Link]:
        self.wait_for(lambda: len(self.links) >= count, f"{count} connection(s)", timeout)
        return list(self.links)

    def acks(self) -> list[Received]:
        with self._changed:
            return [r for r in self.received if isinstance(r.data, dict) and "envelope_id" in r.data]

    def wait_acks(self, *envelope_ids: str, timeout: float = 10.0) -> list[Received]:
        """The acks of these envelopes (each must arrive); returned in the order they came."""
        wanted = set(envelope_ids)

        def arrived() -> bool:
            return wanted <= {r.data["envelope_id"] for r in self.received
                              if isinstance(r.data, dict) and "envelope_id" in r.data}

        self.wait_for(arrived, f"acks of {sorted(wanted)}", timeout)
        return [r for r in self.acks() if r.data["envelope_id"] in wanted]


# -- envelopes, as Slack sends them over the link -----------------------------------------------


def events_envelope(event: Mapping[str, Any], event_id: str, envelope_id: str, *, retry_attempt: int = 0,
                    retry_reason: str = "") -> dict[str, Any]:
    return {"envelope_id": envelope_id, "type": "events_api", "accepts_response_payload": False,
            "retry_attempt": retry_attempt, "retry_reason": retry_reason,
            "payload": json.loads(event_body(event, event_id))}


def command_envelope(text: str, response_url: str, envelope_id: str, **fields: Any) -> dict[str, Any]:
    return {"envelope_id": envelope_id, "type": "slash_commands", "accepts_response_payload": True,
            "payload": dict(parse_qsl(command_body(text, response_url, **fields).decode()))}


def disconnect_message(reason: str = "refresh_requested") -> dict[str, Any]:
    return {"type": "disconnect", "reason": reason, "debug_info": {"host": "applink-stub"}}

