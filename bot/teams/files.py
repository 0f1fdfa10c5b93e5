"""An export sent to the bot in a Teams personal chat: downloaded from the sender's OneDrive, triaged by the same
desk as everywhere, answered as one card in the chat, and the action list offered back through Teams' file
consent card (bot/teams/consent.py takes the answer to it).

Teams gives bots the files of personal chats only; in a channel or a group chat the bot says, in the asker's
language, to send the file in a personal chat. The file is streamed into the triage and never stored; the action
list waits for the uploader's consent in memory (or Redis) for a bounded time only (bot/teams/pending.py).
"""

from __future__ import annotations

import asyncio
import logging
import re
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import PurePath
from typing import IO, TYPE_CHECKING, Any

from microsoft_agents.activity import Activity
from microsoft_agents.hosting.core import TurnContext

from bot.core.models import Asker, Reply, ReplyKind, Section
from bot.core.triage import TriageDesk, TriageResult
from bot.core.triage_tally import masked_text
from bot.i18n.catalog import gettext_for
from bot.matching.language import detect_language
from bot.platform.reading import ReadingPace, reading_note
from bot.platform.transfer import looks_like_export
from bot.render.cards import CardOptions, render_card
from bot.teams.activities import PERSONAL, base_conversation, conversation_kind, question_text
from bot.teams.askers import fallback_language
from bot.teams.consent import FILE_CONSENT_INVOKE, ConsentDesk, consent_card
from bot.teams.filetransfer import FILE_DOWNLOAD_INFO, SentFile, TeamsFiles, TransferError, host
from bot.teams.pending import CONSENT_TTL_SECONDS, ConsentStore, ListTooLarge, PendingList
from bot.teams.replies import Note, card_activity, connector_of, send, text_activity

if TYPE_CHECKING:
    from bot.teams.agent import TeamsAgent

log = logging.getLogger(__name__)

# Invokes acknowledged with 200 at once and acted on in the background: an upload may take longer than Teams waits.
BACKGROUND_INVOKES = frozenset({FILE_CONSENT_INVOKE})
# Files triaged from one message; more are named as left out.
MAX_FILES = 3
_ACTION_LIST_SPOOL = 4 * 1024 * 1024
# Signs of a file in a channel or group chat message, where Teams does not give bots the file itself.
_FILE_TAG = re.compile(r"<attachment\b", re.IGNORECASE)
_REFERENCE = "reference"


def _attachments(activity: Activity) -> list[Mapping[str, Any]]:
    found: list[Mapping[str, Any]] = []
    for attachment in activity.attachments or []:
        raw = attachment.model_dump(by_alias=True, exclude_none=True)
        found.append(raw)
    return found


def sent_files(activity: Activity) -> list[SentFile]:
    return [sent for raw in _attachments(activity) if (sent := SentFile.from_attachment(raw)) is not None]


def _files_elsewhere(activity: Activity, text: str) -> bool:
    """Whether a channel or group chat message carries a file, as far as Teams lets a bot tell: a file
    attachment or reference, an <attachment> in the message's HTML, or (a file alone) an empty HTML body."""
    attachments = _attachments(activity)
    named = [raw for raw in attachments if raw.get("contentType") in (FILE_DOWNLOAD_INFO, _REFERENCE)]
    if any(looks_like_export(str(raw.get("name") or "")) for raw in named) or (named and not text):
        return True
    html = [str(raw.get("content") or "") for raw in attachments if raw.get("contentType") == "text/html"]
    return any(_FILE_TAG.search(content) for content in html) or (not text and any(not c.strip() for c in html))


class _FileNote(Note):
    """"Reading export.csv… 40 %", posted once the triage has taken a couple of seconds, edited as it goes and
    finally replaced by the answer."""

    def __init__(self, context: TurnContext, loop: asyncio.AbstractEventLoop, name: str, language: str,
                 clock: Callable[[], float]) -> None:
        super().__init__(context, loop)
        self.name = name
        self.language = language
        self._pace = ReadingPace(clock)

    def __call__(self, done: int, total: int | None) -> None:
        if self._pace.due():
            self.show(reading_note(self.name, done, total, self.language))


