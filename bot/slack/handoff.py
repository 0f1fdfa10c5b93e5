"""Hand-offs to a person in Slack: a short post in the internal escalation channel (SLACK_ESCALATION_CHANNEL).

It is never posted in a channel shared with another organisation: a merchant's question must
not reach another merchant. The texts arrive masked as the asking conversation requires.
"""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.core.access import AccessPolicy
from bot.core.ports import Handoff
from bot.i18n.catalog import gettext_for
from bot.render.blocks import escape_mrkdwn
from bot.slack.directory import SlackDirectory

log = logging.getLogger(__name__)

MAX_QUOTED = 500


def thread_key(channel: str, thread_ts: str | None, is_im: bool = False) -> str:
    """The platform thread a Slack message belongs to. A direct message is one conversation."""
    if is_im or not thread_ts:
        return f"slack:{channel}"
    return f"slack:{channel}:{thread_ts}"


def _split_key(key: str | None) -> tuple[str | None, str | None]:
    if not key or not key.startswith("slack:"):
        return None, None
    _prefix, channel, ts = [*key.split(":", 2), ""][:3]
    return channel or None, ts or None


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return escape_mrkdwn(text if len(text) <= MAX_QUOTED else text[: MAX_QUOTED - 1] + "…")


class SlackHandoffDesk:
    def __init__(self, client: WebClient, directory: SlackDirectory, channel: str | None, language: str,
                 access: AccessPolicy | None = None) -> None:
        self.client = client
        self.directory = directory
        self.channel = channel
        self.language = language
        self.access = access or AccessPolicy()

    def hand_off(self, handoff: Handoff) -> bool:
        if not self.channel:
            return False
        if self.access.is_bound(self.channel) or self.directory.channel(self.channel).shared:
            log.error("SLACK_ESCALATION_CHANNEL %s is a merchant's channel or shared with another organisation "
                      "(or unknown): hand-off not posted there", self.channel)
            return False
        try:
            self.client.chat_postMessage(channel=self.channel, text=self._text(handoff), unfurl_links=False,
                                         unfurl_media=False)
        except (SlackApiError, SlackClientError, OSError) as exc:
            log.error("posting a hand-off to %s failed: %s", self.channel, exc)
            return False
        return True

    def _text(self, handoff: Handoff) -> str:
        _ = gettext_for(self.language)
        channel, ts = _split_key(handoff.thread)
        where = self._link(channel, ts)
        who = f"<@{handoff.asker_user}>" if handoff.asker_user and handoff.asker_user.isalnum() else _("Someone")
        lines = [
            ":raising_hand: " + escape_mrkdwn(_("%(who)s asks for a person in %(where)s"))
            % {"who": who, "where": where},
            f"*{escape_mrkdwn(_('Question'))}:* {_quote(handoff.question) or '–'}",
            f"*{escape_mrkdwn(_('The bot answered'))}:* {_quote(handoff.answered) or '–'}",
        ]
        if handoff.business_unit_id:
            lines.append(f"*{escape_mrkdwn(_('Business unit'))}:* {escape_mrkdwn(handoff.business_unit_id)}")
        if handoff.status:
            lines.append(f"*{escape_mrkdwn(_('Status'))}:* {escape_mrkdwn(handoff.status)}")
        return "\n".join(lines)

    def _link(self, channel: str | None, ts: str | None) -> str:
        _ = gettext_for(self.language)
        if not channel:
            return "–"
        if ts:
            try:
                link = self.client.chat_getPermalink(channel=channel, message_ts=ts).get("permalink")
                if isinstance(link, str) and link.startswith("https://"):
                    return f"<{link}|{escape_mrkdwn(_('the thread'))}>"
            except (SlackApiError, SlackClientError, OSError) as exc:
                log.info("chat.getPermalink failed (%s); naming the channel instead", exc)
        return f"<#{channel}>"
