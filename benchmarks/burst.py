"""A load generator for bursts: every request of a burst on its own connection, all sent at once
from one thread with non-blocking sockets, each response timed as it arrives.

Threads (one per request) would measure themselves: with 200 of them the client's own scheduling
and interpreter lock add tens of milliseconds to every figure. One selector loop adds almost none.
"""

from __future__ import annotations

import selectors
import socket
import time
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass
class Sent:
    status: int = 0
    started: float = 0.0
    finished: float = 0.0
    error: str = ""

    @property
    def seconds(self) -> float:
        return self.finished - self.started


def request_bytes(url: str, body: bytes, headers: dict[str, str]) -> bytes:
    parts = urlsplit(url)
    lines = [f"POST {parts.path or '/'} HTTP/1.1", f"Host: {parts.hostname}:{parts.port}",
             f"Content-Length: {len(body)}", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def burst(url: str, requests: list[bytes], timeout: float = 30.0) -> list[Sent]:
    """Send every request (from request_bytes) on its own new connection at once; one Sent each.

    A request is timed from the moment its connection is opened to the end of its response.
    """
    parts = urlsplit(url)
    address = (parts.hostname or "127.0.0.1", parts.port or 80)
    selector = selectors.DefaultSelector()
    results = [Sent() for _ in requests]
    pending: dict[int, tuple[socket.socket, memoryview, bytearray]] = {}
    for index, data in enumerate(requests):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setblocking(False)
        results[index].started = time.monotonic()
        sock.connect_ex(address)
        selector.register(sock, selectors.EVENT_WRITE, index)
        pending[index] = (sock, memoryview(data), bytearray())
    deadline = time.monotonic() + timeout
    while pending and time.monotonic() < deadline:
        for key, events in selector.select(timeout=0.5):
            index = key.data
            sock, unsent, received = pending[index]
            try:
                if events & selectors.EVENT_WRITE and unsent:
                    sent = sock.send(unsent)
                    unsent = unsent[sent:]
                    pending[index] = (sock, unsent, received)
                    if not unsent:
                        selector.modify(sock, selectors.EVENT_READ, index)
                    continue
                chunk = sock.recv(65536)
            except OSError as exc:
                chunk, results[index].error = b"", str(exc)
            if chunk:
                received += chunk
                if not _complete(received):
                    continue
            results[index].finished = time.monotonic()
            results[index].status = _status(received)
            selector.unregister(sock)
            sock.close()
            del pending[index]
    for index, (sock, _unsent, _received) in pending.items():
        results[index].error = results[index].error or "timed out"
        selector.unregister(sock)
        sock.close()
    selector.close()
    return results


def _complete(received: bytearray) -> bool:
    head, separator, body = bytes(received).partition(b"\r\n\r\n")
    if not separator:
        return False
    for line in head.split(b"\r\n")[1:]:
        name, _colon, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return len(body) >= int(value.strip() or 0)
    return False  # no length: complete when the server closes


def _status(received: bytearray) -> int:
    try:
        return int(bytes(received).split(b" ", 2)[1])
    except (IndexError, ValueError):
        return 0
