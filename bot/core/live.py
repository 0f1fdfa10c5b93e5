"""The live desk: fetches invitations and account figures, checks who may see them, explains them."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from bot.core import live_messages
from bot.core.access import AccessPolicy
from bot.core.bulk import BulkSlots, PacedSource, Progress, bulk_reply, fetch_all
from bot.core.entities import (
    BadIdRequest,
    BadPeriodRequest,
    BulkLookup,
    BusinessUnitRef,
    EmailLookup,
    InvitationLookup,
    LiveRequest,
    ReferenceLookup,
    SummaryRequest,
)
from bot.core.explain import explanation_sections, read_more_link, unknown_status_sections
from bot.core.invitation_view import (
    brief_line,
    invitation_data,
    invitation_sections,
    newest_first,
    record_gap,
    status_label,
)
from bot.core.masking import for_audience, kb_addresses
from bot.core.models import Question, Reply, ReplyKind, Section
from bot.core.periods import Period, default_period
from bot.core.summary import Summariser
from bot.i18n.catalog import gettext_for
from bot.invitations.errors import ApiError, InvalidId
from bot.invitations.models import Invitation, InvitationsSource, is_valid_id
from bot.knowledge.model import KnowledgeBase, StatusEntry
from bot.matching.normalize import fold_key

log = logging.getLogger(__name__)

# How many distinct statuses of a search result get a full explanation, and how many lines the list shows.
EXPLAINED_STATUSES = 3
LISTED = 10
SEARCH_LIMIT = 20


def _now() -> datetime:
    return datetime.now(UTC)


class _Refused(Exception):
    """The asker may not see what they asked for (or it does not exist: the answer is the same)."""


class _UnknownUnit(Exception):
    def __init__(self, domain: str) -> None:
        super().__init__(domain)
        self.domain = domain


class LiveDesk:
    def __init__(
        self,
        source: InvitationsSource,
        kb: KnowledgeBase,
        access: AccessPolicy,
        clock: Callable[[], datetime] = _now,
    ) -> None:
        self.source = source
        self.kb = kb
        self.access = access
        self.clock = clock
        self.summariser = Summariser(source, kb)
        self.public_addresses = kb_addresses(kb)
        self.bulk_slots = BulkSlots()

    def default_period(self) -> Period:
        return default_period(self.clock())

    def answer(self, request: LiveRequest, question: Question, language: str,
               progress: Progress | None = None) -> Reply:
        """Never raises for API trouble: it becomes a translated notice (plus the knowledge-base part).

        `progress(done, total)` is called as a bulk check advances, so a surface can show it.
        Replies are built whole, then cleaned of invisible characters and masked, once, for their audience.
        """
        reply = self._answer(request, question, language, progress)
        reply = self._only_bound_units(reply, question, language)
        return for_audience(reply, masked=self.access.must_mask(question.asker), public=self.public_addresses)

    def _answer(self, request: LiveRequest, question: Question, language: str,
                progress: Progress | None) -> Reply:
        try:
            match request:
                case BadIdRequest():
                    return self._bad_id(request.text, question, language)
                case BadPeriodRequest():
                    return self._bad_period(question, language)
                case InvitationLookup():
                    return self._lookup(request, question, language)
                case BulkLookup():
                    return self._bulk(request, question, language, progress)
                case ReferenceLookup() | EmailLookup():
                    return self._search(request, question, language)
                case SummaryRequest():
                    return self._summary(request, question, language)
        except _Refused:
            return self._refusal(question, language, ReplyKind.REFUSAL)
        except _UnknownUnit as exc:
            return self._unknown_unit(exc.domain, question, language)
        except InvalidId as exc:
            log.info("invalid id rejected: %s", exc)
            return self._bad_id(_request_id(request), question, language)
        except ApiError as exc:
            log.warning("invitations API failed (%s): %s correlation=%s", type(exc).__name__, exc, exc.correlation_id)
            return self._api_failure(exc, request, question, language)
        raise TypeError(f"unknown live request {request!r}")

    # -- business units and access ------------------------------------------------------------------

    def _only_bound_units(self, reply: Reply, question: Question, language: str) -> Reply:
        """Defence in depth for outside askers: whatever the lookup path, everything the reply shows must
        belong to a business unit bound to the conversation (an API that ignored the unit it was asked
        for, or a path that forgot to ask, must not leak another merchant's data)."""
        asker = question.asker
        if asker.internal:
            return reply
        shown = units_in(reply.data)
        foreign = shown - self.access.bound_units(asker)
        if not foreign:
            return reply
        log.warning("refused a reply for an outside asker in %s: it held data of %s business unit(s) not bound "
                    "there", asker.channel_id, len(foreign))
        return self._refusal(question, language, ReplyKind.REFUSAL)

    def _resolve(self, ref: BusinessUnitRef) -> tuple[str, str]:
        """(id, name to show) of a named business unit; raises _UnknownUnit for an unknown domain."""
        if ref.id is not None:
            return ref.id, ref.id
        domain = ref.value.lower()
        unit = self.source.find_business_unit(domain)
        if unit is None:
            raise _UnknownUnit(domain)
        shown = unit.domain or domain
        if unit.display_name and unit.display_name.lower() != shown:
            shown = f"{unit.display_name} ({shown})"
        return unit.id, shown

    def _units_for(self, ref: BusinessUnitRef | None, question: Question) -> list[tuple[str, str]] | None:
        """The business units to search, after access checks; None when the asker named none and must."""
        asker = question.asker
        if asker.internal:
            return [self._resolve(ref)] if ref is not None else None
        bound = sorted(self.access.bound_units(asker))
        if not bound:
            raise _Refused
        if ref is None:
            return [(unit, unit) for unit in bound]
        try:
            unit_id, name = self._resolve(ref)
        except _UnknownUnit:
            # An unknown domain gets the same answer as someone else's: nothing is revealed.
            raise _Refused from None
        if unit_id not in bound:
            raise _Refused
        return [(unit_id, name)]

    # -- replies -------------------------------------------------------------------------------------

    def _lookup(self, request: InvitationLookup, question: Question, language: str) -> Reply:
        asker = question.asker
        if asker.internal and request.business_unit is None:
            found = self.source.get_invitation(request.invitation_id)
        else:
            units = self._units_for(request.business_unit, question) or []
            found = None
            for unit_id, _name in units:
                found = self.source.get_invitation(request.invitation_id, unit_id)
                if found is not None:
                    break
        if found is None:
            if not asker.internal:
                return self._refusal(question, language, ReplyKind.NOT_FOUND)
            _ = gettext_for(language)
            return Reply(
                kind=ReplyKind.NOT_FOUND,
                language=language,
                title=_("No invitation with the id %(id)s was found.") % {"id": request.invitation_id},
                sections=(Section(text=_("Check the id on the invitation status page; it may belong to another "
                                         "account or may have been deleted.")),),
                question=question.text,
                data={"invitation": None, "status": None, "known": False, "found": False, "language": language},
            )
        return self._explain_one(found, question, language)

    def _bulk(self, request: BulkLookup, question: Question, language: str, progress: Progress | None) -> Reply:
        asker = question.asker
        units = None if asker.internal and request.business_unit is None else (
            self._units_for(request.business_unit, question) or [])

        def fetch(invitation_id: str) -> Invitation | None:
            if units is None:
                return self.source.get_invitation(invitation_id)
            for unit_id, _name in units:
                found = self.source.get_invitation(invitation_id, unit_id)
                if found is not None:
                    return found
            return None

        requests = len(request.invitation_ids) * (1 if units is None else max(1, len(units)))
        estimate = self.source.estimate_bulk_seconds(requests) if isinstance(self.source, PacedSource) else None
        conversation = asker.channel_id or asker.user_id or ""
        with self.bulk_slots.take(conversation) as refused:
            if refused is not None:
                title, sections = live_messages.bulk_busy(language, here=refused == "here")
                return Reply(kind=ReplyKind.ERROR, language=language, title=title, sections=sections,
                             question=question.text, data={"error": "bulk_busy", "language": language})
            outcomes = fetch_all(request.invitation_ids, fetch, progress, estimate)
        errors = [o for o in outcomes.values() if isinstance(o, ApiError)]
        if errors and len(errors) == len(outcomes):
            raise errors[0]
        return bulk_reply(request.invitation_ids, outcomes, self.kb, language, question.text, request.left_out)

    def _explain_one(self, invitation: Invitation, question: Question, language: str) -> Reply:
        _ = gettext_for(language)
        entry = self.kb.get(invitation.status)
        sections = invitation_sections(invitation, self.kb, language, self.clock())
        if entry is not None:
            sections += explanation_sections(entry, language)
        else:
            record_gap(invitation.status, f"invitation {invitation.id}")
            sections += unknown_status_sections(invitation.status, language)
        return Reply(
            kind=ReplyKind.LOOKUP,
            language=language,
            title=_("Invitation %(id)s: %(status)s")
            % {"id": invitation.id, "status": status_label(invitation.status, self.kb, language)},
            sections=sections,
            status=invitation.status,
            question=question.text,
            read_more=read_more_link(entry, language),
            data={
                "invitation": invitation_data(invitation, self.kb),
                "status": invitation.status,
                "known": entry is not None,
                "found": True,
                "language": language,
            },
        )

    def _search(self, request: ReferenceLookup | EmailLookup, question: Question, language: str) -> Reply:
        _ = gettext_for(language)
        if isinstance(request, ReferenceLookup):
            query: dict[str, str] = {"referenceNumber": request.reference}
            what = request.reference
        else:
            query = {"email": request.email}
            what = request.email
        units = self._units_for(request.business_unit, question)
        if units is None:
            title, sections = live_messages.unit_needed(language, "search")
            return Reply(kind=ReplyKind.ERROR, language=language, title=title, sections=sections,
                         question=question.text, data={"error": "business_unit_needed", "language": language})
        found: list[Invitation] = []
        for unit_id, _name in units:
            found += self.source.find_invitations(
                unit_id,
                reference_number=request.reference if isinstance(request, ReferenceLookup) else None,
                email=request.email if isinstance(request, EmailLookup) else None,
                limit=SEARCH_LIMIT,
            )
        found = newest_first(found)
        if not found:
            if not question.asker.internal:
                return self._refusal(question, language, ReplyKind.NOT_FOUND)
            unit_name = units[0][1]
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
                data={"businessUnitId": units[0][0], "query": query, "invitations": [], "status": None,
                      "found": False, "language": language},
            )
        if len(found) == 1:
            reply = self._explain_one(found[0], question, language)
            return _with_data(reply, {"query": query, "invitations": [reply.data["invitation"]]})
        return self._explain_many(found, what, query, question, language)

    def _explain_many(
        self, found: list[Invitation], what: str, query: dict[str, str], question: Question, language: str
    ) -> Reply:
        _ = gettext_for(language)
        newest = found[0]
        listed = [brief_line(inv, self.kb, language) for inv in found[:LISTED]]
        if len(found) > LISTED:
            listed.append(_("… and %(count)s more.") % {"count": len(found) - LISTED})
        sections: tuple[Section, ...] = (Section(heading=_("Invitations found, newest first"), items=tuple(listed)),)
        sections += (Section(heading=_("The newest invitation"),
                             items=invitation_sections(newest, self.kb, language, self.clock())[0].items),)
        explained: list[str] = []
        for invitation in found:
            code = invitation.status
            if code in explained:
                continue
            explained.append(code)
            if len(explained) > EXPLAINED_STATUSES:
                break
            sections += (Section(heading=_("About the status %(status)s")
                                 % {"status": status_label(code, self.kb, language)}),)
            entry = self.kb.get(code)
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
                (link for code in explained if (link := read_more_link(self.kb.get(code), language))), None
            ),
            data={
                "query": query,
                "invitations": [invitation_data(inv, self.kb) for inv in found],
                "invitation": invitation_data(newest, self.kb),
                "status": newest.status,
                "known": newest.status in self.kb,
                "found": True,
                "language": language,
            },
        )

    def _summary(self, request: SummaryRequest, question: Question, language: str) -> Reply:
        units = self._units_for(request.business_unit, question)
        if units is None or len(units) != 1:
            title, sections = (
                live_messages.unit_needed(language, "summary")
                if units is None
                else live_messages.several_units(language, [unit_id for unit_id, _name in units])
            )
            return Reply(kind=ReplyKind.ERROR, language=language, title=title, sections=sections,
                         question=question.text, data={"error": "business_unit_needed", "language": language})
        unit_id, name = units[0]
        try:
            return self.summariser.summarise(unit_id, name, request.period, language, question.text)
        except ApiError as exc:
            if exc.status_code != 404:
                raise
            # The counts of an account that does not exist: no such account (or, for outsiders, a refusal).
            if not question.asker.internal:
                raise _Refused from None
            raise _UnknownUnit(unit_id) from None

    def _refusal(self, question: Question, language: str, kind: ReplyKind) -> Reply:
        title, sections = live_messages.refusal(language)
        return Reply(kind=kind, language=language, title=title, sections=sections, question=question.text,
                     data={"invitation": None, "status": None, "known": False, "found": False,
                           "language": language})

    def _unknown_unit(self, name: str, question: Question, language: str) -> Reply:
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

    def _bad_period(self, question: Question, language: str) -> Reply:
        title, sections = live_messages.bad_period(language)
        return Reply(kind=ReplyKind.ERROR, language=language, title=title, sections=sections, question=question.text,
                     data={"error": "invalid_period", "status": None, "language": language})

    def _bad_id(self, text: str, question: Question, language: str) -> Reply:
        title, sections = live_messages.bad_id(text, language)
        return Reply(kind=ReplyKind.ERROR, language=language, title=title, sections=sections, question=question.text,
                     data={"error": "invalid_id", "status": None, "language": language})

    def _api_failure(self, error: ApiError, request: LiveRequest, question: Question, language: str) -> Reply:
        """The knowledge-base part when the question names a status, and a notice that live data is missing."""
        _ = gettext_for(language)
        entry = self._status_named_in(question.text)
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

    def _status_named_in(self, text: str) -> StatusEntry | None:
        """The status whose label or id the question quotes (the longest, so "Levererad" loses to
        "Ej levererad – SPF-fel"), for answering from the knowledge base alone."""
        words = f" {fold_key(text)} "
        best: tuple[int, StatusEntry] | None = None
        for entry in self.kb:
            for name in (entry.label.sv, entry.label.en, entry.id):
                key = fold_key(name)
                if key and f" {key} " in words and (best is None or len(key) > best[0]):
                    best = (len(key), entry)
        return best[1] if best else None


def _request_id(request: LiveRequest) -> str:
    match request:
        case InvitationLookup():
            return request.invitation_id
        case BulkLookup():
            return request.invitation_ids[0]
        case BadIdRequest() | BadPeriodRequest():
            return request.text
        case SummaryRequest() if request.business_unit is not None:
            return request.business_unit.value
        case (ReferenceLookup() | EmailLookup()) if request.business_unit is not None:
            return request.business_unit.value
    return ""


def units_in(data: Any) -> set[str]:
    """Every business unit a reply's data names ("businessUnitId" at any depth; "" when the API gave none)."""
    found: set[str] = set()
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "businessUnitId" and (isinstance(value, str) or value is None):
                found.add(value or "")
            else:
                found |= units_in(value)
    elif isinstance(data, list | tuple):
        for value in data:
            found |= units_in(value)
    return found


def _with_data(reply: Reply, extra: dict[str, Any]) -> Reply:
    return replace(reply, data={**reply.data, **extra})
