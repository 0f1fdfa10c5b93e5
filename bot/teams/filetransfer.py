"""Files to and from a Teams personal chat: a file the person sent, downloaded from their OneDrive (SharePoint) with
the pre-authenticated URL Teams gives, streamed and never stored; and a file the person accepted, uploaded to
the upload session Teams opened for it.

Both URLs are signed for the one file, so no token ever goes with them, and both are used only when they point at
Microsoft's file hosts (or the one host TEAMS_FILES_URL names); redirects are never followed.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO, Any
from urllib.parse import urlsplit

import httpx

from bot.platform.transfer import HostRule, buffered, declared_size

log = logging.getLogger(__name__)

FILE_DOWNLOAD_INFO = "application/vnd.microsoft.teams.file.download.info"
# SharePoint and OneDrive for Business, in the worldwide cloud and the national ones (Germany, China, US government).
FILE_HOST_SUFFIXES = (".sharepoint.com", ".sharepoint.de", ".sharepoint.cn", ".sharepoint.us",
                      ".sharepoint-mil.us")
TIMEOUT_SECONDS = 30.0
# An upload session takes a file in fragments of a multiple of 320 KiB (at most 60 MiB each).
UPLOAD_FRAGMENT = 16 * 320 * 1024


class TransferError(Exception):
    """A file could not be fetched from or sent to OneDrive; the message is for logs, not for people."""


def host(url: str | None) -> str:
    """The host of a URL, for a log line (never the URL: its query is the key to the file)."""
    try:
        return (urlsplit(url or "").hostname or "")[:80]
    except ValueError:
        return ""


@dataclass(frozen=True)
class SentFile:
    """A file sent to the bot, as the message's attachment describes it (Teams gives no size)."""

    name: str
    download_url: str
    unique_id: str
    file_type: str

    @classmethod
    def from_attachment(cls, attachment: Mapping[str, Any]) -> SentFile | None:
        """None for an attachment that is not a sent file (a card, the message's HTML, an inline image)."""
        if attachment.get("contentType") != FILE_DOWNLOAD_INFO:
            return None
        content = attachment.get("content")
        content = content if isinstance(content, Mapping) else {}
        name = str(attachment.get("name") or "").strip() or "export.csv"
        file_type = str(content.get("fileType") or PurePath(name).suffix.lstrip(".")).lower()
        return cls(name=name[:255], download_url=str(content.get("downloadUrl") or ""),
                   unique_id=str(content.get("uniqueId") or ""), file_type=file_type[:20])


@dataclass(frozen=True)
class Download:
    stream: IO[bytes]
    # The size the file host declared (Content-Length), None when it did not say.
    size: int | None


class TeamsFiles:
    def __init__(self, extra_url: str | None = None, http: httpx.Client | None = None) -> None:
        self.hosts = HostRule.of(suffixes=FILE_HOST_SUFFIXES, extra=extra_url)
        self._http = http or httpx.Client(timeout=TIMEOUT_SECONDS, follow_redirects=False)

    def allowed(self, url: str | None) -> bool:
        return self.hosts.allows(url)

    @contextmanager
    def download(self, sent: SentFile, max_bytes: int | None = None) -> Iterator[Download]:
        """The file's bytes as a stream straight from the file host. Raises TransferError before the first byte
        when the URL is not a file host's or the host refuses. When the declared size is over `max_bytes` the
        stream is empty and the size says why: not a byte of the body is read."""
        if not self.allowed(sent.download_url):
            raise TransferError(f"refusing to download from {host(sent.download_url)!r}")
        try:
            with self._http.stream("GET", sent.download_url) as response:
                if response.status_code != 200:
                    raise TransferError(f"download answered {response.status_code}")
                kind = response.headers.get("content-type", "")
                # A URL whose signature expired may answer with a sign-in page.
                if kind.startswith("text/html") and sent.file_type not in ("html", "htm"):
                    raise TransferError("download answered with a web page (link expired?)")
                size = declared_size(response)
                if size is not None and max_bytes is not None and size > max_bytes:
                    yield Download(io.BytesIO(), size)
                    return
                yield Download(buffered(response), size)
        except httpx.HTTPError as exc:
            raise TransferError(f"download failed: {type(exc).__name__}") from exc

    def upload(self, upload_url: str, chunks: Iterator[bytes], size: int) -> None:
        """PUTs `size` bytes (from `chunks`) into an upload session, fragment by fragment, as OneDrive takes them."""
        if not self.allowed(upload_url):
            raise TransferError(f"refusing to upload to {host(upload_url)!r}")
        start = 0
        for fragment in _fragments(chunks, UPLOAD_FRAGMENT):
            end = start + len(fragment) - 1
            headers = {"Content-Length": str(len(fragment)), "Content-Range": f"bytes {start}-{end}/{size}"}
            try:
                response = self._http.put(upload_url, content=fragment, headers=headers)
            except httpx.HTTPError as exc:
                raise TransferError(f"upload failed: {type(exc).__name__}") from exc
            last = end + 1 >= size
            # 202 while the session waits for more, 200 or 201 once the file is complete.
            if response.status_code not in ((200, 201) if last else (202, 200, 201)):
                raise TransferError(f"upload answered {response.status_code} at byte {start}")
            start = end + 1
        if start != size:
            raise TransferError(f"upload ended after {start} of {size} bytes")

    def close(self) -> None:
        self._http.close()


def _fragments(chunks: Iterator[bytes], size: int) -> Iterator[bytes]:
    pending = bytearray()
    for chunk in chunks:
        pending += chunk
        while len(pending) >= size:
            yield bytes(pending[:size])
            del pending[:size]
    if pending:
        yield bytes(pending)
