"""The gaps report as a Reply, for chat surfaces (Teams' "gaps" in a personal chat): staff read it in their language."""

from __future__ import annotations

from bot.conversation.gaps import GapsReport
from bot.core.models import Reply, ReplyKind, Section
from bot.i18n.catalog import gettext_for

SHOWN = 10


def gaps_reply(report: GapsReport | None, language: str) -> Reply:
    _ = gettext_for(language)
    title = _("Knowledge gaps this week")
    if report is None:
        return Reply(kind=ReplyKind.ERROR, language=language, title=title,
                     sections=(Section(text=_("The report cannot be read right now. Try again in a while.")),))
    none = (_("None"),)
    unanswered = tuple(f"{g.count} × {g.example[:200]}" for g in report.unanswered[:SHOWN]) or none
    feedback = []
    for item in report.feedback[:SHOWN]:
        line = f"{item.status}: 👎 {item.down} 👍 {item.up}"
        if item.picked:
            picked = ", ".join(f"{status} ×{count}" for status, count in list(item.picked.items())[:3])
            line += f" ({_('picked instead')}: {picked})"
        feedback.append(line)
    codes = tuple(f"{code} × {count}" for code, count in report.unknown_codes[:SHOWN]) or none
    return Reply(
        kind=ReplyKind.HELP,
        language=language,
        title=title,
        sections=(
            Section(text=_("Since %(date)s. The full report: invitation-bot gaps") % {
                "date": report.since.isoformat()}),
            Section(heading=_("Questions I could not answer"), items=unanswered),
            Section(heading=_("Answers marked wrong"), items=tuple(feedback) or none),
            Section(heading=_("Status codes missing from the knowledge base"), items=codes),
            Section(text=_("Hand-offs to a person: %(count)s") % {"count": report.handoffs}),
        ),
    )
