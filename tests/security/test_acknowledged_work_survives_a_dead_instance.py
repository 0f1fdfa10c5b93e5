"""An acknowledged event is never lost when an instance dies: with REDIS_URL the work goes through a
Redis stream, and a surviving instance takes over what a dead one had claimed, answering once; in Slack and
in Microsoft Teams (which never sends an activity again once it got its 202)."""

from __future__ import annotations

import json
import signal
import threading
import time
import uuid

import pytest
import redis
from connectorstub import personal_message, post_activity
from slack_rig import SECRET, serve
from slackstub import BOT_USER, event_body, mention_event, post
from teams_rig import serve_teams

from bot.invitations.sandbox import start_sandbox
from bot.invitations.sandbox.faults import SandboxOptions
from bot.work import Job
from bot.work.redis_stream import GROUP, RedisWorkQueue, redis_work_queue

DEMO_INVITATION = "01188f639aae8f1da0f15423"


def wait_until(condition, timeout: float, what: str):
    """Poll a real server's state until `condition()` is truthy (a deadline, not a sleep)."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout}s: {what}")
        time.sleep(0.05)


def pending_consumers(client: redis.Redis, stream: str) -> list[str]:
    try:
        entries = client.xpending_range(stream, GROUP, "-", "+", 10)
    except redis.ResponseError:  # no group yet
        return []
    return [entry["consumer"].decode() for entry in entries]


def test_a_surviving_instance_answers_what_a_killed_one_had_claimed(stub, redis_url, tmp_path):
    stub.users["U0ALICE"] = {"id": "U0ALICE", "team_id": "T0HOME", "locale": "en-GB"}
    # Every API request takes 1.5 s, so the first instance is surely still looking up when it dies.
    sandbox = start_sandbox(options=SandboxOptions(delay_seconds=1.5))
    client = redis.Redis.from_url(redis_url)
    env = {"REDIS_URL": redis_url, "WORK_TAKEOVER_SECONDS": "2", "INVITATIONS_API_URL": sandbox.url,
           "INVITATIONS_API_KEY": sandbox.api_key, "INVITATIONS_API_SECRET": sandbox.api_secret}
    first_gen, second_gen = serve(stub, tmp_path / "a.log", **env), serve(stub, tmp_path / "b.log", **env)
    instances = [next(first_gen), next(second_gen)]
    stream = "invitation-bot:work:slack"
    try:
        ts = f"1700003000.{uuid.uuid4().int % 1_000_000:06d}"
        body = event_body(mention_event(f"<@{BOT_USER}> status {DEMO_INVITATION}", ts=ts), f"Ev-{uuid.uuid4()}")
        assert post(instances[0].events_url, body, "application/json", secret=SECRET).status == 200

        # Whichever instance took the job is killed mid-answer (SIGKILL: no chance to finish or hand back).
        (owner,) = wait_until(lambda: pending_consumers(client, stream), 10, "an instance claims the job")
        dead = next(i for i in instances if owner.split("-")[-2] == str(i.process.pid))
        survivor = next(i for i in instances if i is not dead)
        dead.process.send_signal(signal.SIGKILL)
        dead.process.wait(timeout=10)
        killed_at = time.monotonic()

        calls = stub.wait_calls("chat.postMessage", 1, timeout=30)
        taken_over_in = time.monotonic() - killed_at
        assert taken_over_in < 30
        (answer,) = [call for call in calls if call.args.get("thread_ts") == ts]
        assert DEMO_INVITATION in answer.args["text"]
        # The job is done and acknowledged: nothing is left for anyone to answer again.
        wait_until(lambda: not pending_consumers(client, stream), 10, "the job is acknowledged")
        assert client.xlen(stream) == 0
        assert [c for c in stub.calls_to("chat.postMessage") if c.args.get("thread_ts") == ts] == [answer]
        assert "took over slack.message job" in survivor.log_text()
    finally:
        for generator in (first_gen, second_gen):
            generator.close()
        client.close()
        sandbox.stop()


def test_teams_a_surviving_instance_answers_what_a_killed_one_had_claimed(connector, redis_url, tmp_path):
    # Every API request takes 1.5 s, so the instance that took the turn is surely still looking up when it dies.
    sandbox = start_sandbox(options=SandboxOptions(delay_seconds=1.5))
    client = redis.Redis.from_url(redis_url)
    env = {"REDIS_URL": redis_url, "WORK_TAKEOVER_SECONDS": "2", "INVITATIONS_API_URL": sandbox.url,
           "INVITATIONS_API_KEY": sandbox.api_key, "INVITATIONS_API_SECRET": sandbox.api_secret}
    generators = [serve_teams(tmp_path / "a.log", **env), serve_teams(tmp_path / "b.log", **env)]
    instances = [next(generator) for generator in generators]
    stream = "invitation-bot:work:teams"
    try:
        conversation = f"a:1personal-survives-{uuid.uuid4().hex[:8]}"
        activity = personal_message(connector.service_url, f"status {DEMO_INVITATION}", locale="en-GB",
                                    conversation_id=conversation)
        assert post_activity(instances[0].messages_url, activity).status == 202

        # Whichever instance took the turn is killed mid-answer (SIGKILL: no chance to finish or hand back).
        (owner,) = wait_until(lambda: pending_consumers(client, stream), 10, "an instance claims the job")
        dead = next(i for i in instances if owner.split("-")[-2] == str(i.process.pid))
        survivor = next(i for i in instances if i is not dead)
        dead.process.send_signal(signal.SIGKILL)
        dead.process.wait(timeout=10)
        killed_at = time.monotonic()
        assert connector.messages() == []  # it died before it could answer

        (answer,) = connector.wait_messages(1, timeout=30)
        assert time.monotonic() - killed_at < 30
        assert answer.conversation == conversation
        assert DEMO_INVITATION in json.dumps(answer.body)
        # The job is done and acknowledged: nothing is left for anyone to answer again.
        wait_until(lambda: not pending_consumers(client, stream), 10, "the job is acknowledged")
        assert client.xlen(stream) == 0
        assert survivor.process.poll() is None
        assert connector.messages() == [answer]
        assert "took over teams.activity job (message " in survivor.log_text()
    finally:
        for generator in generators:
            generator.close()
        client.close()
        sandbox.stop()


@pytest.fixture
def queue_name():
    return f"test-{uuid.uuid4().hex[:8]}"


def test_a_job_claimed_by_a_consumer_that_went_silent_is_taken_over_once(redis_url, queue_name):
    client = redis.Redis.from_url(redis_url)
    stream = f"invitation-bot:work:{queue_name}"
    client.xgroup_create(stream, GROUP, id="0", mkstream=True)
    client.xadd(stream, {"kind": "k", "payload": json.dumps({"n": 1}), "ref": "event Ev-dead"})
    # A consumer reads the job and then dies: it never renews its claim nor acknowledges.
    assert client.xreadgroup(GROUP, "dead-consumer", {stream: ">"}, count=1)
    ran: list[Job] = []
    done = threading.Event()

    def handle(job: Job) -> None:
        ran.append(job)
        done.set()

    queue = redis_work_queue(redis_url, queue_name, 2, claim_idle=1)
    queue.start({"k": handle})
    try:
        assert done.wait(15)
        assert queue.wait_idle(5)
        assert [(job.payload, job.ref, job.takeovers) for job in ran] == [({"n": 1}, "event Ev-dead", 1)]
        wait_until(lambda: client.xpending(stream, GROUP)["pending"] == 0, 5, "acknowledged")
    finally:
        queue.close()
        client.close()


def test_two_queues_on_one_stream_run_each_job_once(redis_url, queue_name):
    ran: list[int] = []
    lock = threading.Lock()

    def handle(job: Job) -> None:
        with lock:
            ran.append(job.payload["n"])

    queues = [redis_work_queue(redis_url, queue_name, 4) for _ in range(2)]
    for queue in queues:
        queue.start({"k": handle})
    try:
        for n in range(100):
            queues[n % 2].put(Job("k", {"n": n}, ref=f"job {n}"))
        wait_until(lambda: len(ran) >= 100, 30, "every job ran")
        assert all(queue.wait_idle(5) for queue in queues)
        assert sorted(ran) == list(range(100))
    finally:
        for queue in queues:
            queue.close()


def test_when_redis_cannot_take_a_job_it_is_answered_here():
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    # A port nobody listens on: every command fails at once.
    down = redis.Redis(host="127.0.0.1", port=1, retry=Retry(NoBackoff(), 0))
    queue = RedisWorkQueue(down, down, "down", 1, claim_idle=60)
    ran: list[Job] = []
    queue._handlers = {"k": ran.append}  # not started: no reader threads against a dead server
    queue.put(Job("k", {"n": 1}, ref="event Ev-1"))
    assert queue.wait_idle(5)
    assert [job.ref for job in ran] == ["event Ev-1"]
    queue.close()


def test_without_redis_the_log_says_at_start_that_work_in_flight_is_lost(stub, tmp_path):
    generator = serve(stub, tmp_path / "alone.log")
    served = next(generator)
    try:
        log = served.log_text()
    finally:
        generator.close()
    assert "no REDIS_URL" in log and "lost if this process crashes" in log


def test_teams_without_redis_the_log_says_at_start_that_work_in_flight_is_lost(tmp_path):
    generator = serve_teams(tmp_path / "alone.log")
    served = next(generator)
    try:
        log = served.log_text()
    finally:
        generator.close()
    assert "no REDIS_URL: teams work" in log and "lost if this process crashes" in log
