"""An account's failure summary: one stats call per period, figures, changes and the fixes worth most."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from babel.numbers import format_decimal

from bot.core.invitation_view import invitation_data, iso, record_gap, status_label
from bot.core.live_messages import api_failure_notices
from bot.core.models import Reply, ReplyKind, Section
from bot.core.periods import Period, PeriodOutOfRange
from bot.i18n.catalog import gettext_for
from bot.i18n.formats import babel_locale, format_day, format_number, format_share, format_when
from bot.invitations.errors import ApiError
from bot.invitations.models import Invitation, InvitationsSource, StatusStats
from bot.knowledge.model import Actor, Category, KnowledgeBase, StatusEntry

log = logging.getLogger(__name__)

# The fixes worth naming, and how many failure statuses get an example invitation.
TOP_FIXES = 3
EXAMPLE_STATUSES = 3
# Failure statuses listed one by one; the long tail is one line (a chat message has little room).
LISTED_STATUSES = 10
_PENDING_CODES = frozenset({"queued", "sending"})


@dataclass(frozen=True)
class Figures:
    """The counts of one period, split into delivered, pending and not delivered."""

    total: int
    delivered: int
    pending: int
    not_delivered: int
    # Failure statuses and their counts, largest first.
    failures: tuple[tuple[str, int], ...] = ()
    by_status: Mapping[str, int] = field(default_factory=dict)

    @property
    def delivery_rate(self) -> float | None:
        return self.delivered / self.total if self.total else None


def category_of(code: str, kb: KnowledgeBase) -> Category:
    """Delivered, pending or not delivered; a code the knowledge base lacks counts by its name."""
    entry = kb.get(code)
    if entry is not None:
        return entry.category
    if code == "delivered" or code.startswith("delivered_"):
        return Category.DELIVERED
    if code in _PENDING_CODES:
        return Category.PENDING
    return Category.NOT_DELIVERED


def figures(stats: StatusStats, kb: KnowledgeBase) -> Figures:
    delivered = pending = 0
    failures: list[tuple[str, int]] = []
    for code, count in stats.by_status.items():
        category = category_of(code, kb)
        if category is Category.DELIVERED:
            delivered += count
        elif category is Category.PENDING:
            pending += count
        elif count:
            failures.append((code, count))
    failures.sort(key=lambda item: (-item[1], item[0]))
    # The API's total wins, but never below what byStatus itself accounts for.
    total = max(stats.total, delivered + pending + sum(count for _code, count in failures))
    return Figures(
        total=total,
        delivered=delivered,
        pending=pending,
        not_delivered=sum(count for _code, count in failures),
        failures=tuple(failures),
        by_status=dict(stats.by_status),
    )


def top_fixes(current: Figures, kb: KnowledgeBase) -> list[tuple[StatusEntry, int]]:
    """Failures the merchant or support can fix, largest first; resendable ones win a tie."""
    fixable = [
        (entry, count)
        for code, count in current.failures
        if (entry := kb.get(code)) is not None and entry.actor in (Actor.MERCHANT, Actor.SUPPORT)
    ]
    fixable.sort(key=lambda item: (-item[1], not item[0].resendable, item[0].id))
    return fixable[:TOP_FIXES]


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


def _fixer(actor: Actor, language: str) -> str:
    _ = gettext_for(language)
    return _("our support team") if actor is Actor.SUPPORT else _("the merchant")


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
        fixes = top_fixes(current, self.kb)
        if fixes:
            sections.append(self._fixes(fixes, language))
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
                            language, previous_unit, examples),
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

    def _fixes(self, fixes: list[tuple[StatusEntry, int]], language: str) -> Section:
        _ = gettext_for(language)
        items = []
        for entry, count in fixes:
            outcome = (
                _("%(count)s invitations can be sent again once it is fixed.")
                if entry.resendable
                else _("%(count)s invitations cannot be resent, but fixing it stops more from failing.")
            ) % {"count": format_number(count, language)}
            steps = " ".join(entry.steps.get(language)[:2])
            items.append(
                _("%(status)s, to be fixed by %(actor)s. %(outcome)s Next steps: %(steps)s")
                % {"status": entry.label.get(language), "actor": _fixer(entry.actor, language),
                   "outcome": outcome, "steps": steps}
            )
        return Section(heading=_("Fixes that would recover the most invitations"), items=tuple(items))

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
