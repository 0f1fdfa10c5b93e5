"""The one exception tree of the invitations API client.

Every low-level failure (httpx transport errors, bad JSON, HTTP error codes)
is translated into one of these at the client's boundary, so callers handle
API trouble without knowing about httpx.

    ApiError
    ├── InvalidId            an id that is not 24 lowercase hex; raised before any request
    ├── BadRequest           400
    ├── AuthenticationFailed 401 from the token endpoint (wrong key or secret) or a second 401
    ├── Forbidden            403
    ├── NotFound             404 where the method has no "not found" value (e.g. counts of an unknown account)
    ├── MalformedResponse    a 2xx answer whose body is not what the contract promises
    └── ApiUnavailable       timeouts, connection errors, 5xx, 429 once the time budget is spent
        └── RateLimited      the budget ran out while the server kept answering 429, or the rate
                             limit would have made the call wait past its budget
"""

from __future__ import annotations


class ApiError(Exception):
    """Base of every invitations API failure."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        correlation_id: str | None = None,
        error_code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        # Shown to the user so support can trace the call in the API's logs.
        self.correlation_id = correlation_id
        # The API's machine-readable errorCode, when its error body had one.
        self.error_code = error_code


class InvalidId(ApiError, ValueError):
    """An id that is not 24 lowercase hex characters; no request was sent."""


class BadRequest(ApiError):
    pass


class AuthenticationFailed(ApiError):
    pass


class Forbidden(ApiError):
    pass


class NotFound(ApiError):
    """404 from a call whose answer cannot be "nothing", such as the counts of an unknown business unit."""


class MalformedResponse(ApiError):
    pass


class ApiUnavailable(ApiError):
    pass


class RateLimited(ApiUnavailable):
    """429s beyond the time budget, or our own rate limiter would have made the call wait past it.

    `retry_after`: seconds until a request could go through, when known (shown to the asker).
    """

    retry_after: float | None = None
