"""Files to and from Slack: a shared file downloaded only from Slack's own hosts with the bot's token, streamed
(never stored), and a file uploaded through files.getUploadURLExternal and files.completeUploadExternal."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, Any
from urllib.parse import urlsplit

import httpx
from slack_sdk import WebClient

from bot.platform.transfer import CHUNK, HostRule, buffered

log = logging.getLogger(__name__)

# Slack serves a workspace's files from this host; nothing else gets the bot's token.
SLACK_FILES_HOST = "files.slack.com"
TIMEOUT_SECONDS = 30.0


class TransferError(Exception):
    """A file could not be fetched from or sent to Slack; the message is for logs, not for people."""


@dataclass(frozen=True)
class SharedFile:
    id: str
    name: str
    size: int | None
    url: str | None
    filetype: str
    mimetype: str

    @classmethod
    def from_event(cls, raw: Mapping[str, Any]) -> SharedFile:
        size = raw.get("size")
        return cls(
            id=str(raw.get("id") or ""),
            name=str(raw.get("name") or raw.get("title") or "export.csv"),
            size=size if isinstance(size, int) and size >= 0 else None,
            url=raw.get("url_private_download") or raw.get("url_private"),
            filetype=str(raw.get("filetype") or "").lower(),
            mimetype=str(raw.get("mimetype") or "").lower(),
        )


class SlackFiles:
    """Downloads and uploads for one Slack app; `api_url` (SLACK_API_URL) names the only other host allowed."""

    def __init__(self, client: WebClient, api_url: str | None = None, http: httpx.Client | None = None) -> None:
        self.client = client
        # A stand-in or proxy named by SLACK_API_URL may speak plain HTTP, as its own URL says.
        self._hosts = HostRule.of(hosts=(SLACK_FILES_HOST,), extra=api_url)
        self._http = http or httpx.Client(timeout=TIMEOUT_SECONDS, follow_redirects=False)

    def allowed(self, url: str | None) -> bool:
        return self._hosts.allows(url)

    def describe(self, raw: Mapping[str, Any]) -> SharedFile:
        """The file as the event gives it, completed by files.info when the event holds only its id."""
        shared = SharedFile.from_event(raw)
        if shared.url and shared.size is not None:
            return shared
        if not shared.id:
            raise TransferError("a shared file without an id")
        try:
            info = self.client.files_info(file=shared.id).get("file") or {}
        except Exception as exc:
            raise TransferError(f"files.info failed: {exc}") from exc
        return SharedFile.from_event({**raw, **info})

    @contextmanager
    def download(self, shared: SharedFile) -> Iterator[IO[bytes]]:
        """The file's bytes as a stream, straight from Slack; raises TransferError before the first byte when
        the URL is not Slack's or Slack refuses."""
        if not self.allowed(shared.url):
            raise TransferError(f"refusing to download from {urlsplit(shared.url or '').hostname!r}")
        headers = {"Authorization": f"Bearer {self.client.token}"}
        try:
            with self._http.stream("GET", shared.url or "", headers=headers) as response:
                if response.status_code != 200:
                    raise TransferError(f"download answered {response.status_code}")
                kind = response.headers.get("content-type", "")
                # Slack answers a bad token with its sign-in page, 200 and all.
                if kind.startswith("text/html") and shared.filetype not in ("html", "htm"):
                    raise TransferError("download answered with a web page (token not accepted?)")
                yield buffered(response)
        except httpx.HTTPError as exc:
            raise TransferError(f"download failed: {exc}") from exc

    def upload(self, data: IO[bytes], filename: str, title: str, channel: str, thread_ts: str | None = None,
               comment: str | None = None) -> str:
        """Uploads `data` (a seekable file) into a conversation; returns the file id."""
        data.seek(0, io.SEEK_END)
        length = data.tell()
        data.seek(0)
        ticket = self.client.files_getUploadURLExternal(filename=filename, length=length)
        upload_url, file_id = ticket.get("upload_url"), ticket.get("file_id")
        if not isinstance(upload_url, str) or not isinstance(file_id, str) or not self.allowed(upload_url):
            raise TransferError("files.getUploadURLExternal gave no usable upload URL")

        def chunks() -> Iterator[bytes]:
            while chunk := data.read(CHUNK):
                yield chunk

        try:
            # The upload URL is signed for this one file: it needs no token.
            response = self._http.post(upload_url, content=chunks(),
                                       headers={"Content-Length": str(length), "Content-Type": "text/csv"})
        except httpx.HTTPError as exc:
            raise TransferError(f"upload failed: {exc}") from exc
        if response.status_code != 200:
            raise TransferError(f"upload answered {response.status_code}")
        complete: dict[str, Any] = {"files": [{"id": file_id, "title": title}], "channel_id": channel}
        if thread_ts:
            complete["thread_ts"] = thread_ts
        if comment:
            complete["initial_comment"] = comment
        self.client.files_completeUploadExternal(**complete)
        return file_id

    def close(self) -> None:
        self._http.close()
