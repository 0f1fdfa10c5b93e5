"""What every adapter's file handling shares: the hosts a file may come from or go to, and a streamed HTTP body
read as a binary file (the triage reads a download as it arrives; nothing is stored)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any
from urllib.parse import urlsplit

import httpx

# Bytes read from a download at a time.
CHUNK = 64 * 1024
# What a file must look like to be taken for an export when the message also asks something in words.
_EXPORT_TYPES = frozenset({"csv", "tsv", "text", "txt", "xlsx", "xls", "ods", "numbers", "zip", "gzip"})
_EXPORT_SUFFIXES = frozenset({".csv", ".tsv", ".txt", ".xlsx", ".xls", ".ods", ".numbers", ".zip"})


def looks_like_export(name: str, filetype: str = "", mimetype: str = "") -> bool:
    """A file that may be an export (or a workbook or archive of one, which the triage then explains)."""
    suffix = PurePath(name).suffix.lower()
    filetype, mimetype = filetype.lower(), mimetype.lower()
    return filetype in _EXPORT_TYPES or suffix in _EXPORT_SUFFIXES or "csv" in mimetype or "spreadsheet" in mimetype


def _origin(url: str) -> tuple[str, str, int | None] | None:
    """(scheme, host, port with the scheme's default filled in), or None for a URL without a host."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if not parts.hostname:
        return None
    scheme = parts.scheme.lower()
    return scheme, parts.hostname.lower(), port or {"https": 443, "http": 80}.get(scheme)


@dataclass(frozen=True)
class HostRule:
    """Which URLs a file may be fetched from or sent to: https to one of `hosts` or to a host ending in one of
    `suffixes`, or exactly the scheme, host and port of `extra` (a stand-in or proxy named in the settings, plain
    http when its own URL says so). Never a URL with a user name or password in it."""

    hosts: frozenset[str] = frozenset()
    suffixes: tuple[str, ...] = ()
    extra: str | None = None

    @classmethod
    def of(cls, hosts: Iterable[str] = (), suffixes: Iterable[str] = (), extra: str | None = None) -> HostRule:
        return cls(frozenset(host.lower() for host in hosts), tuple(suffix.lower() for suffix in suffixes), extra)

    def allows(self, url: str | None) -> bool:
        if not url:
            return False
        try:
            parts = urlsplit(url)
        except ValueError:
            return False
        if parts.username or parts.password or "@" in parts.netloc:
            return False
        origin = _origin(url)
        if origin is None:
            return False
        if self.extra and origin == _origin(self.extra):
            return True
        scheme, host, _port = origin
        if scheme != "https":
            return False
        return host in self.hosts or any(host.endswith(suffix) and len(host) > len(suffix)
                                         for suffix in self.suffixes)


class ResponseStream(io.RawIOBase):
    """A streamed HTTP response body as a binary file; a connection that breaks off is an OSError, which the
    triage reports as an unreadable file."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending:
            try:
                self._pending = next(self._chunks)
            except StopIteration:
                return 0
            except httpx.HTTPError as exc:
                raise OSError(f"download broke off: {exc}") from exc
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size


def buffered(response: httpx.Response) -> io.BufferedReader:
    """The body of a streamed response, read as a file."""
    return io.BufferedReader(ResponseStream(response.iter_bytes(CHUNK)), CHUNK)


def declared_size(response: httpx.Response) -> int | None:
    """The body's size as the server gives it (Content-Length), or None when it does not say."""
    raw = response.headers.get("content-length", "")
    return int(raw) if raw.strip().isdigit() else None
