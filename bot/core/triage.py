"""The triage desk: an export in, the report and an action list out, with one clear sentence for a file that
cannot be read. Platform-free: adapters hand it a byte stream and a place for the action list."""

from __future__ import annotations

import io
import logging
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import IO

from bot.core.invitation_view import record_gap
from bot.core.masking import for_audience, kb_addresses
from bot.core.models import Reply, ReplyKind, Section
from bot.core.triage_actions import ORDER, Action, action_of, action_text, fix_recovers
from bot.core.triage_report import TriageReport
from bot.core.triage_tally import FileFacts, Tally, masked_text
from bot.i18n.catalog import gettext_for
from bot.knowledge.model import KnowledgeBase
from bot.triage.csvout import SafeCsvWriter
from bot.triage.errors import ExportError, Problem
from bot.triage.labels import MatchStatus, StatusBook
from bot.triage.reader import ExportRow, Limits, Progress, open_export

log = logging.getLogger(__name__)

# Unknown labels recorded as knowledge gaps per export.
GAPS_RECORDED = 10
# An action-list group stays in memory up to this size, then moves to a temporary file.
_SPOOL_BYTES = 1024 * 1024


@dataclass(frozen=True)
class TriageResult:
    reply: Reply
    # Rows written to the action list (0 when the file could not be read).
    actions: int = 0

    @property
    def ok(self) -> bool:
        return self.reply.kind is not ReplyKind.ERROR


def action_list_header(language: str) -> list[str]:
    _ = gettext_for(language)
    return [_("Email"), _("Name"), _("Reference number"), _("Status"), _("What to do"),
            _("Can be sent again after the fix"), _("Created"), _("Sent"), _("Type"), _("Row in the export")]


class _ActionList:
    """One row per failed invitation, grouped by action (what a fix wins back first) without holding the rows:
    each group is spooled on its own and the groups are joined at the end."""

    def __init__(self, kb: KnowledgeBase, language: str, delimiter: str) -> None:
        self.kb = kb
        self.language = language
        self.delimiter = delimiter
        self.count = 0
        self._files: dict[Action, IO[str]] = {}
        self._writers: dict[Action, SafeCsvWriter] = {}
        self._texts: dict[str, tuple[Action, list[str]]] = {}

    def _for(self, status: str) -> tuple[Action, list[str]]:
        found = self._texts.get(status)
        if found is None:
            _ = gettext_for(self.language)
            entry = self.kb.get(status)
            assert entry is not None
            action = action_of(entry)
            steps = entry.steps.get(self.language)
            todo = action_text(action, self.language) + (" " + steps[0] if steps else "")
            found = self._texts[status] = (action, [entry.label.get(self.language), todo,
                                                    _("yes") if fix_recovers(entry) else _("no")])
        return found

    def add(self, row: ExportRow, status: str) -> None:
        action, texts = self._for(status)
        writer = self._writers.get(action)
        if writer is None:
            # Closed by close(), whatever happens to the reading.
            spool = tempfile.SpooledTemporaryFile(_SPOOL_BYTES, mode="w+", encoding="utf-8", newline="")  # noqa: SIM115
            self._files[action] = spool
            writer = self._writers[action] = SafeCsvWriter(spool, self.delimiter)
        writer.writerow([row.email, row.name, row.reference, *texts,
                         row.created.isoformat() if row.created else "", row.sent.isoformat() if row.sent else "",
                         row.type, str(row.line)])
        self.count += 1

    def write(self, out: IO[bytes]) -> None:
        """UTF-8 with a byte-order mark, so Excel shows Swedish letters right; the file's own delimiter."""
        text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
        try:
            SafeCsvWriter(text, self.delimiter).writerow(action_list_header(self.language))
            for action in ORDER:
                spool = self._files.get(action)
                if spool is None:
                    continue
                spool.seek(0)
                while chunk := spool.read(1 << 16):
                    text.write(chunk)
            text.flush()
        finally:
            text.detach()

    def close(self) -> None:
        for spool in self._files.values():
            spool.close()


class TriageDesk:
    """Shared by every request: the knowledge base's labels in both languages, ready for the fast path."""

    def __init__(self, kb: KnowledgeBase, match: MatchStatus | None = None, limits: Limits | None = None) -> None:
        self.kb = kb
        self.book = StatusBook(kb, match)
        self.limits = limits or Limits()
        self.public = kb_addresses(kb)

    def triage(
        self,
        stream: IO[bytes],
        name: str,
        *,
        size: int | None = None,
        language: str | None = None,
        fallback: str = "sv",
        mask: bool = False,
        actions: IO[bytes] | None = None,
        progress: Progress | None = None,
        on_language: Callable[[str], None] | None = None,
    ) -> TriageResult:
        """The triage of one export, its reply cleaned and (with `mask`) masked like every other answer."""
        result = self._triage(stream, name, size=size, language=language, fallback=fallback, mask=mask,
                              actions=actions, progress=progress, on_language=on_language)
        return replace(result, reply=for_audience(result.reply, masked=mask, public=self.public))

    def _triage(
        self,
        stream: IO[bytes],
        name: str,
        *,
        size: int | None,
        language: str | None,
        fallback: str,
        mask: bool,
        actions: IO[bytes] | None,
        progress: Progress | None,
        on_language: Callable[[str], None] | None,
    ) -> TriageResult:
        """Never raises for anything in the file: an unreadable file becomes an error reply saying what to upload.

        The reply is in `language`, else the language of the file's status labels, else `fallback`. The action
        list is written to `actions` only when the whole file was read.
        """
        chosen = language or fallback
        try:
            export = open_export(stream, self.book, size=size, limits=self.limits, progress=progress)
            chosen = language or export.language or fallback
            if on_language is not None:
                on_language(chosen)
            tally = Tally(self.kb, names=export.columns.name is not None)
            action_list = _ActionList(self.kb, chosen, export.delimiter)
            try:
                is_failure = tally.is_failure
                for row in export.rows():
                    tally.add(row)
                    if is_failure(row.status):
                        action_list.add(row, row.status)  # type: ignore[arg-type]
                if actions is not None:
                    action_list.write(actions)
            finally:
                action_list.close()
        except ExportError as exc:
            log.info("export %r not triaged: %s", name[:80], exc.problem)
            return TriageResult(self._refusal(exc, name, chosen, mask))
        except OSError as exc:
            log.warning("export %r could not be read: %s", name[:80], exc)
            return TriageResult(self._refusal(ExportError(Problem.UNREADABLE), name, chosen, mask))
        for label, count in tally.unknown.most_common(GAPS_RECORDED):
            record_gap(masked_text(label)[:120], f"status label in a triaged export, {count} rows")
        facts = FileFacts(name=name, encoding=export.encoding.label, delimiter=export.delimiter,
                          columns=export.columns.used())
        reply = TriageReport(self.kb, chosen, mask).reply(tally, facts, action_list.count)
        return TriageResult(reply, action_list.count)

    def _refusal(self, error: ExportError, name: str, language: str, mask: bool) -> Reply:
        _ = gettext_for(language)
        shown = masked_text(name) if mask else name
        return Reply(
            kind=ReplyKind.ERROR,
            language=language,
            title=_("I could not triage %(file)s") % {"file": shown},
            sections=(Section(text=error.message(language)),),
            data={"file": shown, "error": str(error.problem), "language": language, **{
                key: value for key, value in error.params.items() if isinstance(value, int | str)}},
        )
