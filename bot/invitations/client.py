"""The invitations API client: the typed calls, their paths and queries, and paging (sent through connection.py)."""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, date, datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any

import httpx

from bot.invitations.connection import BULK_BUDGET_SECONDS, ApiConnection
from bot.invitations.errors import InvalidId, MalformedResponse
from bot.invitations.models import BusinessUnit, Invitation, StatusStats, is_valid_id
from bot.invitations.ratelimit import Clock, Sleep

if TYPE_CHECKING:
    from bot.config import Settings

logger = logging.getLogger(__name__)

MAX_PER_PAGE = 100


def _require_id(value: str, what: str) -> str:
    if not isinstance(value, str) or not is_valid_id(value):
        raise InvalidId(f"{what} must be 24 lowercase hex characters, got {value!r}")
    return value


def _iso(value: datetime | date) -> str:
    """A query-string time in UTC; naive datetimes are taken as UTC."""
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day, tzinfo=UTC)
    elif value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _newest_first(items: list[Invitation]) -> list[Invitation]:
    oldest = datetime.min.replace(tzinfo=UTC)
    return sorted(items, key=lambda inv: inv.created_at or oldest, reverse=True)


class InvitationsClient:
    """Implements bot.invitations.models.InvitationsSource over HTTP; thread-safe, use one per process."""

    def __init__(
        self,
        base_url: str,
        api_key: str,
        api_secret: str,
        *,
        budget_seconds: float = 10.0,
        rate_per_5min: int = 833,
        rate_per_hour: int = 10_000,
        rate_per_second: float | None = None,
        max_concurrency: int = 4,
        connect_timeout: float = 3.0,
        read_timeout: float = 5.0,
        max_attempts: int = 5,
        retry_after_cap: float = 30.0,
        bulk_budget_seconds: float = BULK_BUDGET_SECONDS,
        transport: httpx.BaseTransport | None = None,
        clock: Clock = time.monotonic,
        sleep: Sleep = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self._api = ApiConnection(
            base_url, api_key, api_secret, budget_seconds=budget_seconds, rate_per_5min=rate_per_5min,
            rate_per_hour=rate_per_hour, rate_per_second=rate_per_second, max_concurrency=max_concurrency,
            connect_timeout=connect_timeout, read_timeout=read_timeout, max_attempts=max_attempts,
            retry_after_cap=retry_after_cap, bulk_budget_seconds=bulk_budget_seconds, transport=transport,
            clock=clock, sleep=sleep, rng=rng,
        )
        self._base = self._api.base
        self._gate = self._api.gate
        self._auth = self._api.auth
        self._on_close: list[Callable[[], None]] = []
        self._close_lock = threading.Lock()
        self._closed = False

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        *,
        base_url: str | None = None,
        api_key: str | None = None,
        api_secret: str | None = None,
        **overrides: Any,
    ) -> InvitationsClient:
        """A client configured from Settings; the keyword arguments win (e.g. a sandbox's URL and credentials)."""
        url = base_url or settings.invitations_api_url
        key = api_key or settings.invitations_api_key
        secret = api_secret or settings.invitations_api_secret
        if not url or not key or not secret:
            raise ValueError("the invitations API URL, key and secret are needed (or start the sandbox)")
        options: dict[str, Any] = {
            "budget_seconds": settings.api_budget_seconds,
            "rate_per_5min": settings.api_rate_per_5min,
            "rate_per_hour": settings.api_rate_per_hour,
            "max_concurrency": settings.api_concurrency,
        }
        options.update(overrides)
        return cls(url, key, secret, **options)

    # -- life cycle -------------------------------------------------------------------------------

    def call_on_close(self, callback: Callable[[], None]) -> None:
        """Run `callback` when the client closes (e.g. stop an in-process sandbox)."""
        self._on_close.append(callback)

    def close(self) -> None:
        with self._close_lock:
            if self._closed:
                return
            self._closed = True
        self._api.close()
        for callback in reversed(self._on_close):
            callback()

    def __enter__(self) -> InvitationsClient:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    # -- counters (benchmarks, diagnostics) -------------------------------------------------------

    @property
    def requests_sent(self) -> int:
        """HTTP requests that left the client, token fetches and retries included."""
        return self._gate.requests_sent

    @property
    def responses_by_status(self) -> Mapping[int, int]:
        """How many answers of each HTTP status the client has received."""
        return dict(self._gate.responses_by_status)

    @property
    def token_fetches(self) -> int:
        return self._auth.fetch_count

    def estimate_bulk_seconds(self, requests: int) -> float:
        """About how long `requests` bulk requests take: the rate limit's bulk share or the time the
        exchanges themselves take on the bulk concurrency slots, whichever is slower."""
        by_rate = self._gate.limiter.bulk_estimate(requests)
        by_time = requests * self._gate.average_seconds / self._gate.bulk_concurrency
        return max(by_rate, by_time)

    # -- the InvitationsSource calls --------------------------------------------------------------

    def get_invitation(self, invitation_id: str, business_unit_id: str | None = None) -> Invitation | None:
        """One invitation; the support-scope endpoint without a business unit. None when not found."""
        _require_id(invitation_id, "an invitation id")
        if business_unit_id is None:
            url = self._api.url("v1", "private", "invitations", invitation_id)
        else:
            _require_id(business_unit_id, "a business unit id")
            url = self._api.url("v1", "private", "business-units", business_unit_id, "invitations", invitation_id)
        raw = self._api.get_json(url, None, "invitation lookup", not_found_ok=True)
        return None if raw is None else Invitation.from_json(raw)

    def find_invitations(
        self,
        business_unit_id: str,
        *,
        reference_number: str | None = None,
        email: str | None = None,
        limit: int = 20,
    ) -> list[Invitation]:
        """Invitations with this reference number and/or recipient email, newest first, at most `limit`."""
        if not reference_number and not email:
            raise ValueError("find_invitations needs a reference number or an email")
        if limit < 1:
            return []
        found: list[Invitation] = []
        for invitation in self.iter_invitations(
            business_unit_id, reference_number=reference_number, email=email, per_page=min(limit, MAX_PER_PAGE)
        ):
            found.append(invitation)
            if len(found) >= limit:
                break
        return _newest_first(found)

    def iter_invitations(
        self,
        business_unit_id: str,
        *,
        status: str | list[str] | None = None,
        created_from: datetime | date | None = None,
        created_to: datetime | date | None = None,
        reference_number: str | None = None,
        email: str | None = None,
        per_page: int = MAX_PER_PAGE,
    ) -> Iterator[Invitation]:
        """Every matching invitation, page by page through the next-page links; nothing for an unknown unit."""
        _require_id(business_unit_id, "a business unit id")
        params: dict[str, str] = {"perPage": str(max(1, min(per_page, MAX_PER_PAGE)))}
        if reference_number:
            params["referenceNumber"] = reference_number
        if email:
            params["email"] = email
        if status:
            params["status"] = status if isinstance(status, str) else ",".join(status)
        if created_from is not None:
            params["createdFrom"] = _iso(created_from)
        if created_to is not None:
            params["createdTo"] = _iso(created_to)
        url: httpx.URL | None = self._api.url("v1", "private", "business-units", business_unit_id, "invitations")
        query: dict[str, str] | None = params
        seen: set[str] = set()
        while url is not None:
            page = self._get_page(url, query)
            if page is None:
                return
            items, url = page
            query = None  # a next-page link carries its own query
            yield from items
            if url is not None:
                if str(url) in seen or not items:
                    logger.warning("invitations API pagination loops or stalls at %s; stopping", url.path)
                    return
                seen.add(str(url))

    def find_business_unit(self, domain: str) -> BusinessUnit | None:
        """The business unit of a domain such as "acme.example"; None when unknown."""
        name = domain.strip().lower() if isinstance(domain, str) else ""
        if not name:
            return None
        raw = self._api.get_json(self._api.url("v1", "business-units", "find"), {"name": name},
                                 "business unit lookup", not_found_ok=True)
        return None if raw is None else BusinessUnit.from_json(raw)

    def status_stats(self, business_unit_id: str, created_from: datetime, created_to: datetime) -> StatusStats:
        """Counts by status of the invitations created in [created_from, created_to); one request."""
        _require_id(business_unit_id, "a business unit id")
        url = self._api.url("v1", "private", "business-units", business_unit_id, "invitations", "stats")
        params = {"createdFrom": _iso(created_from), "createdTo": _iso(created_to)}
        return StatusStats.from_json(self._api.get_json(url, params, "status counts", not_found_ok=False))

    def sample_invitations(
        self,
        business_unit_id: str,
        statuses: list[str],
        created_from: datetime,
        created_to: datetime,
        limit: int = 3,
    ) -> list[Invitation]:
        """A few recent invitations with any of `statuses`: one list request, no paging."""
        _require_id(business_unit_id, "a business unit id")
        wanted = [s for s in statuses if s]
        if not wanted or limit < 1:
            return []
        url = self._api.url("v1", "private", "business-units", business_unit_id, "invitations")
        params = {
            "status": ",".join(wanted),
            "createdFrom": _iso(created_from),
            "createdTo": _iso(created_to),
            "perPage": str(min(limit, MAX_PER_PAGE)),
        }
        page = self._get_page(url, params)
        return [] if page is None else page[0][:limit]

    # -- plumbing ---------------------------------------------------------------------------------

    def _get_page(
        self, url: httpx.URL, params: Mapping[str, str] | None
    ) -> tuple[list[Invitation], httpx.URL | None] | None:
        response = self._api.get(url, params, "invitation list")
        if response.status_code == 404:
            return None
        raw = self._api.json_or_raise(response, "invitation list")
        if not isinstance(raw, Mapping) or not isinstance(raw.get("invitations"), list):
            raise MalformedResponse("the invitation list lacks its invitations array", status_code=200)
        items = [Invitation.from_json(item) for item in raw["invitations"]]
        return items, self._next_page(response, raw.get("links"))

    def _next_page(self, response: httpx.Response, links: Any) -> httpx.URL | None:
        if not isinstance(links, list):
            return None
        for link in links:
            if isinstance(link, Mapping) and link.get("rel") == "next-page" and isinstance(link.get("href"), str):
                target = response.url.join(link["href"])
                # Our token must never travel to another host, whatever a link says.
                same_origin = (target.scheme, target.host, target.port) == (
                    self._base.scheme, self._base.host, self._base.port)
                if not same_origin or not target.path.startswith(self._base.path):
                    raise MalformedResponse("a next-page link points outside the invitations API")
                return target
        return None
