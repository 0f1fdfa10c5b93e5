"""One person's bulk check does not starve everyone else: it gets a bounded share of the API's rate
limit, interactive lookups keep the rest, and an answer that cannot come within its budget says
"busy, try again in N minutes" instead of waiting silently. Retry-After is read as seconds
(fractions too) or an HTTP date, and never waited for past the budget."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from bot.core.access import AccessPolicy
from bot.core.assistant import Assistant
from bot.core.bulk import fetch_all
from bot.core.live import LiveDesk
from bot.core.models import Question
from bot.invitations.client import InvitationsClient
from bot.invitations.errors import RateLimited
from bot.invitations.models import Invitation
from bot.invitations.responses import retry_after_seconds
from bot.invitations.sandbox import start_sandbox
from bot.matching.matcher import Matcher

NORDIC = "64a0c1d2e3f4a5b6c7d8e9f0"
DEMO_INVITATION = "01188f639aae8f1da0f15423"
WINDOW = 20  # requests per 5 minutes in these tests; bulk checks may use half


@pytest.fixture(scope="module")
def sandbox():
    running = start_sandbox()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def demo_ids(sandbox) -> tuple[str, ...]:
    with InvitationsClient(sandbox.url, sandbox.api_key, sandbox.api_secret) as client:
        return tuple(invitation.id for _, invitation in zip(range(30), client.iter_invitations(NORDIC),
                                                            strict=False))


def tight_client(sandbox, **options) -> InvitationsClient:
    settings = {"rate_per_5min": WINDOW, "budget_seconds": 5.0, "bulk_budget_seconds": 2.0, **options}
    return InvitationsClient(sandbox.url, sandbox.api_key, sandbox.api_secret, **settings)


def test_a_bulk_check_uses_only_its_share_and_a_single_lookup_still_goes_through(sandbox, demo_ids):
    with tight_client(sandbox) as client:
        outcomes = fetch_all(demo_ids, client.get_invitation)
        found = [o for o in outcomes.values() if isinstance(o, Invitation)]
        busy = [o for o in outcomes.values() if isinstance(o, RateLimited)]
        # The token request and the lookups of the bulk check share its half of the window.
        assert client.requests_sent <= WINDOW // 2
        assert found and len(found) < len(demo_ids)
        assert busy and all(o.retry_after is not None and o.retry_after > 60 for o in busy)
        # The next person's lookup is answered at once from the half kept for interactive work.
        invitation = client.get_invitation(DEMO_INVITATION)
        assert invitation is not None and invitation.id == DEMO_INVITATION


def test_the_bulk_estimate_follows_the_rate_limit(sandbox):
    with tight_client(sandbox) as client:
        # 10 requests fit the bulk share of the window now; every further 10 take a window (5 min).
        assert client.estimate_bulk_seconds(10) < 60
        assert client.estimate_bulk_seconds(30) == pytest.approx(600, rel=0.05)


def test_a_lookup_that_cannot_be_answered_in_its_budget_says_when_to_try_again(sandbox, kb, demo_ids):
    with tight_client(sandbox) as client:
        assistant = Assistant(kb, Matcher(kb), LiveDesk(client, kb, AccessPolicy()))
        for invitation_id in demo_ids[:WINDOW]:  # the whole window, interactively
            try:
                client.get_invitation(invitation_id)
            except RateLimited:
                break
        reply = assistant.answer(Question(text=f"status {DEMO_INVITATION}", language="en"))
        sv = assistant.answer(Question(text=f"status {DEMO_INVITATION}", language="sv"))
    notices = " ".join(reply.notices)
    assert "busy right now; try again in 5 minutes" in notices or "try again in 4 minutes" in notices
    assert "upptagen just nu; försök igen om" in " ".join(sv.notices)
    assert reply.data["error"] == "api_unavailable"


# -- Retry-After -------------------------------------------------------------------------------


def response(retry_after: str) -> httpx.Response:
    return httpx.Response(429, headers={"Retry-After": retry_after})


def test_retry_after_is_read_as_seconds_fractions_or_an_http_date():
    now = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    assert retry_after_seconds(response("120")) == 120
    assert retry_after_seconds(response(" 1.5 ")) == 1.5
    assert retry_after_seconds(response(format_datetime(now + timedelta(seconds=90), usegmt=True)), now=now) == 90
    assert retry_after_seconds(response(format_datetime(now - timedelta(seconds=5), usegmt=True)), now=now) == 0
    assert retry_after_seconds(response("-3")) == 0
    assert retry_after_seconds(response("soon")) is None
    assert retry_after_seconds(response("nan")) is None


class Recorder:
    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def mock_api(*statuses_and_retry_after: tuple[int, str | None]):
    answers = list(statuses_and_retry_after)

    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/oauth/token") or "token" in request.url.path:
            return httpx.Response(200, json={"access_token": "t", "token_type": "Bearer", "expires_in": 3600})
        status, retry_after = answers.pop(0)
        headers = {"Retry-After": retry_after} if retry_after is not None else {}
        if status == 200:
            return httpx.Response(200, json={"id": DEMO_INVITATION, "businessUnitId": NORDIC, "status": "delivered"})
        return httpx.Response(status, headers=headers, json={"message": "slow down"})

    return handle


def client_with(api, clock: Recorder, **options) -> InvitationsClient:
    return InvitationsClient("http://api.test", "k", "s", transport=httpx.MockTransport(api), clock=clock,
                             sleep=clock.sleep, **options)


def test_a_fractional_retry_after_is_waited_and_the_lookup_succeeds():
    clock = Recorder()
    with client_with(mock_api((429, "0.75"), (200, None)), clock, budget_seconds=10) as client:
        assert client.get_invitation(DEMO_INVITATION) is not None
    assert clock.sleeps == [0.75]


def test_a_retry_after_beyond_the_budget_is_not_waited_and_is_passed_on():
    clock = Recorder()
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=150), usegmt=True)
    with client_with(mock_api((429, when)), clock, budget_seconds=10) as client, \
            pytest.raises(RateLimited) as caught:
        client.get_invitation(DEMO_INVITATION)
    assert clock.sleeps == []
    assert caught.value.retry_after == pytest.approx(150, abs=3)
