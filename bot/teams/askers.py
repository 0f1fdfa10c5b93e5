"""Who asks in Teams, and where: an activity and the member lookups -> an Asker and the fallback language."""

from __future__ import annotations

from microsoft_agents.activity import Activity
from microsoft_agents.hosting.core.connector import ConnectorClientBase

from bot.core.access import AccessPolicy
from bot.core.models import Asker
from bot.i18n.formats import negotiate
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


def fallback_language(activity: Activity, default: str) -> str:
    """The activity's locale (the person's Teams language), else BOT_LANGUAGE."""
    return negotiate(activity.locale) or default


class TeamsAskers:
    def __init__(self, directory: MemberDirectory, access: AccessPolicy, default_language: str) -> None:
        self.directory = directory
        self.access = access
        self.default_language = default_language

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
            or (kind == GROUP_CHAT and await self.directory.has_outsiders(connector, conversation_id))
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
