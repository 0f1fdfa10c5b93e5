"""The Slack commands as a user runs them: `python -m bot serve` in a real process, and the default command."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from slackstub import BOT_USER, event_body, free_port, get, mention_event, post

from bot.render.button_values import ACTION_IDS
from bot.slack.listeners import COMMAND, SHORTCUT_CALLBACK_ID

ROOT = Path(__file__).resolve().parents[2]
SECRET = "cli-signing-secret"


def bot_env(**extra: str) -> dict[str, str]:
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT), "HOME": os.environ.get("HOME", "/tmp")}
    env.update(extra)
    return env


def run_bot(*args: str, env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot", *args], env=env, cwd=ROOT, input=stdin,
                          capture_output=True, text=True, timeout=120)


def wait_healthy(url: str, process: subprocess.Popen[str], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"serve exited early: {process.stderr.read() if process.stderr else ''}")
        try:
            if get(url + "/healthz", timeout=1).status == 200:
                return
        except OSError:
            pass
        time.sleep(0.05)  # polling a real process that is starting up
    raise AssertionError("serve did not become healthy")


def test_serve_answers_a_mention_and_stops_cleanly_on_sigterm(stub):
    port = free_port()
    env = bot_env(SLACK_SIGNING_SECRET=SECRET, SLACK_BOT_TOKEN="xoxb-cli", SLACK_API_URL=stub.api_url, PORT=str(port))
    process = subprocess.Popen([sys.executable, "-m", "bot", "serve"], env=env, cwd=ROOT, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_healthy(url, process)
        body = event_body(mention_event(f"<@{BOT_USER}> Not delivered - SPF failure", ts="1700002000.000100"),
                          "EvCLI1")
        assert post(url + "/slack/events", body, "application/json", secret=SECRET).status == 200
        (reply,) = stub.wait_calls("chat.postMessage", timeout=30)
        assert reply.args["thread_ts"] == "1700002000.000100"
        assert reply.args["blocks"][0]["type"] == "header"
        assert "SPF" in reply.args["blocks"][0]["text"]["text"]
        assert post(url + "/slack/events", body, "application/json", secret="wrong").status == 401
    finally:
        process.send_signal(signal.SIGTERM)
        _out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert "Traceback" not in err


def test_serve_without_slack_settings_says_what_is_missing():
    result = run_bot("serve", env=bot_env())
    assert result.returncode == 2
    assert result.stderr.strip() == "invitation-bot: serve needs SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN"


def test_serve_with_a_token_slack_refuses_fails_in_one_line(stub):
    stub.errors["auth.test"] = "invalid_auth"
    result = run_bot("serve", env=bot_env(SLACK_SIGNING_SECRET=SECRET, SLACK_BOT_TOKEN="xoxb-bad",
                                          SLACK_API_URL=stub.api_url, PORT=str(free_port())))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith("invitation-bot: Slack did not accept SLACK_BOT_TOKEN")
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("command", ["serve", "socket"])
def test_slack_unreachable_at_start_up_fails_in_one_line(command):
    # Nothing listens on this port: auth.test cannot reach "Slack" at all.
    api = f"http://127.0.0.1:{free_port()}/api/"
    result = run_bot(command, env=bot_env(SLACK_SIGNING_SECRET=SECRET, SLACK_APP_TOKEN="xapp-1-test",
                                          SLACK_BOT_TOKEN="xoxb-1", SLACK_API_URL=api, PORT=str(free_port())))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith(f"invitation-bot: could not reach {api.rstrip('/')}")


@pytest.mark.parametrize(("env", "expected"), [
    ({"SLACK_APP_TOKEN": "xapp-1-test"}, "invitation-bot: socket needs SLACK_BOT_TOKEN"),
    ({"SLACK_SIGNING_SECRET": "s"}, "invitation-bot: serve needs SLACK_BOT_TOKEN"),
    ({"SLACK_APP_TOKEN": "xapp-1-test", "SLACK_SIGNING_SECRET": "s"}, "invitation-bot: socket needs SLACK_BOT_TOKEN"),
])
def test_default_command_picks_the_slack_transport_from_the_environment(env, expected):
    result = run_bot(env=bot_env(**env))
    assert (result.returncode, result.stderr.strip()) == (2, expected)


def test_default_command_without_slack_is_the_console_chat():
    result = run_bot(env=bot_env(BOT_LANGUAGE="en"), stdin="Not delivered - SPF failure\n")
    assert result.returncode == 0
    assert "SPF" in result.stdout


def test_manifest_matches_the_app():
    manifest = yaml.safe_load((ROOT / "slack-manifest.yaml").read_text(encoding="utf-8"))
    features, settings = manifest["features"], manifest["settings"]
    assert [c["command"] for c in features["slash_commands"]] == [COMMAND]
    assert [(s["type"], s["callback_id"]) for s in features["shortcuts"]] == [("message", SHORTCUT_CALLBACK_ID)]
    assert set(settings["event_subscriptions"]["bot_events"]) == {
        "app_mention", "message.im", "message.channels", "message.groups", "app_home_opened", "channel_shared",
        "channel_unshared", "member_joined_channel"}
    assert features["app_home"]["home_tab_enabled"] is True
    assert settings["interactivity"]["is_enabled"] is True
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {"app_mentions:read", "im:history", "chat:write", "commands", "users:read", "channels:read",
            "groups:read", "im:read", "mpim:read", "channels:history", "groups:history"} <= scopes
    for url in (settings["event_subscriptions"]["request_url"], settings["interactivity"]["request_url"],
                features["slash_commands"][0]["url"]):
        assert url.endswith("/slack/events")
    assert all(len(action_id) <= 255 for action_id in ACTION_IDS)


def test_procfile_runs_both_transports():
    lines = (ROOT / "Procfile").read_text(encoding="utf-8").splitlines()
    assert "web: invitation-bot serve" in lines
    assert "worker: invitation-bot socket" in lines