class TeamsFileTriage:
    def __init__(self, desk: TriageDesk, files: TeamsFiles, pending: ConsentStore,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.desk = desk
        self.files = files
        self.pending = pending
        self.consents = ConsentDesk(files, pending)
        self.clock = clock

    def wants(self, activity: Activity) -> bool:
        """A message whose file is the question: a file that looks like an export, or a file and no words
        (a screenshot sent with a question is a question)."""
        if activity.type != "message" or (activity.value is not None and not (activity.text or "").strip()):
            return False
        text = question_text(activity)
        if conversation_kind(activity) != PERSONAL:
            return _files_elsewhere(activity, text)
        sent = sent_files(activity)
        return bool(sent) and (any(looks_like_export(one.name, one.file_type) for one in sent) or not text)

    async def take(self, agent: TeamsAgent, context: TurnContext) -> bool:
        """Handles the activity when it is about files (True), else leaves it to the agent (False)."""
        activity = context.activity
        if activity.type == "invoke" and activity.name == FILE_CONSENT_INVOKE:
            await self.consents.on_invoke(agent, context)
            return True
        if activity.from_property is not None and activity.from_property.role == "bot":
            return False
        if not self.wants(activity):
            return False
        await self.on_files(agent, context)
        return True

    async def on_files(self, agent: TeamsAgent, context: TurnContext) -> None:
        started = self.clock()
        activity = context.activity
        text = question_text(activity)
        # The words of the message decide the language; a bare file is answered in the language of its labels.
        language = detect_language(text) if text else None
        if conversation_kind(activity) != PERSONAL:
            _ = gettext_for(language or fallback_language(activity, agent.default_language))
            await send(context, text_activity(_("I can only read files sent to me in a personal chat. Open a chat "
                                                "with me and send the file there.")), "files elsewhere")
            log.info("file in %s %s: asked for a personal chat", conversation_kind(activity), activity.id)
            return
        asker, fallback = await agent.askers.resolve(activity, connector_of(context))
        mask = agent.askers.access.must_mask(asker)
        sent = sent_files(activity)
        exports = [one for one in sent if looks_like_export(one.name, one.file_type)] or sent
        for one in exports[:MAX_FILES]:
            await self._one(agent, context, one, asker, mask, language, fallback)
        if len(exports) > MAX_FILES:
            _ = gettext_for(language or fallback)
            await send(context, text_activity(_("I read the first %(count)s files of the message; share the others "
                                                "in a message of their own.") % {"count": MAX_FILES}), "files left")
        log.info("triaged %s file(s) of %s in %.0f ms", min(len(exports), MAX_FILES), activity.id,
                 (self.clock() - started) * 1000)

    # -- one file --------------------------------------------------------------------------------

    async def _one(self, agent: TeamsAgent, context: TurnContext, sent: SentFile, asker: Asker, mask: bool,
                   language: str | None, fallback: str) -> None:
        chosen = language or fallback
        shown = masked_text(sent.name) if mask else sent.name
        note = _FileNote(context, asyncio.get_running_loop(), shown, chosen, self.clock)
        conversation = base_conversation(context.activity.conversation.id if context.activity.conversation else "")

        def work() -> tuple[TriageResult, str | None, PendingList | None]:
            with tempfile.SpooledTemporaryFile(_ACTION_LIST_SPOOL, mode="w+b") as actions:
                result = self._triage(sent, actions, mask, language, fallback, note)
                if not result.ok or not result.actions:
                    return result, None, None
                _ = gettext_for(result.reply.language)
                # OneDrive takes names of up to 255 characters; the sender's own name was one of them.
                filename = f"{_('action-list')}-{PurePath(sent.name).stem[:200] or 'export'}.csv"
                pending = PendingList.compress(actions, uploader=asker.user_id or "", conversation=conversation,
                                               filename=filename, language=result.reply.language)
            try:
                return result, self.pending.put(pending), pending
            except ListTooLarge as exc:
                log.warning("action list of %s not offered: %s", context.activity.id, exc)
                return result, None, None

        try:
            result, list_id, pending = await agent.in_thread(work)
        except TransferError as exc:
            log.warning("file of %s not downloaded from %s: %s", context.activity.id, host(sent.download_url), exc)
            await note.replace_with(card_activity(render_card(self._not_downloaded(chosen))), "file refused")
            return
        reply = result.reply
        if result.ok and result.actions:
            reply = self._with_note(reply, offered=list_id is not None)
        await note.replace_with(card_activity(render_card(reply, CardOptions())), "triage")
        if list_id is not None and pending is not None:
            _ = gettext_for(pending.language)
            await send(context, consent_card(pending, list_id, _("Action list for %(file)s") % {"file": shown}),
                       "file consent card")

    def _triage(self, sent: SentFile, actions: IO[bytes], mask: bool, language: str | None, fallback: str,
                note: _FileNote) -> TriageResult:
        """Blocking (a worker thread): the download streamed into the desk, refused unread when too large."""

        def on_language(chosen: str) -> None:
            note.language = chosen

        with self.files.download(sent, self.desk.limits.max_bytes) as download:
            return self.desk.triage(download.stream, sent.name, size=download.size, language=language,
                                    fallback=fallback, mask=mask, actions=actions, progress=note,
                                    on_language=on_language)

    def _with_note(self, reply: Reply, offered: bool) -> Reply:
        _ = gettext_for(reply.language)
        minutes = CONSENT_TTL_SECONDS // 60
        note = (_("Accept the file below to get the action list in your OneDrive. It waits for you for "
                  "%(minutes)s minutes; after that, send the export again.") % {"minutes": minutes}
                if offered else
                _("The action list is too large to send here. Export a shorter date range and send each part."))
        return replace(reply, sections=(*reply.sections, Section(text=note)))

    def _not_downloaded(self, language: str) -> Reply:
        _ = gettext_for(language)
        return Reply(kind=ReplyKind.ERROR, language=language, title=_("I could not download the file from Teams."),
                     sections=(Section(text=_("Send it again in a moment; if it keeps failing, tell support.")),))

    def close(self) -> None:
        self.files.close()
        close = getattr(self.pending, "close", None)
        if close is not None:
            close()
