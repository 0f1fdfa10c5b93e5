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
from bot.core.invitation_view import (
    newest_first,
)
from bot.core.live_replies import (
    api_failure,
    bad_id,
    bad_period,
    explain_many,
    explain_one,
    invitation_not_found,
    refusal,
    search_found_nothing,
    unit_needed,
    unknown_unit,
)
from bot.core.masking import for_audience, kb_addresses
from bot.core.models import Question, Reply, ReplyKind
from bot.core.periods import Period, default_period
from bot.core.summary import Summariser
from bot.invitations.errors import ApiError, InvalidId
from bot.invitations.models import Invitation, InvitationsSource
from bot.knowledge.model import KnowledgeBase

log = logging.getLogger(__name__)

# How many invitations one reference number or address search fetches from each business unit.
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
                    return bad_id(request.text, question, language)
                case BadPeriodRequest():
                    return bad_period(question, language)
                case InvitationLookup():
                    return self._lookup(request, question, language)
                case BulkLookup():
                    return self._bulk(request, question, language, progress)
                case ReferenceLookup() | EmailLookup():
                    return self._search(request, question, language)
                case SummaryRequest():
                    return self._summary(request, question, language)
        except _Refused:
            return refusal(question, language, ReplyKind.REFUSAL)
        except _UnknownUnit as exc:
            return unknown_unit(exc.domain, question, language)
        except InvalidId as exc:
            log.info("invalid id rejected: %s", exc)
            return bad_id(_request_id(request), question, language)
        except ApiError as exc:
            log.warning("invitations API failed (%s): %s correlation=%s", type(exc).__name__, exc, exc.correlation_id)
            return api_failure(exc, request, question, language, self.kb)
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
        return refusal(question, language, ReplyKind.REFUSAL)

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
                return refusal(question, language, ReplyKind.NOT_FOUND)
            return invitation_not_found(request.invitation_id, question, language)
        return explain_one(found, question, language, self.kb, self.clock())

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

    def _search(self, request: ReferenceLookup | EmailLookup, question: Question, language: str) -> Reply:
        if isinstance(request, ReferenceLookup):
            query: dict[str, str] = {"referenceNumber": request.reference}
            what = request.reference
        else:
            query = {"email": request.email}
            what = request.email
        units = self._units_for(request.business_unit, question)
        if units is None:
            return unit_needed(live_messages.unit_needed(language, "search"), question, language)
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
                return refusal(question, language, ReplyKind.NOT_FOUND)
            return search_found_nothing(request, what, query, units[0], question, language)
        if len(found) == 1:
            reply = explain_one(found[0], question, language, self.kb, self.clock())
            return _with_data(reply, {"query": query, "invitations": [reply.data["invitation"]]})
        return explain_many(found, what, query, question, language, self.kb, self.clock())

    def _summary(self, request: SummaryRequest, question: Question, language: str) -> Reply:
        units = self._units_for(request.business_unit, question)
        if units is None or len(units) != 1:
            message = (
                live_messages.unit_needed(language, "summary")
                if units is None
                else live_messages.several_units(language, [unit_id for unit_id, _name in units])
            )
            return unit_needed(message, question, language)
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
