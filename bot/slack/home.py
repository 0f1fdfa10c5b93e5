"""The bot's App Home in Slack: this week's knowledge gaps for our staff, a short introduction for everyone else."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from slack_sdk import WebClient

from bot.i18n.catalog import gettext_for
from bot.render.blocks import escape_mrkdwn
from bot.slack.askers import AskerResolver

log = logging.getLogger(__name__)

HOME_DAYS = 7
SHOWN = 10

# since -> the report (bot.conversation.gaps.GapsReport); raises when the store cannot be read.
GapsReader = Callable[[datetime], Any]


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:3000]}}


def _lines(title: str, rows: list[str], empty: str) -> dict[str, Any]:
    return _section(f"*{escape_mrkdwn(title)}*\n" + ("\n".join(rows) if rows else f"_{escape_mrkdwn(empty)}_"))


def staff_view(report: Any, language: str) -> dict[str, Any]:
    _ = gettext_for(language)
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": _("Knowledge gaps this week")}},
    ]
    if report is None:
        blocks.append(_section(escape_mrkdwn(_("The report cannot be read right now. Try again in a while."))))
        return {"type": "home", "blocks": blocks}
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": escape_mrkdwn(
        _("Since %(date)s. The full report: invitation-bot gaps") % {"date": report.since.isoformat()})}]})
    unanswered = [f"• *{g.count}* × {escape_mrkdwn(g.example[:200])}" for g in report.unanswered[:SHOWN]]
    blocks.append(_lines(_("Questions I could not answer"), unanswered, _("None")))
    feedback = []
    for item in report.feedback[:SHOWN]:
        picked = ", ".join(f"{escape_mrkdwn(s)} ×{c}" for s, c in list(item.picked.items())[:3])
        line = f"• `{escape_mrkdwn(item.status)}` 👎 {item.down} 👍 {item.up}"
        feedback.append(line + (f" ({escape_mrkdwn(_('picked instead'))}: {picked})" if picked else ""))
    blocks.append(_lines(_("Answers marked wrong"), feedback, _("None")))
    codes = [f"• `{escape_mrkdwn(code)}` × {count}" for code, count in report.unknown_codes[:SHOWN]]
    blocks.append(_lines(_("Status codes missing from the knowledge base"), codes, _("None")))
    blocks.append(_section(escape_mrkdwn(_("Hand-offs to a person: %(count)s") % {"count": report.handoffs})))
    return {"type": "home", "blocks": blocks}


def visitor_view(language: str) -> dict[str, Any]:
    _ = gettext_for(language)
    return {"type": "home", "blocks": [
        {"type": "header", "text": {"type": "plain_text", "text": _("I explain review-invitation statuses.")}},
        _section(escape_mrkdwn(_("Mention me in a channel or write to me here: paste a status, describe what "
                                 "happened or give an invitation id. I answer in Swedish or English."))),
    ]}


class HomeTab:
    def __init__(self, client: WebClient, resolver: AskerResolver, gaps: GapsReader | None) -> None:
        self.client = client
        self.resolver = resolver
        self.gaps = gaps

    def publish(self, user_id: str) -> None:
        team = self.resolver.directory.user(user_id).team_id
        staff = self.resolver.is_internal(team)
        language = self.resolver.fallback_language(user_id, staff)
        if staff:
            report = None
            if self.gaps is not None:
                since = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(
                    days=HOME_DAYS)
                try:
                    report = self.gaps(since)
                except Exception:
                    log.exception("reading the gaps report for App Home failed")
            view = staff_view(report, language)
        else:
            view = visitor_view(language)
        self.client.views_publish(user_id=user_id, view=view)
