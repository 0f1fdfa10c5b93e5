"""The answers cards point at (memory, bounded and expiring; Redis shared by instances) and the token's host."""

from __future__ import annotations

import uuid

from microsoft_agents.hosting.core.authorization import ClaimsIdentity

from bot.core.models import Asker
from bot.teams.answers import MemoryAnswerStore, StoredAnswer, answer_store
from bot.teams.server import TeamsServer


class Clock:
    def __init__(self) -> None:
        self.now = 10.0

    def __call__(self) -> float:
        return self.now


def stored(question: str = "Ej levererad – SPF-fel") -> StoredAnswer:
    asker = Asker(user_id="29:1maja", team_id="tenant", internal=False, channel_id="19:c@thread.tacv2",
                  shared_channel=True)
    return StoredAnswer(question=question, asker=asker, conversation="19:c@thread.tacv2", fallback_language="en")


def test_an_answer_keeps_its_audience_and_only_the_language_and_steps_change():
    answer = stored()
    question = answer.question_for("sv", full=True)
    assert question.asker == answer.asker and question.text == answer.question
    assert question.language == "sv" and question.full and question.fallback_language == "en"
    assert StoredAnswer.from_json(answer.to_json()) == answer
    assert StoredAnswer.from_json(b"{broken") is None and StoredAnswer.from_json('{"question": 1}') is None


def test_memory_store_ids_are_opaque_and_entries_expire():
    clock = Clock()
    store = MemoryAnswerStore(ttl=60, clock=clock)
    first, second = store.put(stored()), store.put(stored())
    assert first != second and len(first) >= 20
    assert store.get(first) == stored()
    clock.now += 61
    assert store.get(first) is None and store.get("nope") is None


def test_memory_store_is_bounded_by_entries_and_by_characters():
    store = MemoryAnswerStore(max_entries=3)
    ids = [store.put(stored()) for _ in range(4)]
    assert store.get(ids[0]) is None and store.get(ids[3]) is not None
    store = MemoryAnswerStore(max_chars=50_000)
    big = [store.put(stored("x" * 20_000)) for _ in range(5)]
    assert [store.get(i) is not None for i in big] == [False, False, False, True, True]


def test_redis_store_is_shared_by_instances(redis_url):
    first, second = answer_store(redis_url), answer_store(redis_url)
    answer = stored(f"question {uuid.uuid4()}")
    answer_id = first.put(answer)
    assert second.get(answer_id) == answer
    assert second.get("missing-" + answer_id) is None


def test_redis_down_keeps_answers_in_this_instance():
    store = answer_store("redis://127.0.0.1:1/0")
    answer_id = store.put(stored())
    assert store.get(answer_id) == stored()


def server(anonymous: bool) -> TeamsServer:
    return TeamsServer(adapter=None, agent=None, seen=None, auth_configuration=None,  # type: ignore[arg-type]
                       anonymous=anonymous)


def test_with_a_token_replies_go_only_to_the_host_the_token_names():
    claims = ClaimsIdentity({"serviceurl": "https://smba.trafficmanager.net/emea/"}, True)
    checked = server(anonymous=False)
    assert checked._service_url_matches(claims, "https://SMBA.trafficmanager.net/emea/")
    assert not checked._service_url_matches(claims, "https://attacker.example/emea/")
    # A token that names no host cannot send the bot anywhere (tests/security/teams/test_attack_teams_service_url.py).
    assert not checked._service_url_matches(ClaimsIdentity({}, True), "https://smba.trafficmanager.net/amer/")
    assert server(anonymous=True)._service_url_matches(claims, "http://127.0.0.1:9/")
