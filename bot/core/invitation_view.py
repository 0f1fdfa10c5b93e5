"""One live invitation as reply text and as JSON: its details and its status label (masked later, on the reply)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from bot.core.models import Section
from bot.i18n.catalog import gettext_for
from bot.i18n.formats import format_when
from bot.invitations.models import Invitation
from bot.knowledge.model import KnowledgeBase

gaps = logging.getLogger("bot.knowledge_gaps")


def iso(value: datetime | None) -> str | None:
    """The API's own time format: ISO 8601, UTC written as Z."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def status_label(code: str, kb: KnowledgeBase, language: str) -> str:
    entry = kb.get(code)
    if entry is not None:
        return entry.label.get(language)
    _ = gettext_for(language)
    return _("unknown status code %(code)s") % {"code": code}


def record_gap(code: str, where: str) -> None:
    """A status code the knowledge base lacks: logged for whoever completes the knowledge base."""
    gaps.warning("unknown status code %r (%s)", code, where)


def _type_text(value: str, language: str) -> str:
    _ = gettext_for(language)
    known = {
        "service": _("service review invitation"),
        "product": _("product review invitation"),
        "reminder": _("reminder"),
    }
    return known.get(value, value)


def _method_text(value: str, language: str) -> str:
    _ = gettext_for(language)
    known = {
        "automatic_feedback_service": _("Automatic Feedback Service (AFS)"),
        "api": _("API"),
        "integration": _("integration"),
        "csv_upload": _("CSV upload"),
        "manual": _("manual sending"),
    }
    return known.get(value, value)


def detail_items(
    invitation: Invitation, kb: KnowledgeBase, language: str, now: datetime
) -> tuple[str, ...]:
    """The invitation's own facts, one line each, in `language`."""
    _ = gettext_for(language)
    items = [_("Status: %(status)s") % {"status": status_label(invitation.status, kb, language)}]
    if invitation.status_detail:
        items.append(_("Message from the mail server: %(detail)s") % {"detail": invitation.status_detail})
    if invitation.status_updated_at:
        items.append(_("Status changed: %(when)s") % {"when": format_when(invitation.status_updated_at, language)})
    if invitation.reference_number:
        items.append(_("Reference number: %(reference)s") % {"reference": invitation.reference_number})
    email, name = invitation.recipient_email, invitation.recipient_name
    if email and name:
        items.append(_("Recipient: %(name)s <%(email)s>") % {"name": name, "email": email})
    elif email or name:
        items.append(_("Recipient: %(recipient)s") % {"recipient": email or name})
    if invitation.type or invitation.method:
        kind = _type_text(invitation.type, language) if invitation.type else "-"
        method = _method_text(invitation.method, language) if invitation.method else "-"
        items.append(_("Type: %(type)s, sent via %(method)s") % {"type": kind, "method": method})
    if invitation.created_at:
        items.append(_("Created: %(when)s") % {"when": format_when(invitation.created_at, language)})
    if invitation.scheduled_at:
        items.append(_("Scheduled for: %(when)s") % {"when": format_when(invitation.scheduled_at, language)})
    if invitation.sent_at:
        items.append(_("Sent: %(when)s") % {"when": format_when(invitation.sent_at, language)})
    elif invitation.scheduled_at and invitation.scheduled_at > now:
        items.append(_("Sent: not yet; it is scheduled for later."))
    else:
        items.append(_("Sent: no"))
    if invitation.sender_name:
        items.append(_("Sender name: %(name)s") % {"name": invitation.sender_name})
    return tuple(items)


def invitation_sections(
    invitation: Invitation, kb: KnowledgeBase, language: str, now: datetime
) -> tuple[Section, ...]:
    _ = gettext_for(language)
    return (Section(heading=_("This invitation"), items=detail_items(invitation, kb, language, now)),)


def brief_line(invitation: Invitation, kb: KnowledgeBase, language: str) -> str:
    """One invitation in a list: when, status, reference, recipient, id."""
    _ = gettext_for(language)
    created = format_when(invitation.created_at, language) if invitation.created_at else "-"
    return _("%(created)s: %(status)s (reference %(reference)s, recipient %(recipient)s, id %(id)s)") % {
        "created": created,
        "status": status_label(invitation.status, kb, language),
        "reference": invitation.reference_number or "-",
        "recipient": invitation.recipient_email or "-",
        "id": invitation.id,
    }


def invitation_data(invitation: Invitation, kb: KnowledgeBase) -> dict[str, Any]:
    """The invitation as `status --json` shows it (the whole reply is masked afterwards where masking applies)."""
    recipient: dict[str, Any] = {"email": invitation.recipient_email}
    if invitation.recipient_name:
        recipient["name"] = invitation.recipient_name
    return {
        "id": invitation.id,
        "businessUnitId": invitation.business_unit_id,
        "referenceNumber": invitation.reference_number,
        "recipient": recipient,
        "createdAt": iso(invitation.created_at),
        "status": invitation.status,
        "known": invitation.status in kb,
        "statusUpdatedAt": iso(invitation.status_updated_at),
        "statusDetail": invitation.status_detail,
        "scheduledAt": iso(invitation.scheduled_at),
        "sentAt": iso(invitation.sent_at),
        "type": invitation.type,
        "method": invitation.method,
    }


def newest_first(invitations: list[Invitation]) -> list[Invitation]:
    oldest = datetime.min.replace(tzinfo=UTC)
    return sorted(invitations, key=lambda inv: inv.created_at or oldest, reverse=True)


def counts_by_status(invitations: list[Invitation]) -> Mapping[str, int]:
    counts: dict[str, int] = {}
    for invitation in invitations:
        counts[invitation.status] = counts.get(invitation.status, 0) + 1
    return counts
