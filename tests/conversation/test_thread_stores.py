"""Thread context in process and in Redis: any instance continues any thread; contexts expire after a day."""

from __future__ import annotations

import uuid

import redis

from bot.conversation.threads import MemoryThreadStore, RedisThreadStore, thread_store
from bot.core.ports import THREAD_TTL_SECONDS, ThreadContext

CONTEXT = ThreadContext(question="status 5f1e9c2a7b3d4e5f6a7b8c9d", language="sv", kind="lookup", title="x",
                        status="spf_failure", alternatives=("custom_sender_address",),
                        invitation_id="5f1e9c2a7b3d4e5f6a7b8c9d", business_unit_id="64a0c1d2e3f4a5b6c7d8e9f0",
                        asker_user="U1", shared=True)


def test_memory_store_forgets_a_thread_after_a_day():
    now = [0.0]
    store = MemoryThreadStore(clock=lambda: now[0])
    store.put("slack:C1:1.0", CONTEXT)
    assert store.get("slack:C1:1.0") == CONTEXT
    now[0] = THREAD_TTL_SECONDS + 1
    assert store.get("slack:C1:1.0") is None


def test_redis_store_shares_threads_between_instances_and_sets_the_expiry(redis_server_url):
    one, two = thread_store(redis_server_url), thread_store(redis_server_url)
    key = f"slack:C1:{uuid.uuid4().hex}"
    one.put(key, CONTEXT)
    assert two.get(key) == CONTEXT
    client = redis.Redis.from_url(redis_server_url)
    ttl = client.ttl(f"invitation-bot:thread:{key}")
    assert 0 < ttl <= THREAD_TTL_SECONDS
    client.close()


def test_redis_store_falls_back_to_this_instances_memory_when_redis_is_down():
    dead = redis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.2, socket_timeout=0.2)
    store = RedisThreadStore(dead)
    store.put("slack:C1:2.0", CONTEXT)  # never raises
    assert store.get("slack:C1:2.0") == CONTEXT


def test_a_stored_context_that_is_not_ours_is_ignored():
    assert ThreadContext.from_json(b"not json") is None
    assert ThreadContext.from_json('{"question": 1, "language": "xx"}') is None
