"""The triage of an export as a reply: counts, the period and weekly trend, failures by status, and the failures
grouped by what can be done about them, the fixes that win back the most invitations first."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Any

from bot.core.models import Reply, ReplyKind, Section
from bot.core.triage_actions import action_of, action_text
from bot.core.triage_tally import FileFacts, Tally, masked_text
from bot.i18n.catalog import gettext_for
from bot.i18n.formats import format_day, format_number, format_share
from bot.knowledge.model import Category, FailureGroup, KnowledgeBase, failure_group

# The groups of failures in the order the report tells them: what a fix wins back first.
GROUPS = (FailureGroup.RECOVERABLE, FailureGroup.AUTOMATIC, FailureGroup.FOR_FUTURE, FailureGroup.NOT_RECOVERABLE,
          FailureGroup.NOTHING_TO_DO)
_DATA_KEYS = {FailureGroup.RECOVERABLE: "recoverable", FailureGroup.AUTOMATIC: "automatic",
              FailureGroup.FOR_FUTURE: "forFuture", FailureGroup.NOT_RECOVERABLE: "notRecoverable",
              FailureGroup.NOTHING_TO_DO: "nothingToDo"}
Groups = list[tuple[FailureGroup, list[tuple[str, int]]]]

# Failure statuses listed one by one, fixes explained, weeks shown, and examples of unknown labels.
LISTED_STATUSES = 10
TOP_FIXES = 3
WEEKS_SHOWN = 8
EXAMPLES = 5


def _label(code: str, kb: KnowledgeBase, language: str) -> str:
    entry = kb.get(code)
    return entry.label.get(language) if entry is not None else code


def _split(items: list[tuple[str, int]], shown: int) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """The first `shown` items and the rest; a rest of one is shown too (a line "1 other status" says less)."""
    if len(items) <= shown + 1:
        return items, []
    return items[:shown], items[shown:]


def _week_range(monday: date, language: str) -> str:
    return f"{format_day(monday, language)} – {format_day(monday + timedelta(days=6), language)}"


class TriageReport:
    def __init__(self, kb: KnowledgeBase, language: str, mask: bool) -> None:
        self.kb = kb
        self.language = language
        self.mask = mask
        self._ = gettext_for(language)

    def reply(self, tally: Tally, facts: FileFacts, actions: int) -> Reply:
        _ = self._
        sections = [self._overview(tally)]
        failures = tally.failures
        if failures:
            sections.append(self._by_status(tally, failures))
        if len(tally.weeks) >= 2:
            sections.append(self._trend(tally))
        groups = self._groups(failures)
        sections.extend(self._group_section(group, items) for group, items in groups if items)
        if tally.unrecognised:
            sections.append(self._unknown(tally))
        if failures:
            sections.append(self._action_list(tally, actions, groups))
        name = masked_text(facts.name) if self.mask else facts.name
        title = _("Triage of %(file)s: %(failed)s of %(rows)s invitations not delivered") % {
            "file": name, "failed": format_number(tally.failed, self.language),
            "rows": format_number(tally.rows, self.language)}
        return Reply(
            kind=ReplyKind.SUMMARY,
            language=self.language,
            title=title,
            sections=tuple(sections),
            status=failures[0][0] if failures else None,
            data=self._data(tally, facts, actions, groups, name),
        )

    # -- sections --------------------------------------------------------------------------------

    def _overview(self, tally: Tally) -> Section:
        _, language = self._, self.language
        total = tally.rows
        items = [
            _("Invitations in the file: %(count)s") % {"count": format_number(total, language)},
            _("Not delivered: %(count)s (%(share)s)")
            % {"count": format_number(tally.failed, language),
               "share": format_share(tally.failed, total, language)},
            _("Delivered: %(count)s (delivery rate %(share)s)")
            % {"count": format_number(tally.count_in(Category.DELIVERED), language),
               "share": format_share(tally.count_in(Category.DELIVERED), total, language)},
        ]
        pending = tally.count_in(Category.PENDING)
        if pending:
            items.append(_("Still on their way (queued or sending): %(count)s")
                         % {"count": format_number(pending, language)})
        if tally.unrecognised:
            items.append(_("Status not recognised: %(count)s") % {"count": format_number(tally.unrecognised,
                                                                                          language)})
        if tally.first is not None and tally.last is not None:
            first, last = format_day(tally.first, language), format_day(tally.last, language)
            items.append(_("Period: %(period)s") % {"period": first if first == last else f"{first} – {last}"})
        return Section(heading=_("Overview"), items=tuple(items))

    def _by_status(self, tally: Tally, failures: list[tuple[str, int]]) -> Section:
        _, language = self._, self.language
        shown, rest = _split(failures, LISTED_STATUSES)
        items = [
            _("%(status)s: %(count)s (%(share)s)")
            % {"status": _label(code, self.kb, language), "count": format_number(count, language),
               "share": format_share(count, tally.rows, language)}
            for code, count in shown
        ]
        if rest:
            items.append(_("%(statuses)s other statuses: %(count)s in all")
                         % {"statuses": format_number(len(rest), language),
                            "count": format_number(sum(count for _code, count in rest), language)})
        return Section(heading=_("Not delivered, by status"), items=tuple(items))

    def _trend(self, tally: Tally) -> Section:
        _, language = self._, self.language
        weeks = sorted(tally.weeks.items())
        shown = weeks[-WEEKS_SHOWN:]
        items = [
            _("Week %(week)s (%(days)s): %(count)s invitations, %(failed)s not delivered (%(share)s)")
            % {"week": monday.isocalendar().week, "days": _week_range(monday, language),
               "count": format_number(count, language), "failed": format_number(failed, language),
               "share": format_share(failed, count, language)}
            for monday, (count, failed) in shown
        ]
        text = None
        if len(weeks) > len(shown):
            text = _("The last %(shown)s of %(weeks)s weeks.") % {"shown": len(shown), "weeks": len(weeks)}
        return Section(heading=_("Trend by week"), text=text, items=tuple(items))

    def _groups(self, failures: list[tuple[str, int]]) -> Groups:
        by_group: dict[FailureGroup, list[tuple[str, int]]] = {group: [] for group in GROUPS}
        for code, count in failures:
            entry = self.kb.get(code)
            if entry is not None:
                by_group[failure_group(entry)].append((code, count))
        return [(group, by_group[group]) for group in GROUPS]

    def _group_section(self, group: FailureGroup, items: list[tuple[str, int]]) -> Section:
        _, language = self._, self.language
        if group is FailureGroup.RECOVERABLE:
            lines = []
            top, rest = _split(items, TOP_FIXES)
            for code, count in top:
                entry = self.kb.get(code)
                assert entry is not None
                lines.append(_("%(status)s (%(count)s): can be sent again once the cause is fixed. "
                               "Next steps: %(steps)s")
                             % {"status": entry.label.get(language), "count": format_number(count, language),
                                "steps": " ".join(entry.steps.get(language)[:2])})
            if rest:
                lines.append(_("%(statuses)s other statuses: %(count)s in all")
                             % {"statuses": format_number(len(rest), language),
                                "count": format_number(sum(count for _code, count in rest), language)})
            return Section(heading=_("Fixes that would recover the most invitations"), items=tuple(lines))
        headings = {
            FailureGroup.AUTOMATIC: (_("Handled automatically"),
                                     _("The system tries these again by itself; a resend would be a duplicate.")),
            FailureGroup.FOR_FUTURE: (_("For future invitations"),
                                      _("A fix does not recover these, but their cause needs acting on before the "
                                        "next invitations.")),
            FailureGroup.NOT_RECOVERABLE: (_("Not recoverable"),
                                           _("No fix on your side gets these through.")),
            FailureGroup.NOTHING_TO_DO: (_("Nothing to do"),
                                         _("They were stopped as intended and need no recovering.")),
        }
        heading, text = headings[group]
        lines = []
        for code, count in items:
            entry = self.kb.get(code)
            assert entry is not None
            line = _("%(status)s: %(count)s") % {"status": entry.label.get(language),
                                                 "count": format_number(count, language)}
            if group in (FailureGroup.FOR_FUTURE, FailureGroup.NOT_RECOVERABLE):
                # Here the statuses differ in what is left to do: a new address, or never again.
                line += " – " + action_text(action_of(entry), language)
            lines.append(line)
        return Section(heading=heading, text=text, items=tuple(lines))

    def _unknown(self, tally: Tally) -> Section:
        _, language = self._, self.language
        examples = []
        for label, count in tally.unknown.most_common(EXAMPLES):
            shown = label if label else _("(empty)")
            if self.mask:
                shown = masked_text(shown)
            examples.append(_("\"%(label)s\": %(count)s") % {"label": shown[:120],
                                                              "count": format_number(count, language)})
        return Section(
            heading=_("Status not recognised"),
            text=_("I do not know the status of %(count)s of the rows; they have been noted so the knowledge base "
                   "can be completed. The most common ones:") % {"count": format_number(tally.unrecognised,
                                                                                        language)},
            items=tuple(examples),
        )

    def _action_list(self, tally: Tally, actions: int, groups: Groups) -> Section:
        _, language = self._, self.language
        resend = sum(count for group, items in groups if group is FailureGroup.RECOVERABLE for _c, count in items)
        text = _("The action list has one row per invitation that was not delivered (%(count)s rows): its "
                 "status, what to do and whether it can be sent again after the fix. Email, name and reference "
                 "number come first, so the %(resend)s rows that can be sent again are ready to re-import.") % {
            "count": format_number(actions, language), "resend": format_number(resend, language)}
        if resend and not tally.names:
            text += " " + _("The export has no names, and an upload file needs one: fill in the name column "
                            "before you upload.")
        return Section(heading=_("Action list"), text=text)

    # -- data ------------------------------------------------------------------------------------

    def _by_action(self, tally: Tally) -> dict[str, int]:
        counts: Counter[str] = Counter()
        for code, count in tally.failures:
            entry = self.kb.get(code)
            if entry is not None:
                counts[str(action_of(entry))] += count
        return dict(counts.most_common())

    def _data(self, tally: Tally, facts: FileFacts, actions: int, groups: Groups, name: str) -> dict[str, Any]:
        unknown = [{"label": masked_text(label) if self.mask else label, "count": count}
                   for label, count in tally.unknown.most_common(EXAMPLES)]
        return {
            "file": name,
            "rows": tally.rows,
            "failed": tally.failed,
            "unrecognised": tally.unrecognised,
            "from": tally.first.isoformat() if tally.first else None,
            "to": tally.last.isoformat() if tally.last else None,
            "byStatus": dict(tally.by_status.most_common()),
            "actions": actions,
            "language": self.language,
            "delivered": tally.count_in(Category.DELIVERED),
            "pending": tally.count_in(Category.PENDING),
            "failureRate": round(tally.failed / tally.rows, 4) if tally.rows else None,
            "failureGroups": {_DATA_KEYS[group]: sum(count for _code, count in items) for group, items in groups},
            "byAction": self._by_action(tally),
            "topFixes": [{"status": code, "count": count}
                         for group, items in groups if group is FailureGroup.RECOVERABLE
                         for code, count in items[:TOP_FIXES]],
            "byWeek": [{"week": f"{monday.isocalendar().year}-W{monday.isocalendar().week:02d}",
                        "from": monday.isoformat(), "rows": count, "failed": failed}
                       for monday, (count, failed) in sorted(tally.weeks.items())],
            "unrecognisedLabels": unknown,
            "encoding": facts.encoding,
            "delimiter": facts.delimiter,
            "columns": facts.columns,
        }
