"""Slack Web API and response_url clients with retries for rate limits (429) and dropped connections."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.http_retry import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler, RetryHandler
from slack_sdk.webhook import WebhookClient

log = logging.getLogger(__name__)

# Seconds one Web API call may take; lookups sit on the answer's path.
TIMEOUT_SECONDS = 10


def retry_handlers() -> list[RetryHandler]:
    # slack-sdk retries only connection errors by default; Slack's 429s carry Retry-After, honoured here.
    return [ConnectionErrorRetryHandler(max_retry_count=2), RateLimitErrorRetryHandler(max_retry_count=3)]


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
