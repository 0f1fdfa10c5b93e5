"""The API's data as the bot uses it, and the interface the brain needs from any API client.

Parsing is lenient where the contract allows (unknown fields ignored, optional
fields absent or null) and strict where it must be (an invitation needs an id
and a status); it never imports httpx, so the brain can depend on it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from bot.invitations.errors import MalformedResponse

ID_PATTERN = re.compile(r"[0-9a-f]{24}")


def is_valid_id(value: str) -> bool:
    """Business unit and invitation ids are exactly 24 lowercase hex characters."""
    return bool(ID_PATTERN.fullmatch(value))


def parse_time(value: Any) -> datetime | None:
    """ISO 8601 with offset ("Z" accepted); None for absent, null or unparseable values."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value != "" else None


@dataclass(frozen=True)
class Invitation:
    id: str
    business_unit_id: str
    status: str
    reference_number: str | None = None
    recipient_email: str | None = None
    recipient_name: str | None = None
    status_updated_at: datetime | None = None
    status_detail: str | None = None
    created_at: datetime | None = None
    scheduled_at: datetime | None = None
    sent_at: datetime | None = None
    type: str | None = None
    method: str | None = None
    locale: str | None = None
    template_id: str | None = None
    sender_name: str | None = None
    reply_to: str | None = None

    @classmethod
    def from_json(cls, raw: Any) -> Invitation:
        if not isinstance(raw, Mapping):
            raise MalformedResponse("an invitation is not a JSON object")
        inv_id, bu_id, status = raw.get("id"), raw.get("businessUnitId"), raw.get("status")
        if not (isinstance(inv_id, str) and isinstance(status, str) and status):
            raise MalformedResponse("an invitation lacks its id or status")
        recipient = raw.get("recipient")
        recipient = recipient if isinstance(recipient, Mapping) else {}
        return cls(
            id=inv_id,
            business_unit_id=bu_id if isinstance(bu_id, str) else "",
            status=status,
            reference_number=_text(raw.get("referenceNumber")),
            recipient_email=_text(recipient.get("email")),
            recipient_name=_text(recipient.get("name")),
            status_updated_at=parse_time(raw.get("statusUpdatedAt")),
            status_detail=_text(raw.get("statusDetail")),
            created_at=parse_time(raw.get("createdAt")),
            scheduled_at=parse_time(raw.get("scheduledAt")),
            sent_at=parse_time(raw.get("sentAt")),
            type=_text(raw.get("type")),
            method=_text(raw.get("method")),
            locale=_text(raw.get("locale")),
            template_id=_text(raw.get("templateId")),
            sender_name=_text(raw.get("senderName")),
            reply_to=_text(raw.get("replyTo")),
        )


@dataclass(frozen=True)
class BusinessUnit:
    id: str
    display_name: str | None = None
    domain: str | None = None

    @classmethod
    def from_json(cls, raw: Any) -> BusinessUnit:
        if not isinstance(raw, Mapping) or not isinstance(raw.get("id"), str):
            raise MalformedResponse("a business unit lacks its id")
        name = raw.get("name")
        domain = name.get("identifying") if isinstance(name, Mapping) else None
        return cls(id=raw["id"], display_name=_text(raw.get("displayName")), domain=_text(domain))


@dataclass(frozen=True)
class StatusStats:
    business_unit_id: str
    created_from: datetime | None
    created_to: datetime | None
    total: int
    by_status: Mapping[str, int] = field(default_factory=dict)

    @classmethod
    def from_json(cls, raw: Any) -> StatusStats:
        if not isinstance(raw, Mapping):
            raise MalformedResponse("status counts are not a JSON object")
        by_status = raw.get("byStatus")
        if not isinstance(by_status, Mapping) or not all(
            isinstance(k, str) and isinstance(v, int) and v >= 0 for k, v in by_status.items()
        ):
            raise MalformedResponse("status counts lack a valid byStatus map")
        total = raw.get("total")
        if not isinstance(total, int) or total < 0:
            total = sum(by_status.values())
        bu = raw.get("businessUnitId")
        return cls(
            business_unit_id=bu if isinstance(bu, str) else "",
            created_from=parse_time(raw.get("createdFrom")),
            created_to=parse_time(raw.get("createdTo")),
            total=total,
            by_status=dict(by_status),
        )


class InvitationsSource(Protocol):
    """What the brain needs from the invitations API; the httpx client implements it.

    Methods raise bot.invitations.errors.ApiError subclasses; "not found" is a
    value (None or an empty list), not an exception.
    """

    def get_invitation(self, invitation_id: str, business_unit_id: str | None = None) -> Invitation | None: ...

    def find_invitations(
        self,
        business_unit_id: str,
        *,
        reference_number: str | None = None,
        email: str | None = None,
        limit: int = 20,
    ) -> list[Invitation]: ...

    def find_business_unit(self, domain: str) -> BusinessUnit | None: ...

    def status_stats(
        self, business_unit_id: str, created_from: datetime, created_to: datetime
    ) -> StatusStats: ...

    def sample_invitations(
        self,
        business_unit_id: str,
        statuses: list[str],
        created_from: datetime,
        created_to: datetime,
        limit: int = 3,
    ) -> list[Invitation]: ...
