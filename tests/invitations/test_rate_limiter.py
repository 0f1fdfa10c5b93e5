"""The sliding-window limiter, alone and inside the client (every request counts, token fetches and retries too)."""

from __future__ import annotations

import threading

import pytest
from api_doubles import INV, TOKEN_PATH, FakeClock, ScriptedApi, invitation_json, json_response, make_client

from bot.invitations.errors import RateLimited
from bot.invitations.ratelimit import SlidingWindowLimiter, per_second_window


def test_each_window_is_respected(clock: FakeClock) -> None:
    limiter = SlidingWindowLimiter([(3, 1.0), (5, 10.0)], clock=clock, sleep=clock.sleep)
    admitted = []
    for _ in range(7):
        limiter.acquire()
        admitted.append(clock())
    start = admitted[0]
    # Three at once, then the 1-second window lets two more in at +1 s, then the 10-second window holds.
    assert [t - start for t in admitted] == [0, 0, 0, 1.0, 1.0, 10.0, 10.0]


def test_try_acquire_reports_the_wait_without_admitting(clock: FakeClock) -> None:
    limiter = SlidingWindowLimiter([(2, 5.0)], clock=clock, sleep=clock.sleep)
    assert limiter.try_acquire() == 0.0
    clock.advance(1.0)
    assert limiter.try_acquire() == 0.0
    assert limiter.try_acquire() == pytest.approx(4.0)
    clock.advance(4.0)
    assert limiter.try_acquire() == 0.0
    assert limiter.try_acquire() == pytest.approx(1.0)


def test_acquire_returns_the_time_waited_and_adds_the_margin(clock: FakeClock) -> None:
    limiter = SlidingWindowLimiter([(1, 2.0)], clock=clock, sleep=clock.sleep, margin=0.05)
    assert limiter.acquire() == 0.0
    assert limiter.acquire() == pytest.approx(2.05)
    assert clock.sleeps == [pytest.approx(2.05)]


def test_api_defaults_are_the_published_windows(clock: FakeClock) -> None:
    limiter = SlidingWindowLimiter.for_api(clock=clock, sleep=clock.sleep)
    for _ in range(833):
        assert limiter.try_acquire() == 0.0
    assert limiter.try_acquire() == pytest.approx(300.0)


def test_threads_never_exceed_the_limit(clock: FakeClock) -> None:
    limiter = SlidingWindowLimiter([(10, 60.0)], clock=clock, sleep=clock.sleep)
    admitted = []

    def grab() -> None:
        for _ in range(20):
            if limiter.try_acquire() == 0.0:
                admitted.append(1)

    threads = [threading.Thread(target=grab) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(admitted) == 10


@pytest.mark.parametrize(("rate", "window"), [(5, (5, 1.0)), (2.5, (2, 0.8)), (0.5, (1, 2.0))])
def test_per_second_windows(rate: float, window: tuple[int, float]) -> None:
    assert per_second_window(rate) == window


def test_client_counts_token_fetches_and_retries_against_its_limit(clock: FakeClock) -> None:
    api = ScriptedApi(json_response(503, {}), *[json_response(200, invitation_json()) for _ in range(4)], clock=clock)
    with make_client(api, clock, rate_per_second=2, budget_seconds=30) as client:
        for _ in range(4):
            client.get_invitation(INV)
        assert client.requests_sent == 6
    # token, 503, retry, then three more lookups: six requests, never more than two in any second.
    assert [r.url.path == TOKEN_PATH for r in api.requests].count(True) == 1
    times = api.times
    assert len(times) == 6
    for i, t in enumerate(times):
        assert sum(1 for u in times[i:] if u < t + 1.0) <= 2
    assert times[-1] - times[0] >= 2.0


def test_client_limiter_wait_within_the_budget_is_waited(clock: FakeClock) -> None:
    # A 1-request-per-10-s limit and a 15-s budget: each lookup waits ~10 s for its slot and succeeds.
    api = ScriptedApi(*[json_response(200, invitation_json()) for _ in range(3)], clock=clock)
    with make_client(api, clock, rate_per_second=0.1, budget_seconds=15) as client:
        for _ in range(3):
            assert client.get_invitation(INV) is not None
    assert api.times[-1] - api.times[0] >= 20.0


def test_client_limiter_wait_beyond_the_budget_says_when_to_retry(clock: FakeClock) -> None:
    # A 5-s budget and a 10-s wait for the next slot (the token request took the first): the lookup
    # does not wait silently past its budget.
    api = ScriptedApi(*[json_response(200, invitation_json()) for _ in range(2)], clock=clock)
    with make_client(api, clock, rate_per_second=0.1, budget_seconds=5) as client, \
            pytest.raises(RateLimited) as caught:
        client.get_invitation(INV)
    assert caught.value.retry_after == pytest.approx(10.0, abs=0.5)
    assert clock.sleeps == []
