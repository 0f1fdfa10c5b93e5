"""An account's failure summary: one stats call per period, figures, changes and the fixes worth most."""

from __future__ import annotations

import logging
from typing import Any

from babel.numbers import format_decimal

from bot.core.invitation_view import invitation_data, iso, record_gap, status_label
from bot.core.live_messages import api_failure_notices
from bot.core.models import Reply, ReplyKind, Section
from bot.core.periods import Period, PeriodOutOfRange
from bot.core.summary_advice import OTHER_GROUPS, fixes_section, other_failures_section
from bot.core.summary_figures import Figures, category_of, failures_by_group, figures, top_fixes
from bot.i18n.catalog import gettext_for
from bot.i18n.formats import babel_locale, format_day, format_number, format_share, format_when
from bot.invitations.errors import ApiError
from bot.invitations.models import Invitation, InvitationsSource
from bot.knowledge.model import Actor, FailureGroup, KnowledgeBase, StatusEntry

log = logging.getLogger(__name__)

# How many failure statuses get an example invitation.
EXAMPLE_STATUSES = 3
# Failure statuses listed one by one; the long tail is one line (a chat message has little room).
LISTED_STATUSES = 10
# Re-exported: callers and tests read the figures through the summary.
__all__ = ["Figures", "Summariser", "category_of", "figures", "top_fixes"]
# The names of the failure groups in the JSON payload.
_GROUP_KEYS = {
    FailureGroup.RECOVERABLE: "recoverable",
    FailureGroup.AUTOMATIC: "automatic",
    FailureGroup.FOR_FUTURE: "forFuture",
    FailureGroup.NOT_RECOVERABLE: "notRecoverable",
    FailureGroup.NOTHING_TO_DO: "nothingToDo",
}


def _signed(value: int, language: str) -> str:
    return ("+" if value > 0 else "") + format_number(value, language)


def _points(change: float, language: str) -> str:
    """A change of rate in percentage points, always with one decimal ("+2,3" in Swedish)."""
    points = round(change * 100, 1)
    text = format_decimal(points, format="#,##0.0", locale=babel_locale(language))
    return ("+" if points > 0 else "") + text


def _actor_label(actor: Actor | None, language: str) -> str:
    _ = gettext_for(language)
    return {
        Actor.MERCHANT: _("Merchant"),
        Actor.SUPPORT: _("Our support team"),
        Actor.RECIPIENT: _("Recipient"),
        Actor.NOBODY: _("Nobody (working as intended)"),
        None: _("Not known yet (status missing from the knowledge base)"),
    }[actor]


def period_text(period: Period, language: str) -> str:
    first, last = format_day(period.start.date(), language), format_day(period.last_day, language)
    return first if first == last else f"{first} – {last}"


