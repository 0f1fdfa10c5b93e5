"""The invitations API client on httpx: typed calls, retries within a budget, errors translated at the boundary."""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, date, datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import httpx

from bot.invitations.auth import TOKEN_PATH, ClientCredentialsAuth, TokenUnavailable
from bot.invitations.errors import ApiError, ApiUnavailable, BadRequest, InvalidId, MalformedResponse, RateLimited
from bot.invitations.models import BusinessUnit, Invitation, StatusStats, is_valid_id
from bot.invitations.ratelimit import Clock, Sleep, SlidingWindowLimiter, WouldExceedBudget, in_bulk
from bot.invitations.responses import RETRYABLE_STATUS, error_for, json_body, retry_after_seconds
from bot.invitations.retry import RetryPolicy
from bot.invitations.transport import GuardedTransport

if TYPE_CHECKING:
    from bot.config import Settings

logger = logging.getLogger(__name__)

MAX_PER_PAGE = 100
# Waking a hair after a window edge keeps us under a server that stamps requests on arrival.
_LIMITER_MARGIN = 0.05
# How long one request of a bulk check may wait for its share of the rate limit: a bulk check is
# expected to take minutes, and its asker was told how long.
BULK_BUDGET_SECONDS = 900.0


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
        if not api_key or not api_secret:
            raise ValueError("the invitations API needs an API key and secret")
        self._base = httpx.URL(base_url.rstrip("/") + "/")
        if self._base.scheme not in ("http", "https") or not self._base.host:
            raise ValueError(f"not an http(s) base URL: {base_url!r}")
        self._clock = clock
        self._sleep = sleep
        self._policy = RetryPolicy(
            budget_seconds=budget_seconds, max_attempts=max_attempts, retry_after_cap=retry_after_cap,
            rng=rng or random.Random(),
        )
        self._bulk_budget = bulk_budget_seconds
        self._connect_timeout = connect_timeout
        self._read_timeout = read_timeout
        limiter = SlidingWindowLimiter.for_api(
            per_5min=rate_per_5min, per_hour=rate_per_hour, per_second=rate_per_second,
            clock=clock, sleep=sleep, margin=_LIMITER_MARGIN,
        )
        inner = transport or httpx.HTTPTransport(
            limits=httpx.Limits(max_connections=max_concurrency + 1, max_keepalive_connections=max_concurrency + 1)
        )
        self._gate = GuardedTransport(inner, limiter, max_concurrency, clock=clock)
        self._auth = ClientCredentialsAuth(
            api_key, api_secret, token_url=self._url(TOKEN_PATH), send=self._send_token_request, clock=clock,
        )
        self._http = httpx.Client(
            transport=self._gate,
            auth=self._auth,
            headers={"Accept": "application/json", "User-Agent": "invitation-bot"},
            timeout=self._timeout(budget_seconds),
            follow_redirects=False,
        )
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
        self._http.close()
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
            url = self._url("v1", "private", "invitations", invitation_id)
        else:
            _require_id(business_unit_id, "a business unit id")
            url = self._url("v1", "private", "business-units", business_unit_id, "invitations", invitation_id)
        raw = self._get_json(url, None, "invitation lookup", not_found_ok=True)
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
        url: httpx.URL | None = self._url("v1", "private", "business-units", business_unit_id, "invitations")
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
        raw = self._get_json(self._url("v1", "business-units", "find"), {"name": name},
                             "business unit lookup", not_found_ok=True)
        return None if raw is None else BusinessUnit.from_json(raw)

    def status_stats(self, business_unit_id: str, created_from: datetime, created_to: datetime) -> StatusStats:
        """Counts by status of the invitations created in [created_from, created_to); one request."""
        _require_id(business_unit_id, "a business unit id")
        url = self._url("v1", "private", "business-units", business_unit_id, "invitations", "stats")
        params = {"createdFrom": _iso(created_from), "createdTo": _iso(created_to)}
        return StatusStats.from_json(self._get_json(url, params, "status counts", not_found_ok=False))

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
        url = self._url("v1", "private", "business-units", business_unit_id, "invitations")
        params = {
            "status": ",".join(wanted),
            "createdFrom": _iso(created_from),
            "createdTo": _iso(created_to),
            "perPage": str(min(limit, MAX_PER_PAGE)),
        }
        page = self._get_page(url, params)
        return [] if page is None else page[0][:limit]

    # -- plumbing ---------------------------------------------------------------------------------

    def _url(self, *segments: str) -> httpx.URL:
        """An absolute URL under the base URL; each path segment percent-encoded, "/" included."""
        if len(segments) == 1 and segments[0].startswith("/"):
            return self._base.join(segments[0].lstrip("/"))
        return self._base.join("/".join(quote(segment, safe="") for segment in segments))

    def _timeout(self, remaining: float) -> httpx.Timeout:
        # Never let one attempt outlive what is left of the budget.
        left = max(remaining, 0.01)
        return httpx.Timeout(
            connect=min(self._connect_timeout, left), read=min(self._read_timeout, left),
            write=min(self._read_timeout, left), pool=left,
        )

    def _send_token_request(self, request: httpx.Request) -> httpx.Response:
        request.extensions["timeout"] = self._timeout(self._read_timeout).as_dict()
        # auth=None: the token request carries its own Basic credentials, not a Bearer token.
        return self._http.send(request, auth=None)

    def _get_page(
        self, url: httpx.URL, params: Mapping[str, str] | None
    ) -> tuple[list[Invitation], httpx.URL | None] | None:
        response = self._exchange(url, params, "invitation list")
        if response.status_code == 404:
            return None
        raw = self._json_or_raise(response, "invitation list")
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

    def _get_json(self, url: httpx.URL, params: Mapping[str, str] | None, what: str, *, not_found_ok: bool) -> Any:
        response = self._exchange(url, params, what)
        if response.status_code == 404 and not_found_ok:
            return None
        return self._json_or_raise(response, what)

    def _json_or_raise(self, response: httpx.Response, what: str) -> Any:
        if not 200 <= response.status_code < 300:
            error = error_for(response, what)
            logger.warning("%s (correlationId=%s)", error.message, error.correlation_id)
            raise error
        return json_body(response)

    def _exchange(self, url: httpx.URL, params: Mapping[str, str] | None, what: str) -> httpx.Response:
        """GET with retries on 5xx, 429, timeouts and connection errors; the final non-retryable answer.

        An interactive call ends within its budget, queueing for the rate limit included: when the
        limit (or a server's Retry-After) would make it wait longer, it raises RateLimited with the
        wait, so the asker hears when to try again instead of waiting silently. A bulk call
        (ratelimit.bulk_requests) may queue for its share of the limit up to the bulk budget.
        """
        start = self._clock()
        bulk = in_bulk()
        queued_before = self._gate.queued_seconds()
        self._gate.set_deadline(start + (self._bulk_budget if bulk else self._policy.budget_seconds))

        def spent() -> float:
            elapsed = self._clock() - start
            return elapsed - (self._gate.queued_seconds() - queued_before) if bulk else elapsed

        attempt = 0
        while True:
            attempt += 1
            retry_after: float | None = None
            cause: BaseException | None = None
            try:
                response = self._http.get(url, params=params, timeout=self._timeout(self._policy.budget_seconds
                                                                                  - spent()))
            except WouldExceedBudget as exc:
                busy = RateLimited(f"{what}: the invitations API's rate limit is used up for now")
                busy.retry_after = exc.retry_after
                logger.warning("%s (a slot frees in %s s)", busy.message,
                               "?" if exc.retry_after is None else f"{exc.retry_after:.0f}")
                raise busy from None
            except TokenUnavailable as exc:
                failure: ApiError = exc
                retry_after = exc.retry_after
            except httpx.TimeoutException as exc:
                failure, cause = ApiUnavailable(f"{what}: the invitations API did not answer in time"), exc
            except httpx.TransportError as exc:
                failure = ApiUnavailable(f"{what}: could not reach the invitations API ({type(exc).__name__})")
                cause = exc
            except httpx.HTTPError as exc:
                raise ApiUnavailable(f"{what}: HTTP failure ({type(exc).__name__})") from exc
            except httpx.InvalidURL as exc:
                # A value too long (or too odd) for a URL: nothing was sent, and retrying cannot help.
                raise BadRequest(f"{what}: the request could not be made ({exc})") from exc
            else:
                if response.status_code == 429:
                    failure = error_for(response, what)
                    retry_after = retry_after_seconds(response)
                    if retry_after is not None:
                        # Everyone holds back, not just this call: the server's window is shared.
                        self._gate.limiter.pause(self._policy.delay(attempt, retry_after))
                        if isinstance(failure, RateLimited):
                            failure.retry_after = retry_after
                elif response.status_code in RETRYABLE_STATUS:
                    failure = error_for(response, what)
                else:
                    return response
            delay = self._policy.delay(attempt, retry_after)
            if not self._policy.may_retry(attempt, spent(), delay):
                logger.warning("giving up after %d attempt(s) in %.1fs: %s (correlationId=%s)",
                               attempt, spent(), failure.message, failure.correlation_id)
                if cause is None:
                    raise failure
                raise failure from cause
            logger.warning("%s; retry %d in %.2fs", failure.message, attempt, delay)
            self._sleep(delay)
