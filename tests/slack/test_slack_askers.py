"""Who asks and where: workspace, locale and shared-channel lookups, their caches and their failures."""

from __future__ import annotations

import threading

import pytest
from slackstub import HOME_TEAM

from bot.core.access import AccessPolicy
from bot.platform.cache import TtlCache
from bot.slack.askers import AskerResolver, Where
from bot.slack.directory import SlackDirectory
from bot.slack.webclient import make_web_client
from bot.work.executor import TrackedExecutor


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def resolver(stub, clock):
    client = make_web_client("xoxb-test", stub.api_url)
    return AskerResolver(SlackDirectory(client, ttl=600, clock=clock),
                         AccessPolicy(internal_teams=frozenset({"T0SISTER"})), "sv")


@pytest.mark.parametrize(("locale", "expected"), [("sv-SE", "sv"), ("en-GB", "en"), ("en-US", "en"),
                                                  ("de-DE", "sv"), (None, "sv")])
def test_fallback_language_from_the_users_locale(stub, resolver, locale, expected):
    stub.users["U1"] = {"id": "U1", "team_id": HOME_TEAM, **({"locale": locale} if locale else {})}
    _asker, language = resolver.resolve(Where("U1", HOME_TEAM, "C1"))
    assert language == expected
    assert stub.calls_to("users.info")[0].args["include_locale"] in ("true", "1", True)


def test_internal_and_external_teams(resolver):
    assert resolver.is_internal(HOME_TEAM)
    assert resolver.is_internal("T0SISTER")
    assert not resolver.is_internal("T0MERCHANT")
    assert not resolver.is_internal(None)


def test_direct_message_and_shared_channel(stub, resolver):
    stub.channels["C0SHARED"] = {"id": "C0SHARED", "is_ext_shared": True}
    stub.channels["C0PENDING"] = {"id": "C0PENDING", "is_pending_ext_shared": True}
    stub.users["U1"] = {"id": "U1", "team_id": HOME_TEAM}
    assert resolver.resolve(Where("U1", HOME_TEAM, "D0X"))[0].is_direct_message
    assert resolver.resolve(Where("U1", HOME_TEAM, "C0SHARED"))[0].shared_channel
    assert resolver.resolve(Where("U1", HOME_TEAM, "C0PENDING"))[0].shared_channel
    plain = resolver.resolve(Where("U1", HOME_TEAM, "C0PLAIN"))[0]
    assert not plain.shared_channel and not plain.is_direct_message and plain.internal


def test_lookups_are_cached_until_their_time_to_live(stub, resolver, clock):
    for _ in range(3):
        resolver.resolve(Where("U1", HOME_TEAM, "C1"))
    assert len(stub.calls_to("conversations.info")) == 1
    assert len(stub.calls_to("auth.test")) == 1
    clock.now += 601
    resolver.resolve(Where("U1", HOME_TEAM, "C1"))
    assert len(stub.calls_to("conversations.info")) == 2


def test_a_failed_lookup_is_conservative_and_retried_soon(stub, resolver, clock):
    stub.errors["conversations.info"] = "ratelimited"
    asker, _ = resolver.resolve(Where("U1", HOME_TEAM, "C1"))
    assert asker.shared_channel
    del stub.errors["conversations.info"]
    clock.now += 10
    assert resolver.resolve(Where("U1", HOME_TEAM, "C1"))[0].shared_channel  # still the cached failure
    clock.now += 30
    assert not resolver.resolve(Where("U1", HOME_TEAM, "C1"))[0].shared_channel


def test_unreachable_slack_counts_as_external_and_shared():
    client = make_web_client("xoxb-test", "http://127.0.0.1:1/api/")
    client.retry_handlers.clear()
    resolver = AskerResolver(SlackDirectory(client), AccessPolicy(), "en")
    asker, language = resolver.resolve(Where("U1", HOME_TEAM, "C1"))
    assert not asker.internal and asker.shared_channel
    assert language == "en"


def test_cache_loads_a_missing_key_once_for_concurrent_callers():
    cache: TtlCache[str] = TtlCache(ttl=60)
    loads: list[int] = []
    gate = threading.Event()

    def load():
        loads.append(1)
        gate.wait(5)
        return "value", None

    results: list[str] = []
    threads = [threading.Thread(target=lambda: results.append(cache.get_or_load("k", load))) for _ in range(8)]
    for thread in threads:
        thread.start()
    gate.set()
    for thread in threads:
        thread.join()
    assert results == ["value"] * 8
    assert len(loads) == 1


def test_cache_is_bounded():
    cache: TtlCache[int] = TtlCache(ttl=60, max_entries=3)
    for n in range(10):
        cache.put(str(n), n)
    assert len(cache) == 3
    assert cache.get("9") == 9 and cache.get("0") is None


def test_tracked_executor_waits_for_pending_work():
    pool = TrackedExecutor(max_workers=2)
    gate = threading.Event()
    for _ in range(4):
        pool.submit(gate.wait, 5)
    assert pool.pending == 4
    assert not pool.wait_idle(timeout=0)
    gate.set()
    assert pool.wait_idle(timeout=5)
    assert pool.pending == 0
    pool.shutdown()


def test_web_client_retries_rate_limits_and_uses_the_given_base_url():
    from slack_sdk.http_retry import RateLimitErrorRetryHandler

    client = make_web_client("xoxb-test", "http://127.0.0.1:9/api")
    assert client.base_url == "http://127.0.0.1:9/api/"
    assert any(isinstance(handler, RateLimitErrorRetryHandler) for handler in client.retry_handlers)
    assert make_web_client("xoxb-test").base_url == "https://slack.com/api/"
