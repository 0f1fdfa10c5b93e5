"""An export shared with the bot (in a message that mentions it, or in a direct message): downloaded from Slack,
triaged, answered in the thread, with the action list uploaded for the uploader alone where others read along.

The file is streamed from Slack into the triage and never written anywhere; the action list lives in a temporary
spool only until it is uploaded.
"""

from __future__ import annotations

import io
import logging
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import PurePath
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.core.models import Reply, ReplyKind, Section
from bot.core.triage import TriageDesk, TriageResult
from bot.core.triage_tally import masked_text
from bot.i18n.catalog import gettext_for
from bot.matching.language import detect_language
from bot.platform.reading import ReadingPace, reading_note
from bot.platform.transfer import looks_like_export
from bot.render.blocks import escape_mrkdwn, render_message
from bot.slack.askers import AskerResolver, Where
from bot.slack.filetransfer import SharedFile, SlackFiles, TransferError
from bot.slack.payloads import reply_thread_ts, slack_to_plain, strip_mention

log = logging.getLogger(__name__)

Payload = Mapping[str, Any]

# Files triaged from one message; more are named as left out.
MAX_FILES = 3
_ACTION_LIST_SPOOL = 4 * 1024 * 1024


def _looks_like_export(raw: Mapping[str, Any]) -> bool:
    return looks_like_export(str(raw.get("name") or ""), str(raw.get("filetype") or ""), str(raw.get("mimetype") or ""))


class _ThreadProgress:
    """One note in the thread for a long triage, posted after a couple of seconds, edited as the file is read
    and finally replaced by the answer."""

    def __init__(self, client: WebClient, channel: str, thread_ts: str | None, name: str, language: str,
                 clock: Callable[[], float]) -> None:
        self.client = client
        self.channel = channel
        self.thread_ts = thread_ts
        self.name = name
        self.language = language
        self._pace = ReadingPace(clock)
        self.ts: str | None = None
        self._lock = threading.Lock()

    def __call__(self, done: int, total: int | None) -> None:
        if not self._pace.due():
            return
        # The file name is the uploader's to choose: it must not ping the channel or become a link.
        text = escape_mrkdwn(reading_note(self.name, done, total, self.language))
        with self._lock:
            # A progress note is a courtesy: Slack trouble here must never cost the answer itself.
            try:
                if self.ts is None:
                    posted = self.client.chat_postMessage(channel=self.channel, thread_ts=self.thread_ts,
                                                          text=text)
                    self.ts = posted.get("ts")
                else:
                    self.client.chat_update(channel=self.channel, ts=self.ts, text=text)
            except SlackClientError as exc:
                log.warning("triage progress note not posted: %s", exc)


