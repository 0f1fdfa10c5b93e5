"""The client against the real sandbox server over loopback HTTP: every endpoint, paging, auth, 404, 429."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest
from api_doubles import DEMO_NOW, FakeClock

from bot.invitations.client import InvitationsClient
from bot.invitations.errors import ApiUnavailable, AuthenticationFailed, Forbidden, NotFound, RateLimited
from bot.invitations.sandbox import (
    BRIGHT_LAMPS_ID,
    MEGAMART_ID,
    MERCHANT_API_KEY,
    MERCHANT_API_SECRET,
    NORDIC_SHOES_ID,
    RunningSandbox,
    SandboxOptions,
    start_sandbox,
)
from bot.invitations.sandbox.statuses import STATUS_CODES

FROM = DEMO_NOW - timedelta(days=30)


@pytest.fixture
def client(sandbox: RunningSandbox) -> Iterator[InvitationsClient]:
    with InvitationsClient(sandbox.url, sandbox.api_key, sandbox.api_secret) as api:
        yield api


def test_find_business_unit(client: InvitationsClient) -> None:
    unit = client.find_business_unit("nordic-shoes.example")
    assert unit is not None and unit.id == NORDIC_SHOES_ID and unit.display_name == "Nordic Shoes"
    assert client.find_business_unit("no-such-shop.example") is None


def test_demo_invitation_by_reference_email_and_id(client: InvitationsClient) -> None:
    (by_reference,) = client.find_invitations(NORDIC_SHOES_ID, reference_number="ORDER-10023")
    assert by_reference.status == "spf_failure" and by_reference.recipient_email == "anna@example.se"
    assert by_reference.status_detail and "SPF" in by_reference.status_detail
    by_email = client.find_invitations(NORDIC_SHOES_ID, email="Anna@Example.se")
    assert [inv.reference_number for inv in by_email] == ["ORDER-10023", "ORDER-11450"]
    assert by_email[0].created_at > by_email[1].created_at
    support = client.get_invitation(by_reference.id)
    scoped = client.get_invitation(by_reference.id, NORDIC_SHOES_ID)
    assert support == scoped == by_reference


def test_invitation_of_another_unit_is_not_found(client: InvitationsClient) -> None:
    (anna,) = client.find_invitations(NORDIC_SHOES_ID, reference_number="ORDER-10023")
    assert client.get_invitation(anna.id, MEGAMART_ID) is None
    assert client.get_invitation("0" * 24) is None
    assert client.get_invitation("0" * 24, NORDIC_SHOES_ID) is None
    assert client.find_invitations(NORDIC_SHOES_ID, reference_number="ORDER-99999999") == []


def test_unknown_status_code_reaches_the_caller(client: InvitationsClient) -> None:
    (maria,) = client.find_invitations(NORDIC_SHOES_ID, email="maria.berg@example.se")
    assert maria.status not in STATUS_CODES and maria.status == "delivery_deferred"


def test_paging_through_a_status_matches_the_counts(client: InvitationsClient) -> None:
    stats = client.status_stats(NORDIC_SHOES_ID, FROM, DEMO_NOW)
    spf = list(client.iter_invitations(NORDIC_SHOES_ID, status="spf_failure", created_from=FROM,
                                       created_to=DEMO_NOW, per_page=25))
    assert len(spf) == stats.by_status["spf_failure"] > 25
    assert {inv.status for inv in spf} == {"spf_failure"}
    assert len({inv.id for inv in spf}) == len(spf)
    created = [inv.created_at for inv in spf]
    assert created == sorted(created, reverse=True)
    assert all(FROM <= c < DEMO_NOW for c in created if c)


def test_stats_of_a_small_account_agree_with_its_rows(client: InvitationsClient) -> None:
    start, end = DEMO_NOW - timedelta(days=10, hours=5), DEMO_NOW - timedelta(days=3, hours=2)
    stats = client.status_stats(BRIGHT_LAMPS_ID, start, end)
    rows = Counter(inv.status for inv in client.iter_invitations(BRIGHT_LAMPS_ID, created_from=start,
                                                                 created_to=end))
    assert stats.total == sum(rows.values()) > 0
    assert dict(stats.by_status) == dict(rows)


def test_large_account_summary_calls(client: InvitationsClient) -> None:
    everything = client.status_stats(MEGAMART_ID, DEMO_NOW - timedelta(days=400), DEMO_NOW + timedelta(days=1))
    assert everything.total == 250_000
    assert set(STATUS_CODES) <= set(everything.by_status)
    month = client.status_stats(MEGAMART_ID, FROM, DEMO_NOW)
    assert 50_000 < month.total < 150_000
    failing = ["spf_failure", "invalid_recipient", "kickstart_expired"]
    sample = client.sample_invitations(MEGAMART_ID, failing, FROM, DEMO_NOW, limit=3)
    assert len(sample) == 3 and all(inv.status in failing for inv in sample)
    assert client.requests_sent == 4  # token + three calls: nothing paged


def test_counts_of_an_unknown_unit(client: InvitationsClient) -> None:
    with pytest.raises(NotFound) as caught:
        client.status_stats("f" * 24, FROM, DEMO_NOW)
    assert caught.value.correlation_id


def test_wrong_secret_fails_authentication(sandbox: RunningSandbox) -> None:
    with InvitationsClient(sandbox.url, sandbox.api_key, "wrong") as client:
        with pytest.raises(AuthenticationFailed) as caught:
            client.get_invitation("0" * 24)
        assert caught.value.correlation_id and client.requests_sent == 1
        # The public endpoint needs no token, only the apikey.
        assert client.find_business_unit("nordic-shoes.example") is not None


def test_merchant_credentials_are_limited(sandbox: RunningSandbox) -> None:
    with InvitationsClient(sandbox.url, MERCHANT_API_KEY, MERCHANT_API_SECRET) as client:
        assert client.find_invitations(NORDIC_SHOES_ID, reference_number="ORDER-10023")
        with pytest.raises(Forbidden):
            client.get_invitation("0" * 24)
        with pytest.raises(Forbidden):
            client.status_stats(MEGAMART_ID, FROM, DEMO_NOW)


def test_expired_token_is_refreshed_once(sandbox: RunningSandbox, client: InvitationsClient) -> None:
    assert client.find_invitations(NORDIC_SHOES_ID, reference_number="ORDER-10023")
    sandbox.api.tokens.revoke_all()
    assert client.find_invitations(NORDIC_SHOES_ID, reference_number="ORDER-10023")
    assert client.token_fetches == 2


def test_sandbox_answers_429_with_retry_after_past_its_rate_limit() -> None:
    with start_sandbox(options=SandboxOptions(rate_limit_per_second=1, now=DEMO_NOW)) as limited:
        with httpx.Client(base_url=limited.url, headers={"apikey": limited.api_key}) as raw:
            first = raw.get("/v1/business-units/find", params={"name": "nordic-shoes.example"})
            second = raw.get("/v1/business-units/find", params={"name": "nordic-shoes.example"})
        assert first.status_code == 200
        assert second.status_code == 429 and int(second.headers["retry-after"]) >= 1
        assert second.json()["correlationId"]
        assert limited.api.faults.rate_limited == 1


def test_client_honours_the_sandbox_429_until_the_budget_is_spent(clock: FakeClock) -> None:
    with start_sandbox(options=SandboxOptions(rate_limit_per_second=1, now=DEMO_NOW)) as limited:
        with InvitationsClient(limited.url, limited.api_key, limited.api_secret, budget_seconds=5,
                               clock=clock, sleep=clock.sleep) as client, pytest.raises(RateLimited):
            client.get_invitation("0" * 24)
        # The fake sleep does not wait, so the server keeps refusing: every pause is the server's Retry-After.
        assert clock.sleeps and all(s == 1.0 for s in clock.sleeps)
        assert limited.api.faults.rate_limited == len(clock.sleeps) + 1


def test_client_rides_out_flaky_5xx_answers(clock: FakeClock) -> None:
    with start_sandbox(options=SandboxOptions(fail_every=2, now=DEMO_NOW)) as flaky:
        with InvitationsClient(flaky.url, flaky.api_key, flaky.api_secret, clock=clock, sleep=clock.sleep) as client:
            for _ in range(5):
                assert client.find_invitations(NORDIC_SHOES_ID, reference_number="ORDER-10023")
            statuses = client.responses_by_status
        assert flaky.api.faults.failed >= 5
        assert sum(n for code, n in statuses.items() if code >= 500) == flaky.api.faults.failed


def test_always_failing_sandbox_ends_in_api_unavailable(clock: FakeClock) -> None:
    with start_sandbox(options=SandboxOptions(fail_every=1, now=DEMO_NOW)) as broken:
        with InvitationsClient(broken.url, broken.api_key, broken.api_secret, clock=clock, sleep=clock.sleep,
                               max_attempts=4) as client, pytest.raises(ApiUnavailable) as caught:
            client.find_business_unit("nordic-shoes.example")
        # 500 (JSON), 502 (HTML), 503 (JSON), 504 (empty): each body handled.
        assert caught.value.status_code == 504 and broken.api.faults.failed == 4
