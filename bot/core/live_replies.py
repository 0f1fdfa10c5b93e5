"""The Replies the live desk builds: invitations explained (one, or several found), refusals, unknown
accounts, bad input and API failures. The desk (live.py) decides which; these only say it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.core import live_messages
from bot.core.entities import EmailLookup, InvitationLookup, LiveRequest, ReferenceLookup
from bot.core.explain import explanation_sections, read_more_link, unknown_status_sections
from bot.core.invitation_view import brief_line, invitation_data, invitation_sections, record_gap, status_label
from bot.core.models import Question, Reply, ReplyKind, Section
from bot.i18n.catalog import gettext_for
from bot.invitations.errors import ApiError
from bot.invitations.models import Invitation, is_valid_id
from bot.knowledge.model import KnowledgeBase, StatusEntry
from bot.matching.normalize import fold_key

# How many distinct statuses of a search result get a full explanation, and how many lines the list shows.
EXPLAINED_STATUSES = 3
LISTED = 10


def explain_one(invitation: Invitation, question: Question, language: str, kb: KnowledgeBase, now: datetime) -> Reply:
    """One invitation: its figures, then what its status means and what to do."""
    _ = gettext_for(language)
    entry = kb.get(invitation.status)
    sections = invitation_sections(invitation, kb, language, now)
    if entry is not None:
        sections += explanation_sections(entry, language)
    else:
        record_gap(invitation.status, f"invitation {invitation.id}")
        sections += unknown_status_sections(invitation.status, language)
    return Reply(
        kind=ReplyKind.LOOKUP,
        language=language,
        title=_("Invitation %(id)s: %(status)s")
        % {"id": invitation.id, "status": status_label(invitation.status, kb, language)},
        sections=sections,
        status=invitation.status,
        question=question.text,
        read_more=read_more_link(entry, language),
        data={
            "invitation": invitation_data(invitation, kb),
            "status": invitation.status,
            "known": entry is not None,
            "found": True,
            "language": language,
        },
    )


def explain_many(
    found: list[Invitation], what: str, query: dict[str, str], question: Question, language: str,
    kb: KnowledgeBase, now: datetime,
) -> Reply:
    """Several invitations found by a search: a list, the newest in full, and its first few statuses explained."""
    _ = gettext_for(language)
    newest = found[0]
    listed = [brief_line(inv, kb, language) for inv in found[:LISTED]]
    if len(found) > LISTED:
        listed.append(_("… and %(count)s more.") % {"count": len(found) - LISTED})
    sections: tuple[Section, ...] = (Section(heading=_("Invitations found, newest first"), items=tuple(listed)),)
    sections += (Section(heading=_("The newest invitation"),
                         items=invitation_sections(newest, kb, language, now)[0].items),)
    explained: list[str] = []
    for invitation in found:
        code = invitation.status
        if code in explained:
            continue
        explained.append(code)
        if len(explained) > EXPLAINED_STATUSES:
            break
        sections += (Section(heading=_("About the status %(status)s")
                             % {"status": status_label(code, kb, language)}),)
        entry = kb.get(code)
        if entry is not None:
            sections += explanation_sections(entry, language)
        else:
            record_gap(code, f"invitation {invitation.id}")
            sections += unknown_status_sections(code, language)
    return Reply(
        kind=ReplyKind.LOOKUP,
        language=language,
        title=_("%(count)s invitations found for %(what)s") % {"count": len(found), "what": what},
        sections=sections,
        status=newest.status,
        question=question.text,
        read_more=next(
            (link for code in explained if (link := read_more_link(kb.get(code), language))), None
        ),
        data={
            "query": query,
            "invitations": [invitation_data(inv, kb) for inv in found],
            "invitation": invitation_data(newest, kb),
            "status": newest.status,
            "known": newest.status in kb,
            "found": True,
            "language": language,
        },
    )


def refusal(question: Question, language: str, kind: ReplyKind) -> Reply:
    title, sections = live_messages.refusal(language)
    return Reply(kind=kind, language=language, title=title, sections=sections, question=question.text,
                 data={"invitation": None, "status": None, "known": False, "found": False,
                       "language": language})


def unknown_unit(name: str, question: Question, language: str) -> Reply:
    _ = gettext_for(language)
    title = (
        _("No account with the id %(id)s was found.") % {"id": name}
        if is_valid_id(name)
        else _("No account with the domain %(domain)s was found.") % {"domain": name}
    )
    return Reply(
        kind=ReplyKind.NOT_FOUND,
        language=language,
        title=title,
        sections=(Section(text=_("Check the spelling, or give the account's 24-character business unit id.")),),
        question=question.text,
        data={"error": "unknown_business_unit", "status": None, "found": False, "language": language},
    )


def bad_period(question: Question, language: str) -> Reply:
    title, sections = live_messages.bad_period(language)
    return Reply(kind=ReplyKind.ERROR, language=language, title=title, sections=sections, question=question.text,
                 data={"error": "invalid_period", "status": None, "language": language})


def bad_id(text: str, question: Question, language: str) -> Reply:
    title, sections = live_messages.bad_id(text, language)
    return Reply(kind=ReplyKind.ERROR, language=language, title=title, sections=sections, question=question.text,
                 data={"error": "invalid_id", "status": None, "language": language})


def api_failure(error: ApiError, request: LiveRequest, question: Question, language: str, kb: KnowledgeBase
                ) -> Reply:
    """The knowledge-base part when the question names a status, and a notice that live data is missing."""
    _ = gettext_for(language)
    entry = status_named_in(kb, question.text)
    sections: tuple[Section, ...] = ()
    if entry is not None:
        title = entry.label.get(language)
        sections = explanation_sections(entry, language)
    elif isinstance(request, InvitationLookup):
        title = _("Invitation %(id)s") % {"id": request.invitation_id}
    else:
        title = _("The live data could not be fetched right now.")
    data: dict[str, Any] = {
        "error": live_messages.api_error_code(error),
        "correlationId": error.correlation_id,
        "status": entry.id if entry is not None else None,
        "known": entry is not None,
        "language": language,
    }
    if isinstance(request, InvitationLookup):
        data["invitation"] = {"id": request.invitation_id}
    return Reply(
        kind=ReplyKind.ERROR,
        language=language,
        title=title,
        sections=sections,
        notices=live_messages.api_failure_notices(error, language),
        status=entry.id if entry is not None else None,
        question=question.text,
        data=data,
        read_more=read_more_link(entry, language),
    )


def status_named_in(kb: KnowledgeBase, text: str) -> StatusEntry | None:
    """The status whose label or id the question quotes (the longest, so "Levererad" loses to
    "Ej levererad – SPF-fel"), for answering from the knowledge base alone."""
    words = f" {fold_key(text)} "
    best: tuple[int, StatusEntry] | None = None
    for entry in kb:
        for name in (entry.label.sv, entry.label.en, entry.id):
            key = fold_key(name)
            if key and f" {key} " in words and (best is None or len(key) > best[0]):
                best = (len(key), entry)
    return best[1] if best else None


def invitation_not_found(invitation_id: str, question: Question, language: str) -> Reply:
    """For staff: no invitation has this id (outsiders get a refusal instead, which reveals nothing)."""
    _ = gettext_for(language)
    return Reply(
        kind=ReplyKind.NOT_FOUND,
        language=language,
        title=_("No invitation with the id %(id)s was found.") % {"id": invitation_id},
        sections=(Section(text=_("Check the id on the invitation status page; it may belong to another "
                                 "account or may have been deleted.")),),
        question=question.text,
        data={"invitation": None, "status": None, "known": False, "found": False, "language": language},
    )


def search_found_nothing(
    request: ReferenceLookup | EmailLookup, what: str, query: dict[str, str], unit: tuple[str, str],
    question: Question, language: str,
) -> Reply:
    """For staff: nothing at `unit` (id, name to show) has this reference number or address."""
    _ = gettext_for(language)
    unit_id, unit_name = unit
    title = (
        _("No invitations with the reference number %(reference)s were found at %(unit)s.")
        % {"reference": what, "unit": unit_name}
        if isinstance(request, ReferenceLookup)
        else _("No invitations to %(email)s were found at %(unit)s.") % {"email": what, "unit": unit_name}
    )
    return Reply(
        kind=ReplyKind.NOT_FOUND, language=language, title=title,
        sections=(Section(text=_("Check the spelling, and that the account is the one that sent "
                                 "the invitation.")),),
        question=question.text,
        data={"businessUnitId": unit_id, "query": query, "invitations": [], "status": None,
              "found": False, "language": language},
    )


def unit_needed(message: tuple[str, tuple[Section, ...]], question: Question, language: str) -> Reply:
    """The asker must name one business unit: `message` is live_messages' title and sections saying so."""
    title, sections = message
    return Reply(kind=ReplyKind.ERROR, language=language, title=title, sections=sections,
                 question=question.text, data={"error": "business_unit_needed", "language": language})
