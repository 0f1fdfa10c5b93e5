"""Who asks, and where: a Slack user, team and channel -> an Asker and the fallback reply language."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.access import AccessPolicy
from bot.core.models import Asker
from bot.i18n.formats import negotiate
from bot.slack.directory import SlackDirectory


@dataclass(frozen=True)
class Where:
    """What a payload says about the asker; lookups fill in the rest."""

    user_id: str | None
    team_id: str | None
    channel_id: str | None
    # "im", "channel", "group", "mpim" when the payload tells; None otherwise.
    channel_type: str | None = None
    # The Events API envelope's is_ext_shared_channel, when present.
    shared_hint: bool = False


class AskerResolver:
    def __init__(self, directory: SlackDirectory, access: AccessPolicy, default_language: str) -> None:
        self.directory = directory
        self.access = access
        self.default_language = default_language

    def is_internal(self, team_id: str | None) -> bool:
        """Our own staff: the installing workspace or a team the access policy names. Unknown -> external."""
        if not team_id:
            return False
        if self.access.is_internal_team(team_id):
            return True
        home = self.directory.workspace().team_id
        return home is not None and team_id == home

    def resolve(self, where: Where) -> tuple[Asker, str]:
        team_id = where.team_id or self.team_of(where.user_id)
        internal = self.is_internal(team_id) and not self.is_guest(where.user_id)
        # A channel bound to a merchant's accounts is shared with that merchant by definition (its people may be
        # guests of our workspace rather than Slack Connect members, which conversations.info does not show).
        shared = where.shared_hint or self.access.is_bound(where.channel_id)
        is_im = where.channel_type == "im"
        if where.channel_id:
            facts = self.directory.channel(where.channel_id)
            shared = shared or facts.shared
            is_im = is_im or facts.is_im
        asker = Asker(
            user_id=where.user_id,
            team_id=team_id,
            internal=internal,
            channel_id=where.channel_id,
            shared_channel=shared,
            is_direct_message=is_im,
        )
        return asker, self.fallback_language(where.user_id, internal)

    def is_guest(self, user_id: str | None) -> bool:
        """A guest of our workspace (users.info); their team is ours, yet they are not staff."""
        return bool(user_id) and self.directory.user(user_id or "").guest

    def team_of(self, user_id: str | None) -> str | None:
        """The user's workspace from users.info, when the payload did not carry the user's own team."""
        return self.directory.user(user_id).team_id if user_id else None

    def fallback_language(self, user_id: str | None, internal: bool) -> str:
        # External users have no locale in users.info: skip the call, the question's own language decides.
        if not internal or not user_id:
            return self.default_language
        return negotiate(self.directory.user(user_id).locale) or self.default_language
