"""Cached Slack lookups that decide who asks and where: our workspace, a user's locale, a shared channel.

Every lookup can fail (rate limits, missing scopes, Slack down); a failure never
loses the answer but is read conservatively: an unknown person is external and
an unknown channel is shared, so personal data is masked.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.platform.cache import TtlCache
from bot.platform.channel_marks import ChannelMarks, MemoryChannelMarks

log = logging.getLogger(__name__)

LOOKUP_TTL_SECONDS = 600.0
# A failed lookup is retried after a short while rather than on every message.
FAILURE_TTL_SECONDS = 30.0


@dataclass(frozen=True)
class Workspace:
    """The installing workspace and the bot's own identity, from auth.test."""

    team_id: str | None
    bot_user_id: str | None
    bot_id: str | None = None


@dataclass(frozen=True)
class ChannelFacts:
    shared: bool
    is_im: bool
    known: bool = True


@dataclass(frozen=True)
class UserFacts:
    locale: str | None
    team_id: str | None
    # A multi- or single-channel guest of the workspace (is_restricted / is_ultra_restricted): a member of
    # our team as far as events go, but someone from outside (a merchant's people invited as guests).
    guest: bool = False


_LOOKUP_ERRORS = (SlackApiError, SlackClientError, OSError, ValueError)


class SlackDirectory:
    def __init__(self, client: WebClient, ttl: float = LOOKUP_TTL_SECONDS,
                 clock: Callable[[], float] | None = None, marks: ChannelMarks | None = None) -> None:
        self._client = client
        # Channels Slack told us became shared: they are shared at once, on every instance.
        self.marks = marks if marks is not None else MemoryChannelMarks()
        clock = clock or time.monotonic
        self._workspace: TtlCache[Workspace] = TtlCache(ttl=3600, max_entries=1, clock=clock)
        self._channels: TtlCache[ChannelFacts] = TtlCache(ttl=ttl, clock=clock)
        self._users: TtlCache[UserFacts] = TtlCache(ttl=ttl, clock=clock)

    def workspace(self) -> Workspace:
        return self._workspace.get_or_load("auth", self._load_workspace)

    def _load_workspace(self) -> tuple[Workspace, float | None]:
        try:
            result = self._client.auth_test()
        except _LOOKUP_ERRORS as exc:
            log.warning("auth.test failed (%s); everyone counts as external until it works", exc)
            return Workspace(team_id=None, bot_user_id=None), FAILURE_TTL_SECONDS
        return Workspace(team_id=result.get("team_id"), bot_user_id=result.get("user_id"),
                         bot_id=result.get("bot_id")), None

    def channel(self, channel_id: str) -> ChannelFacts:
        facts = self._channels.get_or_load(channel_id, lambda: self._load_channel(channel_id))
        if not facts.shared and self.marks.marked(channel_id):
            return ChannelFacts(shared=True, is_im=facts.is_im, known=facts.known)
        return facts

    def mark_shared(self, channel_id: str) -> None:
        """The channel is now shared with another organisation (channel_shared, an outside member joined)."""
        self.marks.mark(channel_id)
        self._channels.forget(channel_id)

    def forget_channel(self, channel_id: str) -> None:
        """Read the channel's facts again on its next question (unshared, or a member joined)."""
        self._channels.forget(channel_id)

    def _load_channel(self, channel_id: str) -> tuple[ChannelFacts, float | None]:
        try:
            result = self._client.conversations_info(channel=channel_id)
        except _LOOKUP_ERRORS as exc:
            log.warning("conversations.info %s failed (%s); treating it as shared", channel_id, exc)
            return ChannelFacts(shared=True, is_im=channel_id.startswith("D"), known=False), FAILURE_TTL_SECONDS
        info = result.get("channel") or {}
        shared = bool(info.get("is_ext_shared") or info.get("is_pending_ext_shared"))
        return ChannelFacts(shared=shared, is_im=bool(info.get("is_im"))), None

    def user(self, user_id: str) -> UserFacts:
        return self._users.get_or_load(user_id, lambda: self._load_user(user_id))

    def _load_user(self, user_id: str) -> tuple[UserFacts, float | None]:
        try:
            result = self._client.users_info(user=user_id, include_locale=True)
        except _LOOKUP_ERRORS as exc:
            log.warning("users.info %s failed (%s); using the default language", user_id, exc)
            return UserFacts(locale=None, team_id=None, guest=True), FAILURE_TTL_SECONDS
        info = result.get("user") or {}
        guest = bool(info.get("is_restricted") or info.get("is_ultra_restricted"))
        return UserFacts(locale=info.get("locale"), team_id=info.get("team_id"), guest=guest), None
