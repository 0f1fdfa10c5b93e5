"""Promise 5: what the bot shows reads as what it says. Bidi controls and zero-width characters from the asker or
the API never reach Slack, Microsoft Teams or the terminal, and the command line never prints a terminal escape
sequence."""

from __future__ import annotations

import json

import pytest
from cardcheck import card_texts, check_attachment
from connectorstub import ALICE, channel_mention, message_action, personal_message
from secure_cli import run_bot
from secure_slack import FORM, INTERNAL, everything, mention, staff
from secure_teams import all_sent, ask, texts
from slackstub import command_body, post

# ORDER-10029 in the sandbox: "550 5.7.1 Message rejected <RLO>gnp.exe<PDF> by po<ZWSP>licy<ESC>[2J<ESC>]0;pwned<BEL>"
REFERENCE = "ORDER-10029"
HIDDEN = ("\u202e", "\u202c", "\u200b", "\x1b", "\x07", "pwned")


def assert_clean(text: str) -> None:
    for hidden in HIDDEN:
        assert hidden not in text, f"{hidden!r} got through"


def test_api_text_reaches_slack_without_hidden_characters(app):
    reply = mention(app, f"{REFERENCE} at nordic-shoes.example", "Sec5-api", channel=INTERNAL, **staff())
    shown = everything(reply)
    assert "Message rejected gnp.exe by policy" in shown
    assert_clean(shown)


def test_the_askers_echoed_words_lose_their_hidden_characters(app, stub):
    text = "what does \u202eeruliaf FPS\u202c - Not delivered - SPF fail\u200bure mean?"
    post(app.events_url, command_body(text, stub.response_url("sec5-echo"), channel=INTERNAL), FORM,
         secret=app.secret)
    (answer,) = stub.wait_calls("response:sec5-echo")
    shown = everything(answer)
    assert "eruliaf FPS - Not delivered - SPF failure" in shown
    assert_clean(shown)


@pytest.mark.parametrize("args", [
    ("find", "--reference", REFERENCE, "--business-unit", "nordic-shoes.example"),
    ("find", "--reference", REFERENCE, "--business-unit", "nordic-shoes.example", "--json"),
    ("ask", f"{REFERENCE} at nordic-shoes.example"),
    ("ask", "--json", f"{REFERENCE} at nordic-shoes.example"),
], ids=["find", "find --json", "ask", "ask --json"])
def test_the_command_line_never_prints_escape_sequences_from_the_api(args):
    result = run_bot(*args, "--lang", "en")
    assert result.returncode == 0, result.stderr
    output = result.stdout.decode() + result.stderr.decode()
    assert_clean(output)
    text = json.loads(result.stdout)["text"] if "--json" in args else output
    assert "Message rejected gnp.exe by policy" in text


def test_the_console_chat_shows_api_text_without_hidden_characters():
    result = run_bot("chat", "--lang", "en", stdin=f"{REFERENCE} at nordic-shoes.example\nquit\n".encode())
    assert result.returncode == 0
    assert_clean(result.stdout.decode())


# -- Microsoft Teams: cards, their summaries and fallback texts, and dialogs -------------------------------------

def test_teams_api_text_reaches_the_card_without_hidden_characters(teams, connector):
    card = ask(teams, connector, personal_message(connector.service_url, f"{REFERENCE} at nordic-shoes.example",
                                                  user=ALICE))
    assert "Message rejected gnp.exe by policy" in texts(card)
    assert_clean(all_sent(connector))
    assert "\u200d" not in all_sent(connector)


def test_teams_the_askers_echoed_words_lose_their_hidden_characters(teams, connector):
    where = channel_mention(connector.service_url, "x", user=ALICE)
    html = "<p>what does \u202eeruliaf FPS\u202c - Not delivered - SPF fail\u200bure\u200d mean?</p>"
    response = teams.post(message_action(where, html, user=ALICE))
    assert response.status == 200
    echoed = card_texts(check_attachment(response.body["task"]["value"]["card"]))
    assert any("eruliaf FPS - Not delivered - SPF failure mean?" in text for text in echoed)
    shown = json.dumps(response.body, ensure_ascii=False)
    assert_clean(shown)
    assert "\u200d" not in shown