class Summariser:
    """Builds the summary reply; the desk has already checked access and resolved the account."""

    def __init__(self, source: InvitationsSource, kb: KnowledgeBase) -> None:
        self.source = source
        self.kb = kb

    def summarise(
        self, unit_id: str, unit_name: str, period: Period, language: str, question: str = ""
    ) -> Reply:
        """Raises ApiError only when the period's own counts cannot be fetched."""
        stats = self.source.status_stats(unit_id, period.start, period.end)
        notices: list[str] = []
        previous: Figures | None = None
        previous_unit = unit_id
        try:
            previous_period: Period | None = period.previous()
        except PeriodOutOfRange:
            previous_period = None  # nothing before the first day the API knows: no comparison
        try:
            if previous_period is not None:
                previous_stats = self.source.status_stats(unit_id, previous_period.start, previous_period.end)
                previous_unit = previous_stats.business_unit_id or unit_id
                previous = figures(previous_stats, self.kb)
        except ApiError as exc:
            log.warning("previous-period stats failed for %s: %s", unit_id, exc)
            notices.extend(api_failure_notices(exc, language)[1:])
        current = figures(stats, self.kb)
        for code, _count in current.failures:
            if code not in self.kb:
                record_gap(code, f"summary of business unit {unit_id}")

        # One small request per top failure status, so that each of them shows a real example.
        examples: list[Invitation] = []
        for code, _count in current.failures[:EXAMPLE_STATUSES]:
            try:
                examples += self.source.sample_invitations(unit_id, [code], period.start, period.end, 1)
            except ApiError as exc:
                log.warning("sample invitations failed for %s: %s", unit_id, exc)
                break

        _ = gettext_for(language)
        if previous is None and previous_period is not None:
            notices.insert(
                0, _("The comparison with the previous period is missing: its figures could not be fetched.")
            )
        sections = [self._overview(current, language)]
        if current.failures:
            sections.append(self._by_status(current, language))
            sections.append(self._by_actor(current, language))
        if previous is not None and previous_period is not None:
            sections.append(self._comparison(current, previous, previous_period, language))
        groups = failures_by_group(current, self.kb)
        fixes = top_fixes(current, self.kb)
        if fixes:
            sections.append(fixes_section(fixes, language))
        if any(groups[group] for group in OTHER_GROUPS):
            sections.append(other_failures_section(groups, language))
        if examples:
            sections.append(self._examples(examples, language))

        return Reply(
            kind=ReplyKind.SUMMARY,
            language=language,
            title=_("Failure summary for %(unit)s, %(period)s")
            % {"unit": unit_name, "period": period_text(period, language)},
            sections=tuple(sections),
            notices=tuple(notices),
            status=current.failures[0][0] if current.failures else None,
            question=question,
            data=self._data(stats.business_unit_id or unit_id, period, current, previous, previous_period, fixes,
                            groups, language, previous_unit, examples),
        )

    def _overview(self, current: Figures, language: str) -> Section:
        _ = gettext_for(language)
        if current.total == 0:
            return Section(heading=_("Overview"), text=_("No invitations were created in this period."))
        items = [
            _("Invitations created: %(count)s") % {"count": format_number(current.total, language)},
            _("Delivered: %(count)s (delivery rate %(share)s)")
            % {"count": format_number(current.delivered, language),
               "share": format_share(current.delivered, current.total, language)},
            _("Not delivered: %(count)s (%(share)s)")
            % {"count": format_number(current.not_delivered, language),
               "share": format_share(current.not_delivered, current.total, language)},
        ]
        if current.pending:
            items.append(_("Still on their way (queued or sending): %(count)s")
                         % {"count": format_number(current.pending, language)})
        return Section(heading=_("Overview"), items=tuple(items))

    def _by_status(self, current: Figures, language: str) -> Section:
        _ = gettext_for(language)
        shown, rest = current.failures[:LISTED_STATUSES], current.failures[LISTED_STATUSES:]
        items = [
            _("%(status)s: %(count)s (%(share)s)")
            % {"status": status_label(code, self.kb, language), "count": format_number(count, language),
               "share": format_share(count, current.total, language)}
            for code, count in shown
        ]
        if rest:
            items.append(
                _("%(statuses)s other statuses: %(count)s in all")
                % {"statuses": format_number(len(rest), language),
                   "count": format_number(sum(count for _code, count in rest), language)}
            )
        return Section(heading=_("Not delivered, by status"), items=tuple(items))

    def _by_actor(self, current: Figures, language: str) -> Section:
        _ = gettext_for(language)
        by_actor: dict[Actor | None, int] = {}
        for code, count in current.failures:
            entry = self.kb.get(code)
            actor = entry.actor if entry is not None else None
            by_actor[actor] = by_actor.get(actor, 0) + count
        ordered = sorted(by_actor.items(), key=lambda item: -item[1])
        items = tuple(
            _("%(actor)s: %(count)s")
            % {"actor": _actor_label(actor, language), "count": format_number(count, language)}
            for actor, count in ordered
        )
        return Section(heading=_("Not delivered, by who must act"), items=items)

    def _comparison(self, current: Figures, previous: Figures, previous_period: Period, language: str) -> Section:
        _ = gettext_for(language)
        heading = _("Compared with the previous period (%(period)s)") % {
            "period": period_text(previous_period, language)
        }
        if previous.total == 0:
            return Section(heading=heading, text=_("No invitations were created in the previous period."))
        items = [
            _("Invitations created: %(before)s → %(now)s (%(change)s)")
            % {"before": format_number(previous.total, language), "now": format_number(current.total, language),
               "change": _signed(current.total - previous.total, language)},
            _("Not delivered: %(before)s → %(now)s (%(change)s)")
            % {"before": format_number(previous.not_delivered, language),
               "now": format_number(current.not_delivered, language),
               "change": _signed(current.not_delivered - previous.not_delivered, language)},
        ]
        if current.delivery_rate is not None and previous.delivery_rate is not None:
            items.append(
                _("Delivery rate: %(before)s → %(now)s (%(change)s percentage points)")
                % {"before": format_share(previous.delivered, previous.total, language),
                   "now": format_share(current.delivered, current.total, language),
                   "change": _points(current.delivery_rate - previous.delivery_rate, language)}
            )
        before = dict(previous.failures)
        for code, count in current.failures[:EXAMPLE_STATUSES]:
            items.append(
                _("%(status)s: %(before)s → %(now)s (%(change)s)")
                % {"status": status_label(code, self.kb, language),
                   "before": format_number(before.get(code, 0), language),
                   "now": format_number(count, language), "change": _signed(count - before.get(code, 0), language)}
            )
        return Section(heading=heading, items=tuple(items))

    def _examples(self, examples: list[Invitation], language: str) -> Section:
        _ = gettext_for(language)
        items = tuple(
            _("%(status)s: id %(id)s, reference %(reference)s, recipient %(recipient)s, created %(created)s")
            % {"status": status_label(inv.status, self.kb, language), "id": inv.id,
               "reference": inv.reference_number or "-", "recipient": inv.recipient_email or "-",
               "created": format_when(inv.created_at, language) if inv.created_at else "-"}
            for inv in examples
        )
        return Section(heading=_("Examples"), items=items)

    def _data(
        self,
        unit_id: str,
        period: Period,
        current: Figures,
        previous: Figures | None,
        previous_period: Period | None,
        fixes: list[tuple[StatusEntry, int]],
        groups: dict[FailureGroup, list[tuple[StatusEntry, int]]],
        language: str,
        previous_unit: str,
        examples: list[Invitation],
    ) -> dict[str, Any]:
        """The summary as JSON. The business units are those the API answered for, so that the desk can check
        that an outside asker sees only the bound ones; the examples let masking know their recipients."""
        data: dict[str, Any] = {
            "businessUnitId": unit_id,
            "from": iso(period.start),
            "to": iso(period.end),
            "total": current.total,
            "byStatus": dict(current.by_status),
            "notDelivered": current.not_delivered,
            "language": language,
            "delivered": current.delivered,
            "pending": current.pending,
            "deliveryRate": round(current.delivery_rate, 4) if current.delivery_rate is not None else None,
            "topFixes": [{"status": entry.id, "count": count, "actor": str(entry.actor)} for entry, count in fixes],
            # Failed invitations by what can be done about them; codes the knowledge base lacks are in none.
            "failureGroups": {
                _GROUP_KEYS[group]: sum(count for _entry, count in members) for group, members in groups.items()
            },
            "examples": [invitation_data(inv, self.kb) for inv in examples],
        }
        if previous is not None and previous_period is not None:
            data["previous"] = {
                "businessUnitId": previous_unit,
                "from": iso(previous_period.start),
                "to": iso(previous_period.end),
                "total": previous.total,
                "notDelivered": previous.not_delivered,
                "delivered": previous.delivered,
                "byStatus": dict(previous.by_status),
            }
        return data
