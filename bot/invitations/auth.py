"""OAuth2 client credentials as an httpx.Auth flow: the apikey header, a cached Bearer token, one refresh on 401."""

from __future__ import annotations

import base64
import logging
import threading
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any

import httpx

from bot.invitations.errors import ApiUnavailable, AuthenticationFailed, MalformedResponse
from bot.invitations.ratelimit import Clock
from bot.invitations.responses import RETRYABLE_STATUS, error_body, json_body, retry_after_seconds

logger = logging.getLogger(__name__)

TOKEN_PATH = "/v1/oauth/oauth-business-users-for-applications/accesstoken"
PRIVATE_PREFIX = "/v1/private/"


class TokenUnavailable(ApiUnavailable):
    """The token endpoint is in trouble (5xx or 429); the request that needed the token may be retried."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


@dataclass(frozen=True)
class AccessToken:
    value: str
    # On the client's monotonic clock, already shortened by the refresh margin.
    refresh_at: float


def parse_token(response: httpx.Response, now: float) -> AccessToken:
    """The token of a 200 answer; `expires_in` may be a number or a string of digits."""
    raw = json_body(response)
    if not isinstance(raw, dict):
        raise MalformedResponse("the token answer is not a JSON object", status_code=response.status_code)
    value, expires_in = raw.get("access_token"), raw.get("expires_in")
    if not isinstance(value, str) or not value:
        raise MalformedResponse("the token answer lacks access_token", status_code=response.status_code)
    try:
        lifetime = float(expires_in) if isinstance(expires_in, int | float | str) else None
    except ValueError:
        lifetime = None
    if lifetime is None or lifetime <= 0 or lifetime != lifetime:
        raise MalformedResponse("the token answer lacks a valid expires_in", status_code=response.status_code)
    # Renew a little early so a token never expires in flight; short-lived tokens keep most of their life.
    margin = min(60.0, lifetime / 10)
    return AccessToken(value=value, refresh_at=now + lifetime - margin)


class ClientCredentialsAuth(httpx.Auth):
    """Adds `apikey` to every request and a Bearer token to every private one.

    The token is fetched through `send` (the client's own guarded path, so the
    fetch counts against the rate limit), cached until shortly before it
    expires, and fetched once for all threads that need it at the same time.
    """

    def __init__(
        self,
        api_key: str,
        api_secret: str,
        *,
        token_url: httpx.URL | str,
        send: Callable[[httpx.Request], httpx.Response],
        clock: Clock = time.monotonic,
    ) -> None:
        self._api_key = api_key
        self._basic = "Basic " + base64.b64encode(f"{api_key}:{api_secret}".encode()).decode("ascii")
        self._token_url = httpx.URL(token_url)
        self._send = send
        self._clock = clock
        self._lock = threading.Lock()
        self._token: AccessToken | None = None
        self.fetch_count = 0

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["apikey"] = self._api_key
        if PRIVATE_PREFIX not in request.url.path:
            yield request
            return
        token = self.token()
        request.headers["Authorization"] = f"Bearer {token.value}"
        response = yield request
        if response.status_code == 401:
            logger.info("invitations API refused the access token for %s; fetching a new one", request.url.path)
            token = self.token(stale=token)
            request.headers["Authorization"] = f"Bearer {token.value}"
            yield request

    def token(self, *, stale: AccessToken | None = None) -> AccessToken:
        """The cached token, or a fresh one when there is none, it is due, or it is `stale` (refused)."""
        with self._lock:
            current = self._token
            # Another thread may already have replaced the refused token: use that one.
            if current is not None and current is not stale and self._clock() < current.refresh_at:
                return current
            self._token = None
            fresh = self._fetch()
            self._token = fresh
            return fresh

    def _fetch(self) -> AccessToken:
        request = httpx.Request(
            "POST",
            self._token_url,
            data={"grant_type": "client_credentials"},
            headers={"apikey": self._api_key, "Authorization": self._basic, "Accept": "application/json"},
        )
        self.fetch_count += 1
        response = self._send(request)
        status = response.status_code
        if status == 200:
            return parse_token(response, self._clock())
        body = error_body(response)
        if status in (400, 401, 403):
            logger.error("invitations API refused the key or secret (%s, correlationId=%s)",
                         status, body.correlation_id)
            raise AuthenticationFailed(
                f"the invitations API refused the API key or secret ({status})",
                status_code=status, correlation_id=body.correlation_id, error_code=body.error_code,
            )
        if status == 429 or status in RETRYABLE_STATUS:
            raise TokenUnavailable(
                f"the token endpoint answered {status}",
                retry_after=retry_after_seconds(response) if status == 429 else None,
                status_code=status, correlation_id=body.correlation_id, error_code=body.error_code,
            )
        raise ApiUnavailable(
            f"the token endpoint answered {status}",
            status_code=status, correlation_id=body.correlation_id, error_code=body.error_code,
        )
