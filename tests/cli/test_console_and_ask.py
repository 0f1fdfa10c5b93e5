"""The console chat and the one-shot commands, as a user runs them."""

import json
import os
import subprocess
import sys
from pathlib import Path

from bot.console import chat

ROOT = Path(__file__).resolve().parents[2]


def run_bot(*args: str, env: dict[str, str] | None = None, stdin: str | None = None):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "INVITATIONS_", "BOT_"))}
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=ROOT, env={**clean, **(env or {})},
                          input=stdin, capture_output=True, text=True, timeout=120)


def test_console_chat_answers_switches_language_and_quits(assistant):
    lines = iter(["Ej levererad – ogiltig mottagare", "/lang en", "Ej levererad – ogiltig mottagare", "quit",
                  "never read"])
    out: list[str] = []
    code = chat(assistant, language=None, fallback_language="sv", read=lambda _prompt: next(lines), write=out.append)
    assert code == 0
    answers = [o for o in out if "ogiltig mottagare" in o or "Invalid recipient" in o]
    assert "Nästa steg" in answers[0]
    assert "Language: en" in out
    assert "Next steps" in answers[1]


def test_console_chat_ends_cleanly_at_end_of_input(assistant):
    def read(_prompt: str) -> str:
        raise EOFError

    assert chat(assistant, language="en", fallback_language="sv", read=read, write=lambda _s: None) == 0


def test_ask_json_has_the_documented_shape():
    result = run_bot("ask", "--json", "Not delivered - SPF failure")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["query"] == "Not delivered - SPF failure"
    assert payload["status"] == "spf_failure"
    assert payload["language"] == "en"
    assert isinstance(payload["score"], float) and isinstance(payload["alternatives"], list)
    assert payload["text"].startswith("Not delivered - SPF failure")


def test_ask_uses_bot_language_when_the_text_does_not_tell():
    result = run_bot("ask", "--json", "spf_failure", env={"BOT_LANGUAGE": "en"})
    assert json.loads(result.stdout)["language"] == "en"


def test_bad_configuration_is_one_clear_line_per_problem_and_no_traceback():
    result = run_bot("ask", "hej", env={"BOT_LANGUAGE": "de", "PORT": "x"})
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 2
    assert "BOT_LANGUAGE" in result.stderr and "PORT" in result.stderr


def test_check_passes_on_the_bundled_data_and_lists_config_problems():
    ok = run_bot("check")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    bad = run_bot("check", env={"BOT_LANGUAGE": "fi", "BOT_ACCESS_FILE": "/nope.yaml"})
    assert bad.returncode == 1
    assert "configuration: BOT_LANGUAGE" in bad.stdout and "BOT_ACCESS_FILE" in bad.stdout


def test_chat_command_reads_stdin_until_the_end():
    result = run_bot("chat", "--lang", "en", stdin="Ej levererad – SPF-fel\n")
    assert result.returncode == 0, result.stderr
    assert "Not delivered - SPF failure" in result.stdout
