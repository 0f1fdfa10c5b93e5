"""Slack Web API and response_url clients with retries for rate limits (429), server errors (5xx) and
dropped connections."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.http_retry import (
    BackoffRetryIntervalCalculator,
    ConnectionErrorRetryHandler,
    HttpRequest,
    HttpResponse,
    RateLimitErrorRetryHandler,
    RetryHandler,
    RetryState,
)
from slack_sdk.http_retry.jitter import RandomJitter
from slack_sdk.webhook import WebhookClient

log = logging.getLogger(__name__)

# Seconds one Web API call may take; lookups sit on the answer's path.
TIMEOUT_SECONDS = 10


# Waits of about 0.5, 1 and 2 seconds (plus jitter) between attempts: a Slack hiccup rarely lasts
# longer, and an answer later than that is better posted late than lost.
RETRIES = 3
BACKOFF = BackoffRetryIntervalCalculator(backoff_factor=0.5, jitter=RandomJitter())


class ServerErrorRetry(RetryHandler):
    """Retries every 5xx (slack-sdk's own handler knows only 500 and 503; proxies send 502 and 504)."""

    def _can_retry(self, *, state: RetryState, request: HttpRequest, response: HttpResponse | None = None,
                   error: Exception | None = None) -> bool:
        return response is not None and 500 <= response.status_code <= 599


def retry_handlers() -> list[RetryHandler]:
    # slack-sdk retries only connection errors by default, once; Slack's 429s carry Retry-After, honoured here.
    return [ConnectionErrorRetryHandler(max_retry_count=RETRIES, interval_calculator=BACKOFF),
            ServerErrorRetry(max_retry_count=RETRIES, interval_calculator=BACKOFF),
            RateLimitErrorRetryHandler(max_retry_count=3)]


def make_web_client(token: str | None, api_url: str | None = None) -> WebClient:
    """`api_url` (SLACK_API_URL) points the client at a proxy or a test double instead of slack.com."""
    base_url = (api_url.rstrip("/") + "/") if api_url else WebClient.BASE_URL
    return WebClient(token=token, base_url=base_url, timeout=TIMEOUT_SECONDS, retry_handlers=retry_handlers())


def post_to_response_url(url: str, message: dict[str, object]) -> bool:
    """POST a message to an interaction's response_url; False (logged) when Slack refuses it."""
    client = WebhookClient(url=url, timeout=TIMEOUT_SECONDS, retry_handlers=retry_handlers())
    try:
        response = client.send_dict(message)
    except OSError as exc:
        log.warning("response_url post failed: %s", exc)
        return False
    if response.status_code != 200:
        log.warning("response_url post refused: %s %s", response.status_code, response.body[:200])
        return False
    return True
