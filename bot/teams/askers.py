"""Who asks in Teams, and where: an activity and the member lookups -> an Asker and the fallback language."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from microsoft_agents.activity import Activity
from microsoft_agents.hosting.core.connector import ConnectorClientBase

from bot.core.access import AccessPolicy
from bot.core.models import Asker
from bot.i18n.formats import negotiate
from bot.platform.channel_marks import ChannelMarks, MemoryChannelMarks
from bot.teams.activities import (
    CHANNEL,
    GROUP_CHAT,
    PERSONAL,
    access_key,
    conversation_kind,
    conversation_tenant,
    is_shared_channel,
    team_id,
)
from bot.teams.members import MemberDirectory

log = logging.getLogger(__name__)


def fallback_language(activity: Activity, default: str) -> str:
    """The activity's locale (the person's Teams language), else BOT_LANGUAGE."""
    return negotiate(activity.locale) or default


class TeamsAskers:
    def __init__(self, directory: MemberDirectory, access: AccessPolicy, default_language: str,
                 marks: ChannelMarks | None = None) -> None:
        self.directory = directory
        self.access = access
        self.default_language = default_language
        # Chats some instance saw gain an outsider: shared at once on every instance (the member lists each
        # instance keeps are minutes old).
        self.marks = marks if marks is not None else MemoryChannelMarks()

    async def resolve(self, activity: Activity, connector: ConnectorClientBase | None) -> tuple[Asker, str]:
        kind = conversation_kind(activity)
        key = access_key(activity)
        conversation_id = activity.conversation.id if activity.conversation else ""
        user_id = activity.from_property.id if activity.from_property else None
        host = conversation_tenant(activity)
        # Channels: the team knows its members (as TeamsInfo asks), a shared channel's guests only the channel.
        places = tuple(place for place in (team_id(activity) if kind == CHANNEL else None, key, conversation_id)
                       if place)
        places = tuple(dict.fromkeys(places))
        member = await self.directory.member(connector, places, user_id or "", host)
        staff = self.directory.is_staff(member)
        shared = (
            not staff  # an outsider asking shows that outsiders read this conversation
            or (host is not None and host not in self.directory.our_tenants)
            or self.access.is_bound(key)
            or (kind == CHANNEL and is_shared_channel(activity))
            or (kind == GROUP_CHAT and (await self._marked(conversation_id)
                                        or await self.directory.has_outsiders(connector, conversation_id)))
        )
        asker = Asker(
            user_id=user_id,
            team_id=member.tenant_id,
            internal=staff,
            channel_id=key,
            shared_channel=shared,
            is_direct_message=kind == PERSONAL,
        )
        return asker, fallback_language(activity, self.default_language)

    async def members_added(self, activity: Activity, connector: ConnectorClientBase | None) -> None:
        """People were added to a group chat: when one of them is not our staff, the chat is shared from the
        next answer on, on every instance. (This instance forgets its member list either way.)"""
        if conversation_kind(activity) != GROUP_CHAT or not activity.conversation:
            return
        bot_id = activity.recipient.id if activity.recipient else None
        added = [member.id for member in activity.members_added or [] if member.id and member.id != bot_id]
        conversation_id = activity.conversation.id
        host = conversation_tenant(activity)
        for user_id in added:
            member = await self.directory.member(connector, (conversation_id,), user_id, host)
            if self.directory.is_outsider(member):
                await self._call(lambda: self.marks.mark(conversation_id))
                log.info("someone from outside joined chat %s: shared from the next answer", conversation_id[:60])
                return

    async def _marked(self, conversation_id: str) -> bool:
        return await self._call(lambda: self.marks.marked(conversation_id))

    async def _call[T](self, call: Callable[[], T]) -> T:
        """In-process marks at once; Redis off the event loop (an outage waits for its timeout)."""
        if isinstance(self.marks, MemoryChannelMarks):
            return call()
        return await asyncio.to_thread(call)
