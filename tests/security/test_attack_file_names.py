"""Attack: the name of a shared export is the uploader's to choose (Slack's API takes any file name). Everything the
bot writes around a triage that carries the name (the progress note in the thread, the action list's comment) must
be as inert as the answer itself: no <!channel> ping, no link of the uploader's making, in the bot's own voice."""

from __future__ import annotations

import itertools

import pytest
from secure_slack import BOUND, GUEST, INTERNAL, JSON, MERCHANT_TEAM, STAFF
from slackstub import BOT_USER, HOME_TEAM, event_body, mention_event, post

HOSTILE_NAME = "<!channel> <https://evil.example/login|Log in again to see the fixes>.csv"
MARKUP = ("<!channel>", "<https://evil.example")  # escaped, the same words are plain text
ROWS = "".join(f"kund{n}@example.se;Ej levererad – SPF-fel;2026-10-{1 + n % 28:02d} 08:15;ORDER-{n}\r\n"
               for n in range(3000))
EXPORT = ("Kundens e-post;Status;Skapad;Referensnummer\r\n" + ROWS).encode()


class Clock:
    """Three seconds pass between every two readings: every triage is a slow one, without waiting for it."""

    def __init__(self) -> None:
        self._ticks = itertools.count()

    def __call__(self) -> float:
        return 3.0 * next(self._ticks)


@pytest.fixture
def triage_app(make_app, stub, components):
    stub.users[STAFF] = {"id": STAFF, "team_id": HOME_TEAM, "locale": "en-GB"}
    stub.channels[BOUND] = {"id": BOUND, "is_ext_shared": True, "is_im": False}
    stub.channels[INTERNAL] = {"id": INTERNAL, "is_ext_shared": False, "is_im": False}
    running = make_app(components.assistant, components.access, triage=components.triage)
    running.bot.file_triage.clock = Clock()
    return running


def share(app, channel, user, user_team, event_id):
    shared = app.stub.share_file(EXPORT, HOSTILE_NAME)
    event = mention_event(f"<@{BOT_USER}> vad gör vi med de här?", user=user, channel=channel, user_team=user_team,
                          ts="1700004000.000100", subtype="file_share", files=[shared])
    assert post(app.events_url, event_body(event, event_id), JSON, secret=app.secret).status == 200
    app.stub.wait_calls("chat.postMessage")
    assert app.bot.wait_idle()


def mrkdwn(node) -> list[str]:
    """The texts of blocks that Slack reads as markup (plain_text never pings or links)."""
    if isinstance(node, dict):
        if node.get("type") == "mrkdwn":
            return [str(node.get("text", ""))]
        return [text for value in node.values() for text in mrkdwn(value)]
    if isinstance(node, list):
        return [text for value in node for text in mrkdwn(value)]
    return []


def texts_of(calls) -> list[str]:
    """Everything of these calls that Slack reads as message markup."""
    return [text for call in calls for text in
            [str(call.args.get("text", "")), str(call.args.get("initial_comment", "")),
             *mrkdwn(call.args.get("blocks") or [])]]


def test_a_file_name_cannot_ping_or_link_through_the_progress_note_in_a_shared_channel(triage_app):
    share(triage_app, BOUND, GUEST, MERCHANT_TEAM, "Atk-file-1")
    stub = triage_app.stub
    notes = [call for call in stub.calls_to("chat.postMessage") if "Reading" in str(call.args.get("text", ""))
             or "Läser" in str(call.args.get("text", ""))]
    assert notes, "the triage showed no progress note (the clock says every triage is slow)"
    for text in texts_of(stub.calls_to("chat.postMessage") + stub.calls_to("chat.update")):
        for markup in MARKUP:
            assert markup not in text, text[max(0, text.find(markup) - 300):text.find(markup) + 100]


def test_a_file_name_cannot_ping_or_link_through_the_action_lists_comment(triage_app):
    # A careless colleague shares the merchant's file in our own channel: the list is uploaded there.
    share(triage_app, INTERNAL, STAFF, HOME_TEAM, "Atk-file-2")
    (complete,) = triage_app.stub.calls_to("files.completeUploadExternal")
    assert complete.args.get("initial_comment")
    for markup in MARKUP:
        assert markup not in str(complete.args["initial_comment"])
