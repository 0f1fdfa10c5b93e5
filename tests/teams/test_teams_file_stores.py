"""The parts under the Teams file flow: which hosts a file may come from or go to, the action lists waiting for
consent (in memory, bounded and expiring; in a real Redis, shared by instances and taken once), and the upload
in fragments into the stand-in's upload session."""

from __future__ import annotations

import io
import os

import pytest
from connectorstub import StubConnector

from bot.platform.transfer import HostRule
from bot.teams import filetransfer
from bot.teams.filetransfer import FILE_HOST_SUFFIXES, SentFile, TeamsFiles, TransferError
from bot.teams.pending import (
    CONSENT_TTL_SECONDS,
    ListTooLarge,
    MemoryConsentStore,
    PendingList,
    consent_store,
)

RULE = HostRule.of(suffixes=FILE_HOST_SUFFIXES, extra="http://127.0.0.1:8099")


@pytest.mark.parametrize("url", [
    "https://contoso-my.sharepoint.com/personal/a/_layouts/15/download.aspx?UniqueId=x&tempauth=y",
    "https://CONTOSO.SharePoint.com/x",
    "https://contoso.sharepoint.de/x", "https://contoso.sharepoint.cn/x", "https://contoso.sharepoint.us/x",
    "http://127.0.0.1:8099/files/1",
])
def test_file_hosts_allowed(url):
    assert RULE.allows(url)


@pytest.mark.parametrize("url", [
    None, "", "not a url", "https://sharepoint.com/x", "https://evilsharepoint.com/x",
    "https://contoso.sharepoint.com.evil.example/x", "https://contoso.sharepoint.com@evil.example/x",
    "https://user:pw@contoso.sharepoint.com/x", "http://contoso.sharepoint.com/x", "ftp://contoso.sharepoint.com/x",
    "http://127.0.0.1:8098/files/1", "https://127.0.0.1:8099/files/1", "http://localhost:8099/files/1",
    "http://[::1", "https://contoso.sharepoint.com:99999/x",
])
def test_everything_else_refused(url):
    assert not RULE.allows(url)


def test_a_sent_file_is_read_from_its_attachment_and_other_attachments_are_not_files():
    sent = SentFile.from_attachment({"contentType": filetransfer.FILE_DOWNLOAD_INFO, "name": "Export.CSV",
                                     "content": {"downloadUrl": "https://x.sharepoint.com/d", "uniqueId": "u"}})
    assert sent == SentFile(name="Export.CSV", download_url="https://x.sharepoint.com/d", unique_id="u",
                            file_type="csv")
    assert SentFile.from_attachment({"contentType": "text/html", "content": "<p>hi</p>"}) is None
    assert SentFile.from_attachment({"contentType": "image/*", "contentUrl": "https://x"}) is None


def pending(data: bytes = b"a;b\r\n" * 100, uploader: str = "29:1alice") -> PendingList:
    return PendingList.compress(io.BytesIO(data), uploader=uploader, conversation="a:1chat", filename="list.csv",
                                language="sv")


def test_a_pending_list_is_kept_compressed_and_given_back_whole():
    data = os.urandom(300_000) + b"x;y\r\n" * 200_000
    kept = pending(data)
    assert kept.size == len(data) and len(kept.data) < len(data)
    assert b"".join(kept.chunks()) == data
    assert PendingList.from_bytes(kept.to_bytes()) == kept
    assert PendingList.from_bytes(b"not json\nxx") is None


def test_memory_store_expires_bounds_and_takes_once():
    now = [0.0]
    store = MemoryConsentStore(clock=lambda: now[0], max_lists=2)
    first, second = store.put(pending()), store.put(pending())
    assert store.get(first) is not None
    third = store.put(pending())  # a third list pushes out the oldest
    assert store.get(first) is None and store.get(second) is not None and store.get(third) is not None
    assert store.take(second) and not store.take(second) and store.get(second) is None
    now[0] += CONSENT_TTL_SECONDS
    assert store.get(third) is None and not store.take(third)


def test_memory_store_is_bounded_in_bytes():
    store = MemoryConsentStore(max_bytes=3000)
    noise = [pending(os.urandom(1200)) for _ in range(4)]
    ids = [store.put(one) for one in noise]
    assert [store.get(one) is not None for one in ids] == [False, False, True, True]
    with pytest.raises(ListTooLarge):
        store.put(pending(os.urandom(4000)))


def test_no_redis_url_means_memory():
    assert isinstance(consent_store(None), MemoryConsentStore)


def test_redis_store_is_shared_by_instances_expires_in_fifteen_minutes_and_is_taken_once(redis_url):
    import redis

    first, second = consent_store(redis_url), consent_store(redis_url)
    try:
        kept = pending()
        list_id = first.put(kept)
        assert second.get(list_id) == kept
        ttl = redis.Redis.from_url(redis_url).ttl(f"invitation-bot:teams-action-list:{list_id}")
        assert 0 < ttl <= CONSENT_TTL_SECONDS
        assert second.take(list_id) and not first.take(list_id)
        assert first.get(list_id) is None
    finally:
        for store in (first, second):
            store.close()  # type: ignore[attr-defined]


def test_redis_unreachable_keeps_the_list_in_this_instances_memory():
    store = consent_store("redis://127.0.0.1:1/0")
    try:
        list_id = store.put(pending())
        assert store.get(list_id) is not None and store.take(list_id) and store.get(list_id) is None
    finally:
        store.close()  # type: ignore[attr-defined]


@pytest.fixture
def onedrive():
    stub = StubConnector().start()
    yield stub
    stub.stop()


def test_an_upload_goes_in_fragments_with_their_ranges(onedrive, monkeypatch):
    monkeypatch.setattr(filetransfer, "UPLOAD_FRAGMENT", 1000)
    data = os.urandom(3500)
    files = TeamsFiles(onedrive.files_url)
    try:
        info = onedrive.upload_info("list.csv")
        files.upload(info["uploadUrl"], iter([data[:700], data[700:2600], data[2600:]]), len(data))
    finally:
        files.close()
    ranges = [call.body["range"] for call in onedrive.upload_calls()]
    assert ranges == ["bytes 0-999/3500", "bytes 1000-1999/3500", "bytes 2000-2999/3500", "bytes 3000-3499/3500"]
    (received,) = onedrive.uploads.values()
    assert bytes(received) == data


def test_an_upload_the_session_refuses_or_that_ends_short_is_an_error(onedrive):
    files = TeamsFiles(onedrive.files_url)
    try:
        complete = onedrive.upload_info("list.csv")["uploadUrl"]
        files.upload(complete, iter([b"abc"]), 3)
        with pytest.raises(TransferError, match="416"):  # the session is complete: more is refused
            files.upload(complete, iter([b"abc"]), 3)
        with pytest.raises(TransferError, match="ended after 2 of 5"):
            files.upload(onedrive.upload_info("list.csv")["uploadUrl"], iter([b"ab"]), 5)
    finally:
        files.close()
