"""Teams turns as jobs on the work queue: a job holds what the accepting instance checked and never the token,
and whichever instance runs it answers with its own identity, only for its own app id.

(That a surviving instance answers what a killed one had taken: tests/security/
test_acknowledged_work_survives_a_dead_instance.py.)"""

from __future__ import annotations

import json
import logging

import pytest
from connectorstub import personal_message
from microsoft_agents.hosting.core.authorization import ClaimsIdentity

from bot.config import load_settings
from bot.teams.app import build_teams_bot
from bot.teams.request_shape import parse_activity
from bot.teams.turns import TURN_JOB, Accepted, accepted
from bot.work import Job

APP_ID = "0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5"
TEAMS = "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__"
TOKEN = "eyJhbGciOiJSUzI1NiJ9.the-inbound-token.signature"
SERVICE_URL = "https://smba.trafficmanager.net/emea/"


def activity(service_url: str = SERVICE_URL, text: str = "Ej levererad – SPF-fel"):
    parsed = parse_activity(json.dumps(personal_message(service_url, text)).encode())
    assert not isinstance(parsed, str)
    return parsed


def token_claims() -> ClaimsIdentity:
    """What the SDK's token check gives for a Bot Framework token (the claims, and the token itself)."""
    return ClaimsIdentity({"aud": APP_ID, "iss": "https://api.botframework.com", "serviceurl": SERVICE_URL},
                          security_token=TOKEN)


@pytest.fixture
def credentialed(components):
    """A Teams app with a client id (nothing goes out at build time)."""
    settings = load_settings({TEAMS + "CLIENTID": APP_ID, TEAMS + "CLIENTSECRET": "not-a-real-secret"})
    bot = build_teams_bot(settings, components.assistant, components.access)
    yield bot.server.turns
    bot.close()


def test_a_job_holds_the_activity_where_it_was_checked_and_the_app_id_never_the_token():
    asked = activity()
    job = accepted(asked, token_claims()).job()
    assert job.kind == TURN_JOB and job.ref == f"message {asked.id}"
    raw = json.dumps(job.payload)  # it travels through Redis as JSON
    assert TOKEN not in raw and "botframework" not in raw
    assert set(job.payload) == {"activity", "serviceUrl", "appId"}
    assert job.payload["serviceUrl"] == SERVICE_URL and job.payload["appId"] == APP_ID
    again = Accepted.of(Job(job.kind, json.loads(raw), job.ref))
    assert not isinstance(again, str)
    assert again.activity == asked and again.app_id == APP_ID


def test_without_a_token_the_job_says_so():
    job = accepted(activity(), ClaimsIdentity()).job()
    assert job.payload["appId"] is None


def test_replies_go_where_the_accepting_instance_checked():
    job = accepted(activity(), token_claims()).job()
    payload = {**job.payload, "activity": {**job.payload["activity"], "serviceUrl": "https://elsewhere.example/"}}
    found = Accepted.of(Job(TURN_JOB, payload))
    assert not isinstance(found, str)
    assert found.activity.service_url == SERVICE_URL


@pytest.mark.parametrize("payload", [{}, {"activity": {"type": 7}, "serviceUrl": SERVICE_URL},
                                     {"activity": {"type": "message"}, "serviceUrl": SERVICE_URL, "appId": 3},
                                     {"activity": "x", "serviceUrl": SERVICE_URL}])
def test_a_damaged_job_holds_nothing(payload):
    assert isinstance(Accepted.of(Job(TURN_JOB, payload)), str)


def test_an_instance_with_a_client_id_answers_with_its_own_identity_for_its_own_app_id_only(credentialed):
    claims = credentialed.claims_for(Accepted(activity(), SERVICE_URL, APP_ID.upper()))
    assert claims is not None
    # As the SDK's own identity for proactive messages: the app id, where to post, and no token from anyone.
    assert claims.claims == {"aud": APP_ID, "appid": APP_ID, "serviceurl": SERVICE_URL}
    assert claims.security_token is None and not claims.allow_anonymous
    assert credentialed.claims_for(Accepted(activity(), SERVICE_URL, "another-bots-app-id")) is None
    # Taken without a token (an instance in anonymous mode): never answered with our credentials.
    assert credentialed.claims_for(Accepted(activity(), SERVICE_URL, None)) is None


def test_an_anonymous_instance_answers_only_what_came_without_a_token(teams):
    turns = teams.bot.server.turns
    claims = turns.claims_for(Accepted(activity(), SERVICE_URL, None))
    assert claims is not None and claims.allow_anonymous
    assert turns.claims_for(Accepted(activity(), SERVICE_URL, APP_ID)) is None


def test_a_job_accepted_under_other_credentials_is_dropped_and_logged(teams, stub, caplog):
    work = teams.bot.server.turns.work
    with caplog.at_level(logging.ERROR, logger="bot.teams.turns"):
        work.put(Accepted(activity(stub.service_url), stub.service_url, APP_ID).job())
        work.put(Job(TURN_JOB, {"activity": {"type": 7}, "serviceUrl": stub.service_url}, ref="message 1"))
        assert teams.idle()
    assert stub.calls == []
    assert f"accepted for app id {APP_ID}, not for this bot's app id" in caplog.text
    assert "Teams job (message 1) dropped: the job's activity is not valid" in caplog.text
    # The same activity accepted without a token is answered.
    work.put(Accepted(activity(stub.service_url), stub.service_url, None).job())
    assert teams.idle()
    (answer,) = stub.messages()
    assert answer.body["attachments"][0]["content"]["type"] == "AdaptiveCard"
