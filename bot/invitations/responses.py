"""Reading the API's answers: JSON bodies, error bodies, Retry-After, and HTTP codes turned into ApiErrors."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from bot.invitations.errors import (
    ApiError,
    ApiUnavailable,
    AuthenticationFailed,
    BadRequest,
    Forbidden,
    MalformedResponse,
    NotFound,
    RateLimited,
)

RETRYABLE_STATUS = frozenset({500, 502, 503, 504})


@dataclass(frozen=True)
class ErrorBody:
    message: str | None = None
    error_code: str | None = None
    correlation_id: str | None = None


def error_body(response: httpx.Response) -> ErrorBody:
    """The contract's error body, or an empty one when the body is empty, not JSON or oddly shaped."""
    try:
        raw = response.json()
    except ValueError:  # JSONDecodeError and UnicodeDecodeError alike: proxies send HTML on 5xx
        return ErrorBody()
    if not isinstance(raw, Mapping):
        return ErrorBody()

    def text(key: str) -> str | None:
        value = raw.get(key)
        return value if isinstance(value, str) and value else None

    return ErrorBody(text("message"), text("errorCode"), text("correlationId"))


def json_body(response: httpx.Response) -> Any:
    """The parsed JSON of a 2xx answer; MalformedResponse when it is not JSON."""
    try:
        return response.json()
    except ValueError as exc:
        raise MalformedResponse(
            f"the invitations API answered {response.status_code} with a body that is not JSON",
            status_code=response.status_code,
        ) from exc


def retry_after_seconds(response: httpx.Response, *, now: datetime | None = None) -> float | None:
    """Retry-After as seconds (delta-seconds or an HTTP date); None when absent or unreadable."""
    value = response.headers.get("retry-after")
    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    if math.isnan(seconds) or math.isinf(seconds):
        return None
    return max(0.0, seconds)


def error_for(response: httpx.Response, what: str) -> ApiError:
    """The ApiError for a non-2xx answer to `what` (a short English description of the call)."""
    status = response.status_code
    body = error_body(response)
    detail = f": {body.message}" if body.message else ""
    message = f"{what}: the invitations API answered {status}{detail}"
    kinds: dict[int, type[ApiError]] = {
        400: BadRequest,
        401: AuthenticationFailed,
        403: Forbidden,
        404: NotFound,
        429: RateLimited,
    }
    kind = kinds.get(status) or (ApiUnavailable if status >= 500 else ApiError)
    return kind(message, status_code=status, correlation_id=body.correlation_id, error_code=body.error_code)
