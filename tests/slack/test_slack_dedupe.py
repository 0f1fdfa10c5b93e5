"""Event de-duplication: in process (expiring, bounded) and in a real Redis shared by instances."""

from __future__ import annotations

import threading
import uuid

import pytest
from scripted import ScriptedAssistant
from slackstub import BOT_USER, event_body, mention_event, post

from bot.platform.dedupe import MemorySeenStore, RedisSeenStore, seen_store


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_memory_store_says_first_time_once():
    store = MemorySeenStore()
    assert store.first_time("event:Ev1")
    assert not store.first_time("event:Ev1")
    assert store.first_time("event:Ev2")


def test_memory_store_forgets_keys_after_their_time_to_live():
    clock = Clock()
    store = MemorySeenStore(ttl=900, clock=clock)
    store.first_time("a")
    clock.now += 899
    assert not store.first_time("a")
    clock.now += 2
    assert len(store) == 0  # expired keys are dropped, not just ignored
    assert store.first_time("a")


def test_memory_store_stays_bounded():
    clock = Clock()
    store = MemorySeenStore(ttl=900, max_keys=100, clock=clock)
    for n in range(1000):
        clock.now += 0.001
        assert store.first_time(f"k{n}")
    assert len(store) == 100
    assert not store.first_time("k999")


def test_memory_store_is_safe_under_concurrency():
    store = MemorySeenStore()
    winners: list[int] = []
    barrier = threading.Barrier(16)

    def race(n: int) -> None:
        barrier.wait()
        if store.first_time("same"):
            winners.append(n)

    threads = [threading.Thread(target=race, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(winners) == 1


def test_no_redis_url_means_memory():
    assert isinstance(seen_store(None), MemorySeenStore)


@pytest.fixture
def redis_store(redis_url):
    store = seen_store(redis_url)
    assert isinstance(store, RedisSeenStore)
    yield store
    store.close()


def test_redis_store_shared_between_instances(redis_url):
    key = f"event:{uuid.uuid4()}"
    first, second = seen_store(redis_url), seen_store(redis_url)
    try:
        assert first.first_time(key)
        assert not second.first_time(key)
        assert not first.first_time(key)
    finally:
        first.close()
        second.close()


def test_redis_keys_expire_after_fifteen_minutes(redis_url, redis_store):
    import redis

    key = f"event:{uuid.uuid4()}"
    assert redis_store.first_time(key)
    client = redis.Redis.from_url(redis_url)
    ttl = client.ttl(f"invitation-bot:seen:{key}")
    client.close()
    assert 890 <= ttl <= 900


def test_redis_unreachable_answers_rather_than_loses_and_still_dedupes_locally():
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    # A port nobody listens on: connections are refused at once.
    store = RedisSeenStore(redis.Redis(host="127.0.0.1", port=1, retry=Retry(NoBackoff(), 0)))
    assert store.first_time("event:x")
    assert not store.first_time("event:x")


def test_two_app_instances_sharing_redis_answer_an_event_once(make_app, stub, redis_url):
    apps = [make_app(ScriptedAssistant(), seen=seen_store(redis_url)) for _ in range(2)]
    event_id = f"Ev-{uuid.uuid4()}"
    body = event_body(mention_event(f"<@{BOT_USER}> spf", ts="1700000200.000100"), event_id)
    for app in apps:
        assert post(app.events_url, body, "application/json", secret=app.secret).status == 200
    # Slack's retry reaches the second instance too.
    assert post(apps[1].events_url, body, "application/json", secret=apps[1].secret, retry_num=1).status == 200
    stub.wait_calls("chat.postMessage")
    assert all(app.bot.wait_idle() for app in apps)
    assert len(stub.calls_to("chat.postMessage")) == 1
