"""The Teams app over real HTTP: acknowledgements, each activity answered once, bad requests, errors, retries."""

from __future__ import annotations

import json
import logging
import threading
from concurrent.futures import ThreadPoolExecutor

from connectorstub import (
    ALICE,
    card_submit,
    channel_mention,
    get,
    message_action,
    personal_message,
)
from scripted_teams import FailingAssistant, RecordingAssistant

from bot.core.models import Question, Reply
from bot.platform.dedupe import seen_store


class GatedAssistant(RecordingAssistant):
    """Holds every answer until the test opens the gate: a slow live lookup."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = threading.Event()
        self.started = threading.Event()

    def answer(self, question: Question, progress=None) -> Reply:
        self.started.set()
        assert self.gate.wait(timeout=30)
        return super().answer(question, progress)


def test_health_answers_200_and_other_paths_do_not_exist(teams):
    health = get(teams.url + "/healthz")
    assert health.status == 200 and health.body == b"ok\n"
    assert get(teams.url + "/nope").status == 404
    assert get(teams.url + "/api/messages").status == 405


def test_the_acknowledgement_never_waits_for_the_answer(make_teams, stub):
    assistant = GatedAssistant()
    teams = make_teams(assistant=assistant)
    response = teams.post(personal_message(stub.service_url, "status 01188f639aae8f1da0f15423"))
    # 202 came back while the answer is still held at the gate.
    assert response.status == 202
    assert assistant.started.wait(timeout=10)
    assert stub.messages() == []
    assistant.gate.set()
    assert teams.idle()
    assert len(stub.messages()) == 1


def test_a_redelivered_activity_is_answered_once(make_teams, stub):
    assistant = RecordingAssistant()
    teams = make_teams(assistant=assistant)
    activity = channel_mention(stub.service_url, "Ej levererad – SPF-fel")
    with ThreadPoolExecutor(max_workers=3) as pool:
        statuses = list(pool.map(lambda _n: teams.post(activity).status, range(3)))
    assert statuses == [202, 202, 202]
    assert teams.idle()
    assert teams.post(activity).status == 202  # later, too
    assert teams.idle()
    assert len(stub.messages()) == 1 and len(assistant.questions) == 1


def test_the_same_activity_id_in_another_conversation_is_another_activity(make_teams, stub):
    teams = make_teams(assistant=RecordingAssistant())
    first = personal_message(stub.service_url, "hej", activity_id="1700000000001")
    second = personal_message(stub.service_url, "hej", activity_id="1700000000001", conversation_id="a:1other")
    teams.post(first)
    teams.post(second)
    assert teams.idle()
    assert sorted(call.conversation for call in stub.messages()) == ["a:1other", first["conversation"]["id"]]


def test_instances_sharing_redis_answer_a_redelivery_once(make_teams, stub, redis_url):
    import uuid

    first = make_teams(assistant=RecordingAssistant(), seen=seen_store(redis_url))
    second = make_teams(assistant=RecordingAssistant(), seen=seen_store(redis_url))
    activity = personal_message(stub.service_url, "hej", activity_id=str(uuid.uuid4().int)[:13])
    assert first.post(activity).status == 202
    assert second.post(activity).status == 202
    assert first.idle() and second.idle()
    assert len(stub.messages()) == 1


def test_an_error_in_a_turn_is_logged_and_answered_with_a_short_apology(make_teams, stub, caplog):
    teams = make_teams(assistant=FailingAssistant())
    with caplog.at_level(logging.ERROR, logger="bot.teams.agent"):
        teams.post(personal_message(stub.service_url, "what is SPF?", locale="en-GB"))
        assert teams.idle()
    (apology,) = stub.messages()
    assert apology.body["text"].startswith("Sorry, something went wrong on our side.")
    dumped = json.dumps(apology.body)
    assert "anna@" not in dumped and "RuntimeError" not in dumped and "Exception caught" not in dumped
    (record,) = [r for r in caplog.records if r.name == "bot.teams.agent"]
    assert record.exc_info is not None  # the traceback is in the log


def test_an_error_in_an_invoke_answers_the_invoke_with_an_apology(make_teams, stub):
    teams = make_teams(assistant=FailingAssistant())
    response = teams.post(message_action(personal_message(stub.service_url, "x"), "<p>SPF</p>", user=ALICE))
    assert response.status == 200
    assert response.body["task"]["type"] == "message"
    assert "went wrong" in response.body["task"]["value"] and "anna" not in response.body["task"]["value"]


def test_bad_requests_get_400_and_nothing_is_posted(teams, stub):
    url = teams.messages_url
    activity = personal_message(stub.service_url, "hej")
    assert teams.post(None, raw=b"{not json").status == 400
    assert teams.post(["a", "list"]).status == 400
    assert teams.post({k: v for k, v in activity.items() if k != "conversation"}).status == 400
    assert teams.post({k: v for k, v in activity.items() if k != "serviceUrl"}).status == 400
    assert teams.post({**activity, "type": ""}).status == 400
    assert teams.post(None, raw=b"x" * 2_000_000).status == 413
    assert teams.idle()
    assert stub.calls == [] and url


def test_throttled_posts_are_retried_and_answered_once(make_teams, stub):
    teams = make_teams(assistant=RecordingAssistant())
    stub.failures["POST"] = [429, 502]
    teams.post(personal_message(stub.service_url, "hej"))
    assert teams.idle()
    assert [c.method for c in stub.calls if c.method.startswith("POST")] == ["POST:429", "POST:502", "POST"]
    assert len(stub.messages()) == 1


def test_a_connector_that_keeps_failing_loses_that_answer_only(make_teams, stub, caplog):
    teams = make_teams(assistant=RecordingAssistant())
    stub.failures["POST"] = [500] * 8  # the answer, its retries, the apology and its retries
    with caplog.at_level(logging.WARNING):
        teams.post(personal_message(stub.service_url, "first"))
        assert teams.idle()
    assert stub.messages() == []
    stub.failures["POST"] = []
    teams.post(personal_message(stub.service_url, "second"))
    assert teams.idle()
    assert len(stub.messages()) == 1


def test_a_click_is_not_taken_twice_either(make_teams, stub):
    assistant = RecordingAssistant()
    teams = make_teams(assistant=assistant)
    question = personal_message(stub.service_url, "hej")
    teams.post(question)
    assert teams.idle()
    posted = stub.messages()[0]
    data = posted.body["attachments"][0]["content"]["actions"][0]["data"]
    click = card_submit({**question, "replyToId": posted.posted_id}, data, user=ALICE)
    teams.post(click)
    teams.post(click)
    assert teams.idle()
    assert len(stub.updates()) == 1
