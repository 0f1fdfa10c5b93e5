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
