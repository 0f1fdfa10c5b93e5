"""The HTTP side of the invitations API: one httpx client behind the rate limiter and the token, every GET
retried within a time budget and its errors translated at the boundary (bot.invitations.errors)."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

import httpx

from bot.invitations.auth import TOKEN_PATH, ClientCredentialsAuth, TokenUnavailable
from bot.invitations.errors import ApiError, ApiUnavailable, BadRequest, RateLimited
from bot.invitations.ratelimit import Clock, Sleep, SlidingWindowLimiter, WouldExceedBudget, in_bulk
from bot.invitations.responses import RETRYABLE_STATUS, error_for, json_body, retry_after_seconds
from bot.invitations.retry import RetryPolicy
from bot.invitations.transport import GuardedTransport

logger = logging.getLogger(__name__)

# Waking a hair after a window edge keeps us under a server that stamps requests on arrival.
_LIMITER_MARGIN = 0.05
# How long one request of a bulk check may wait for its share of the rate limit: a bulk check is
# expected to take minutes, and its asker was told how long.
BULK_BUDGET_SECONDS = 900.0


class ApiConnection:
    """What InvitationsClient sends its GETs through; thread-safe."""

    def __init__(
        self,
        base_url: str,
        api_key: str,
        api_secret: str,
        *,
        budget_seconds: float,
        rate_per_5min: int,
        rate_per_hour: int,
        rate_per_second: float | None,
        max_concurrency: int,
        connect_timeout: float,
        read_timeout: float,
        max_attempts: int,
        retry_after_cap: float,
        bulk_budget_seconds: float,
        transport: httpx.BaseTransport | None,
        clock: Clock = time.monotonic,
        sleep: Sleep = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        if not api_key or not api_secret:
            raise ValueError("the invitations API needs an API key and secret")
        self.base = httpx.URL(base_url.rstrip("/") + "/")
        if self.base.scheme not in ("http", "https") or not self.base.host:
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
        self.gate = GuardedTransport(inner, limiter, max_concurrency, clock=clock)
        self.auth = ClientCredentialsAuth(
            api_key, api_secret, token_url=self.url(TOKEN_PATH), send=self._send_token_request, clock=clock,
        )
        self._http = httpx.Client(
            transport=self.gate,
            auth=self.auth,
            headers={"Accept": "application/json", "User-Agent": "invitation-bot"},
            timeout=self._timeout(budget_seconds),
            follow_redirects=False,
        )

    def close(self) -> None:
        self._http.close()

    def url(self, *segments: str) -> httpx.URL:
        """An absolute URL under the base URL; each path segment percent-encoded, "/" included."""
        if len(segments) == 1 and segments[0].startswith("/"):
            return self.base.join(segments[0].lstrip("/"))
        return self.base.join("/".join(quote(segment, safe="") for segment in segments))

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

    def get_json(self, url: httpx.URL, params: Mapping[str, str] | None, what: str, *, not_found_ok: bool) -> Any:
        response = self.get(url, params, what)
        if response.status_code == 404 and not_found_ok:
            return None
        return self.json_or_raise(response, what)

    def json_or_raise(self, response: httpx.Response, what: str) -> Any:
        if not 200 <= response.status_code < 300:
            error = error_for(response, what)
            logger.warning("%s (correlationId=%s)", error.message, error.correlation_id)
            raise error
        return json_body(response)

    def get(self, url: httpx.URL, params: Mapping[str, str] | None, what: str) -> httpx.Response:
        """GET with retries on 5xx, 429, timeouts and connection errors; the final non-retryable answer.

        An interactive call ends within its budget, queueing for the rate limit included: when the
        limit (or a server's Retry-After) would make it wait longer, it raises RateLimited with the
        wait, so the asker hears when to try again instead of waiting silently. A bulk call
        (ratelimit.bulk_requests) may queue for its share of the limit up to the bulk budget.
        """
        start = self._clock()
        bulk = in_bulk()
        queued_before = self.gate.queued_seconds()
        self.gate.set_deadline(start + (self._bulk_budget if bulk else self._policy.budget_seconds))

        def spent() -> float:
            elapsed = self._clock() - start
            return elapsed - (self.gate.queued_seconds() - queued_before) if bulk else elapsed

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
                        self.gate.limiter.pause(self._policy.delay(attempt, retry_after))
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
