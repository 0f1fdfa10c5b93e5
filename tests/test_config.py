from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings


def test_defaults_use_the_sandbox_and_swedish():
    settings = load_settings({})
    assert settings.uses_sandbox
    assert settings.language == "sv"
    assert settings.port == 3000
    assert settings.api_rate_per_5min == 833 and settings.api_rate_per_hour == 10_000


def test_every_problem_is_reported_at_once():
    env = {
        "INVITATIONS_API_URL": "ftp://nope",
        "SLACK_BOT_TOKEN": "xapp-wrong-kind",
        "BOT_LANGUAGE": "de",
        "PORT": "http",
        "BOT_ACCESS_FILE": "/no/such/file.yaml",
        "INVITATIONS_API_BUDGET": "-1",
    }
    with pytest.raises(ConfigError) as caught:
        load_settings(env)
    text = "\n".join(caught.value.problems)
    for name in ("INVITATIONS_API_URL", "SLACK_BOT_TOKEN", "BOT_LANGUAGE", "PORT", "BOT_ACCESS_FILE",
                 "INVITATIONS_API_BUDGET"):
        assert name in text
    assert len(caught.value.problems) == 6


def test_a_real_api_needs_credentials():
    with pytest.raises(ConfigError, match="INVITATIONS_API_KEY"):
        load_settings({"INVITATIONS_API_URL": "https://api.example"})
    settings = load_settings({"INVITATIONS_API_URL": "https://api.example/", "INVITATIONS_API_KEY": "k",
                              "INVITATIONS_API_SECRET": "s", "BOT_LANGUAGE": "EN"})
    assert settings.invitations_api_url == "https://api.example"
    assert settings.language == "en"
    assert not settings.uses_sandbox


def test_access_file_must_exist(tmp_path: Path):
    policy = tmp_path / "access.yaml"
    policy.write_text("internal_teams: [T1]\n")
    assert load_settings({"BOT_ACCESS_FILE": str(policy)}).access_file == policy


TEAMS = "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__"
APP_ID = "0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5"
TENANT = "9b1c0d2e-3f4a-4b5c-8d6e-7f8091a2b3c4"


def test_teams_runs_anonymously_without_a_client_id_on_port_3978():
    settings = load_settings({})
    assert settings.teams.anonymous and settings.teams.port == 3978
    assert settings.teams.sdk_configuration() == {TEAMS + "ANONYMOUS_ALLOWED": "true"}
    assert load_settings({"PORT": "8000"}).teams.port == 8000


def test_teams_credentials_are_read_in_the_sdk_names():
    env = {TEAMS + "CLIENTID": APP_ID, TEAMS + "CLIENTSECRET": "s3cret", TEAMS + "TENANTID": TENANT.upper(),
           TEAMS + "AUTHTYPE": "ClientSecret", "CONNECTIONSMAP__0__SERVICEURL": "*", "SLACK_BOT_TOKEN": ""}
    teams = load_settings(env).teams
    assert teams.client_id == APP_ID and teams.tenant_id == TENANT and not teams.anonymous
    sdk = teams.sdk_configuration()
    assert sdk[TEAMS + "CLIENTSECRET"] == "s3cret" and sdk["CONNECTIONSMAP__0__SERVICEURL"] == "*"
    assert sdk[TEAMS + "ANONYMOUS_ALLOWED"] == "false"
    assert "SLACK_BOT_TOKEN" not in sdk


def test_teams_credentials_problems_are_reported():
    cases = [
        ({TEAMS + "CLIENTID": APP_ID}, "CLIENTSECRET is needed"),
        ({TEAMS + "CLIENTID": APP_ID, TEAMS + "CLIENTSECRET": "s", TEAMS + "ANONYMOUS_ALLOWED": "true"},
         "must not be true"),
        ({TEAMS + "CLIENTID": "my-bot"}, "GUID"),
        ({TEAMS + "TENANTID": "contoso.com"}, "TENANTID"),
        ({TEAMS + "CLIENTSECRET": "s"}, "without"),
        ({TEAMS + "ANONYMOUS_ALLOWED": "maybe"}, "true or false"),
        ({"TEAMS_ANSWER_THREADS": "0"}, "TEAMS_ANSWER_THREADS"),
        ({"TEAMS_FILES_URL": "files.example"}, "TEAMS_FILES_URL must be an http"),
    ]
    for env, message in cases:
        with pytest.raises(ConfigError, match=message):
            load_settings(env)
    # A certificate needs no secret.
    assert load_settings({TEAMS + "CLIENTID": APP_ID, TEAMS + "AUTHTYPE": "Certificate"}).teams.client_id == APP_ID


def test_teams_files_url_names_one_more_file_host():
    assert load_settings({}).teams.files_url is None
    assert load_settings({"TEAMS_FILES_URL": "http://127.0.0.1:8099/"}).teams.files_url == "http://127.0.0.1:8099"