class FileTriage:
    def __init__(self, desk: TriageDesk, resolver: AskerResolver, client: WebClient, files: SlackFiles,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.desk = desk
        self.resolver = resolver
        self.client = client
        self.files = files
        self.clock = clock

    def wants(self, event: Mapping[str, Any], bot_user_id: str | None) -> bool:
        """A message with files is an export to triage when a file looks like one, or when the message says
        nothing else (a screenshot with a question is a question)."""
        shared = [raw for raw in event.get("files") or [] if isinstance(raw, Mapping)]
        if not shared:
            return False
        text = strip_mention(event.get("text") or "", bot_user_id)
        return any(_looks_like_export(raw) for raw in shared) or not text.strip()

    def answer(self, body: Payload) -> None:
        started = self.clock()
        event = body.get("event") or {}
        where = Where(
            user_id=event.get("user"),
            team_id=event.get("user_team") or event.get("team"),
            channel_id=event.get("channel"),
            channel_type=event.get("channel_type"),
            shared_hint=bool(body.get("is_ext_shared_channel")),
        )
        asker, fallback = self.resolver.resolve(where)
        bot_user_id = self.resolver.directory.workspace().bot_user_id
        text = slack_to_plain(strip_mention(event.get("text") or "", bot_user_id))
        # The words of the message decide the language; a bare file is answered in the language of its labels.
        language = detect_language(text) if text.strip() else None
        mask = self.resolver.access.must_mask(asker)
        thread = reply_thread_ts(event)
        channel = where.channel_id or ""
        shared = [raw for raw in event.get("files") or [] if isinstance(raw, Mapping)]
        exports = [raw for raw in shared if _looks_like_export(raw)] or shared
        for raw in exports[:MAX_FILES]:
            self._one(raw, channel, thread, where.user_id, asker.is_direct_message, mask, language, fallback)
        if len(exports) > MAX_FILES:
            _ = gettext_for(language or fallback)
            self.client.chat_postMessage(channel=channel, thread_ts=thread, text=_(
                "I read the first %(count)s files of the message; share the others in a message of their own.")
                % {"count": MAX_FILES})
        log.info("triaged %s file(s) of %s in %.0f ms", min(len(exports), MAX_FILES), body.get("event_id"),
                 (self.clock() - started) * 1000)

    # -- one file --------------------------------------------------------------------------------

    def _one(self, raw: Mapping[str, Any], channel: str, thread: str | None, user: str | None, is_dm: bool,
             mask: bool, language: str | None, fallback: str) -> None:
        chosen = language or fallback
        progress: _ThreadProgress | None = None
        with tempfile.SpooledTemporaryFile(_ACTION_LIST_SPOOL, mode="w+b") as actions:
            try:
                shared = self.files.describe(raw)
                shown = masked_text(shared.name) if mask else shared.name
                progress = _ThreadProgress(self.client, channel, thread, shown, chosen, self.clock)
                result = self._triage(shared, actions, mask, language, fallback, progress)
            except TransferError as exc:
                log.warning("shared file %s not downloaded: %s", raw.get("id"), exc)
                self._post(channel, thread, self._not_downloaded(chosen), progress)
                return
            reply = result.reply
            if not result.ok or not result.actions:
                self._post(channel, thread, reply, progress)
                return
            name = PurePath(shared.name).stem or "export"
            if mask and not is_dm:
                # Others read along here: the complete list goes to the uploader alone.
                delivered = self._upload_privately(actions, name, shared.name, channel, user, reply.language)
                self._post(channel, thread, self._with_note(reply, delivered), progress)
            else:
                self._post(channel, thread, reply, progress)
                self._upload(actions, name, shared.name, channel, thread, reply.language)

    def _triage(self, shared: SharedFile, actions: Any, mask: bool, language: str | None, fallback: str,
                progress: _ThreadProgress) -> TriageResult:
        if shared.size is not None and shared.size > self.desk.limits.max_bytes:
            # Refused on Slack's word for the size, before a byte is downloaded.
            return self.desk.triage(io.BytesIO(), shared.name, size=shared.size, language=language,
                                    fallback=fallback, mask=mask)

        def on_language(chosen: str) -> None:
            progress.language = chosen

        with self.files.download(shared) as stream:
            return self.desk.triage(stream, shared.name, size=shared.size, language=language, fallback=fallback,
                                    mask=mask, actions=actions, progress=progress, on_language=on_language)

    def _post(self, channel: str, thread: str | None, reply: Reply, progress: _ThreadProgress | None) -> None:
        message = render_message(reply).as_kwargs()
        if progress is not None and progress.ts is not None:
            try:
                self.client.chat_update(channel=channel, ts=progress.ts, **message)
                return
            except SlackApiError as exc:
                log.warning("progress note not replaced by the answer (%s); posting it", exc)
        self.client.chat_postMessage(channel=channel, thread_ts=thread, unfurl_links=False, unfurl_media=False,
                                     **message)

    def _upload(self, actions: Any, name: str, original: str, channel: str, thread: str | None,
                language: str) -> bool:
        _ = gettext_for(language)
        try:
            # The comment is a message in the conversation: the uploader's file name in it is text, not markup.
            self.files.upload(actions, f"{_('action-list')}-{name}.csv", _("Action list for %(file)s")
                              % {"file": original}, channel, thread,
                              escape_mrkdwn(_("One row per invitation of %(file)s that was not delivered, with what "
                                              "to do.") % {"file": original}))
        except (TransferError, SlackApiError, SlackClientError) as exc:
            log.warning("action list not uploaded: %s", exc)
            return False
        return True

    def _upload_privately(self, actions: Any, name: str, original: str, channel: str, user: str | None,
                          language: str) -> bool:
        if not user:
            return False
        try:
            opened = self.client.conversations_open(users=user)
            direct = str((opened.get("channel") or {}).get("id") or "")
        except (SlackApiError, SlackClientError) as exc:
            log.warning("no direct message with the uploader for the action list: %s", exc)
            return False
        return bool(direct) and self._upload(actions, name, original, direct, None, language)

    def _with_note(self, reply: Reply, delivered: bool) -> Reply:
        _ = gettext_for(reply.language)
        note = (_("I have sent you the action list in a direct message, since others read this conversation.")
                if delivered else
                _("I could not send you the action list privately. Write to me in a direct message and share the "
                  "file there to get it."))
        return replace(reply, sections=(*reply.sections, Section(text=note)))

    def _not_downloaded(self, language: str) -> Reply:
        _ = gettext_for(language)
        return Reply(kind=ReplyKind.ERROR, language=language, title=_("I could not download the file from Slack."),
                     sections=(Section(text=_("Share it again in a moment; if it keeps failing, tell support.")),))
