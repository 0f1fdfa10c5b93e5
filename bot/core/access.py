"""Who may see which business unit's live data, and masking of personal data in shared channels.

The policy file (BOT_ACCESS_FILE):

    internal_teams: [T01SUPPORT]                 # Slack workspaces of our staff
    internal_tenants: ["9b1c…"]                  # Microsoft 365 tenants of our staff (members, not guests)
    channels:
      C05SHARED1:                                # a Slack channel
        business_units: ["64a0c1d2e3f4a5b6c7d8e9f0"]
      "19:abc…@thread.tacv2":                    # a Teams channel or group chat
        business_units: ["64a0c1d2e3f4a5b6c7d8e9f0"]
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.core.models import Asker
from bot.invitations.models import is_valid_id

_TENANT_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


class AccessPolicyError(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class AccessPolicy:
    internal_teams: frozenset[str] = frozenset()
    # Microsoft 365 tenant ids (lower case) whose members are our staff; their guests are not.
    internal_tenants: frozenset[str] = frozenset()
    # channel id (Slack channel, Teams channel or group chat) -> the business unit ids bound to it
    channels: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def is_internal_team(self, team_id: str | None) -> bool:
        return team_id is not None and team_id in self.internal_teams

    def is_internal_tenant(self, tenant_id: str | None) -> bool:
        return tenant_id is not None and tenant_id.lower() in self.internal_tenants

    def is_bound(self, channel_id: str | None) -> bool:
        """A conversation bound to a merchant's accounts: shared with that merchant by definition."""
        return channel_id is not None and channel_id in self.channels

    def bound_units(self, asker: Asker) -> frozenset[str]:
        """Business units an outside asker may see here: those bound to the channel, never in a DM."""
        if asker.is_direct_message or not asker.channel_id:
            return frozenset()
        return self.channels.get(asker.channel_id, frozenset())

    def may_view(self, asker: Asker, business_unit_id: str) -> bool:
        return asker.internal or business_unit_id in self.bound_units(asker)

    def must_mask(self, asker: Asker) -> bool:
        return must_mask(asker)


def must_mask(asker: Asker) -> bool:
    """Everyone in a channel shared with another organisation sees masked data, staff included:
    the merchant's people read the same messages."""
    return asker.shared_channel


def mask_email(email: str) -> str:
    """anna@example.se -> a***@example.se (the domain helps support; the person stays hidden)."""
    local, at, domain = email.partition("@")
    if not at:
        return "***"
    return f"{local[:1]}***@{domain}"


def mask_name(name: str) -> str:
    """Anna Svensson -> A*** S***."""
    return " ".join(f"{part[:1]}***" for part in name.split()) or "***"


def parse_access_policy(raw: Any, source: str = "access policy") -> AccessPolicy:
    problems: list[str] = []
    if raw is None:
        raw = {}
    if not isinstance(raw, Mapping):
        raise AccessPolicyError([f"{source}: must be a mapping with internal_teams, internal_tenants and channels"])
    unknown = set(raw) - {"internal_teams", "internal_tenants", "channels"}
    if unknown:
        problems.append(f"{source}: unknown keys {sorted(unknown)}")
    teams = raw.get("internal_teams") or []
    if not isinstance(teams, list) or not all(isinstance(t, str) and t for t in teams):
        problems.append(f"{source}: internal_teams must be a list of Slack team ids")
        teams = []
    tenants = raw.get("internal_tenants") or []
    if not isinstance(tenants, list) or not all(isinstance(t, str) and _TENANT_ID.match(t.lower()) for t in tenants):
        problems.append(f"{source}: internal_tenants must be a list of Microsoft 365 tenant ids (GUIDs)")
        tenants = []
    channels: dict[str, frozenset[str]] = {}
    raw_channels = raw.get("channels") or {}
    if not isinstance(raw_channels, Mapping):
        problems.append(f"{source}: channels must map channel ids to {{business_units: [...]}}")
        raw_channels = {}
    for channel, spec in raw_channels.items():
        units = spec.get("business_units") if isinstance(spec, Mapping) else None
        if not isinstance(units, list) or not all(isinstance(u, str) and is_valid_id(u) for u in units):
            problems.append(f"{source}: channels.{channel}.business_units must be a list of 24-hex ids")
            continue
        channels[str(channel)] = frozenset(units)
    if problems:
        raise AccessPolicyError(problems)
    return AccessPolicy(internal_teams=frozenset(teams), internal_tenants=frozenset(t.lower() for t in tenants),
                        channels=channels)


def load_access_policy(path: Path | None) -> AccessPolicy:
    """The policy in `path`; with no file, no outside asker may see live data."""
    if path is None:
        return AccessPolicy()
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise AccessPolicyError([f"{path}: cannot be read ({exc})"]) from exc
    except yaml.YAMLError as exc:
        raise AccessPolicyError([f"{path}: not valid YAML ({exc})"]) from exc
    return parse_access_policy(raw, str(path))
