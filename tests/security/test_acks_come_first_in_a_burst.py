"""A burst of Slack events is acknowledged first and every event still answered once.

The p99 target (100 ms for a burst of 200) is measured by benchmarks/bench_slack.py; here: the
burst over real HTTP, each event on its own connection at once, all acknowledged with 200 and
answered exactly once, and the rule that holds answers back during a burst, on a fake clock.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

from slack_rig import ROOT, ScriptedAssistant
from slackstub import BOT_USER, event_body, mention_event, sign

from bot.work.quiet import AckFirst

sys.path.insert(0, str(Path(ROOT) / "benchmarks"))
from burst import burst, request_bytes

EVENTS = 60


def test_a_burst_is_acknowledged_and_each_event_answered_once(make_app, stub):
    stub.users["U0ALICE"] = {"id": "U0ALICE", "team_id": "T0HOME", "locale": "en-GB"}
    app = make_app(ScriptedAssistant())
    requests = []
    for n in range(EVENTS):
        body = event_body(mention_event(f"<@{BOT_USER}> spf {n}", ts=f"1700006000.{n:06d}"), f"EvBurst{n}")
        stamp = str(int(time.time()))
        requests.append(request_bytes(app.events_url, body, {
            "Content-Type": "application/json", "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": sign(app.secret, stamp, body)}))
    results = burst(app.events_url, requests)
    assert [r.status for r in results] == [200] * EVENTS
    stub.wait_calls("chat.postMessage", EVENTS, timeout=60)
    assert app.bot.wait_idle(30)
    threads = Counter(call.args["thread_ts"] for call in stub.calls_to("chat.postMessage"))
    assert len(threads) == EVENTS and set(threads.values()) == {1}


class Clock:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept += seconds
        self.now += seconds


def test_outside_a_burst_answers_never_wait():
    clock = Clock()
    gate = AckFirst(burst=5, window=0.1, longest=0.3, clock=clock, sleep=clock.sleep)
    for _ in range(10):
        gate.request_arrived()
        clock.now += 0.05  # 20 requests a second
        gate.wait_for_lull()
    assert clock.slept == 0


def test_during_a_burst_answers_wait_for_it_to_pass_and_never_long():
    clock = Clock()
    gate = AckFirst(burst=5, window=0.1, longest=0.3, cooldown_factor=3, clock=clock, sleep=clock.sleep)
    for _ in range(5):
        gate.request_arrived()
    gate.wait_for_lull()  # the burst is over once no 5 requests fall within 0.1 s
    assert 0.09 <= clock.slept <= 0.11

    # A flood that never stops: a pause ends after `longest`, then none for three times as long.
    class Flooding(Clock):
        def sleep(self, seconds: float) -> None:
            super().sleep(seconds)
            for _ in range(5):
                flood.request_arrived()

    flooded = Flooding()
    flood = AckFirst(burst=5, window=0.1, longest=0.3, cooldown_factor=3, clock=flooded, sleep=flooded.sleep)
    for _ in range(5):
        flood.request_arrived()
    flood.wait_for_lull()
    assert 0.3 <= flooded.slept <= 0.31
    for _ in range(5):
        flood.request_arrived()
    flood.wait_for_lull()  # in the cooldown: no wait
    assert 0.3 <= flooded.slept <= 0.31
