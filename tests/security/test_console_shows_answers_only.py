"""Promise 13: the console chat shows answers only; its warnings go to a log file (or, with --verbose, to the
terminal), never between the user's lines."""

from __future__ import annotations

from secure_cli import run_bot

GAP = "ORDER-10041 at nordic-shoes.example"  # an invitation whose status code the knowledge base lacks


def test_the_console_chat_shows_answers_only_and_logs_its_warnings_to_a_file(tmp_path):
    log = tmp_path / "state" / "invitation-bot" / "chat.log"
    result = run_bot("chat", "--lang", "en", env={"XDG_STATE_HOME": str(tmp_path / "state")},
                     stdin=f"{GAP}\nquit\n".encode())
    assert result.returncode == 0
    assert "delivery_deferred" in result.stdout.decode()  # the answer names the unknown code
    assert result.stderr == b""
    assert "unknown status code 'delivery_deferred'" in log.read_text(encoding="utf-8")


def test_the_console_chat_shows_warnings_with_verbose(tmp_path):
    result = run_bot("chat", "--lang", "en", "--verbose", env={"BOT_LOG_FILE": str(tmp_path / "chat.log")},
                     stdin=f"{GAP}\nquit\n".encode())
    assert result.returncode == 0
    assert "unknown status code 'delivery_deferred'" in result.stderr.decode()
    assert not (tmp_path / "chat.log").exists()
