"""The parts of a failure summary that say what to do: the fixes that recover most, and what happens to the rest."""

from __future__ import annotations

from bot.core.models import Section
from bot.i18n.catalog import gettext_for
from bot.i18n.formats import format_number
from bot.knowledge.model import Actor, FailureGroup, StatusEntry

# The groups listed apart from the fixes, in this order.
OTHER_GROUPS = (
    FailureGroup.AUTOMATIC, FailureGroup.FOR_FUTURE, FailureGroup.NOT_RECOVERABLE, FailureGroup.NOTHING_TO_DO
)


def _fixer(actor: Actor, language: str) -> str:
    _ = gettext_for(language)
    return _("our support team") if actor is Actor.SUPPORT else _("the merchant")


def fixes_section(fixes: list[tuple[StatusEntry, int]], language: str) -> Section:
    """Only failures that fixing the cause and resending delivers: each with its fixer, count and first steps."""
    _ = gettext_for(language)
    items = []
    for entry, count in fixes:
        outcome = _("%(count)s invitations can be sent again once it is fixed.") % {
            "count": format_number(count, language)
        }
        steps = " ".join(entry.steps.get(language)[:2])
        items.append(
            _("%(status)s, to be fixed by %(actor)s. %(outcome)s Next steps: %(steps)s")
            % {"status": entry.label.get(language), "actor": _fixer(entry.actor, language),
               "outcome": outcome, "steps": steps}
        )
    return Section(heading=_("Fixes that would recover the most invitations"), items=tuple(items))


def other_failures_section(groups: dict[FailureGroup, list[tuple[StatusEntry, int]]], language: str) -> Section:
    """The failures no fix recovers, grouped by what happens to them instead, so none passes for a fix."""
    _ = gettext_for(language)
    templates = {
        FailureGroup.AUTOMATIC: _(
            "Handled automatically: %(count)s (%(statuses)s). The system tries again by itself; "
            "sending them again yourself would make duplicates."
        ),
        FailureGroup.FOR_FUTURE: _(
            "For future invitations: %(count)s (%(statuses)s). A fix does not recover these, but their "
            "cause needs acting on before the next invitations; see each status."
        ),
        FailureGroup.NOT_RECOVERABLE: _(
            "Not recoverable: %(count)s (%(statuses)s). No fix on your side gets them through."
        ),
        FailureGroup.NOTHING_TO_DO: _(
            "Nothing to do: %(count)s (%(statuses)s). They were stopped as intended and need no recovering."
        ),
    }
    items = []
    for group in OTHER_GROUPS:
        members = groups[group]
        if not members:
            continue
        statuses = "; ".join(
            _("%(status)s: %(count)s")
            % {"status": entry.label.get(language), "count": format_number(count, language)}
            for entry, count in members
        )
        total = sum(count for _entry, count in members)
        items.append(templates[group] % {"count": format_number(total, language), "statuses": statuses})
    return Section(heading=_("Failures no fix recovers"), items=tuple(items))

