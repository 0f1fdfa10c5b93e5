"""An export shared with the bot, end to end: a signed file-share event in, the download from the stand-in Slack,
the answer in the thread and the action list uploaded (privately where others read along)."""

from __future__ import annotations

import csv
import io
import itertools
import json

import pytest
from scripted import ScriptedAssistant
from slackstub import BOT_USER, HOME_TEAM, dm_event, event_body, mention_event, post

from bot.core.triage import TriageDesk
from bot.matching.matcher import Matcher

JSON = "application/json"
EXPORT = (
    "Kundens e-post;Status;Skapad;Skickad;Typ;Referensnummer\r\n"
    "anna@example.se;Ej levererad – SPF-fel;2026-10-01 08:15;;Tjänsteomdöme;ORDER-1\r\n"
    "bo@example.se;Levererad;2026-10-02 09:15;2026-10-02 09:25;Tjänsteomdöme;ORDER-2\r\n"
    "cia@example.se;Ej levererad – blockerad;2026-10-09 09:15;;Tjänsteomdöme;ORDER-3\r\n"
    "dan@example.se;Okänd sak för dan.d@example.se;2026-10-09 09:15;;Tjänsteomdöme;ORDER-4\r\n"
    "eva@example.se;Ej levererad – ogiltig mottagare;2026-10-10 09:15;;Tjänsteomdöme;=HYPERLINK(\"x\")\r\n"
).encode()


@pytest.fixture(scope="module")
def desk(kb):
    matcher = Matcher(kb)
    return TriageDesk(kb, matcher.match)


@pytest.fixture
def assistant():
    return ScriptedAssistant()


@pytest.fixture
def app(make_app, stub, assistant, desk):
    stub.users["U0ALICE"] = {"id": "U0ALICE", "team_id": HOME_TEAM, "locale": "en-US"}
    return make_app(assistant, triage=desk)


def send(app, event, event_id, *, ext_shared=False):
    response = post(app.events_url, event_body(event, event_id, ext_shared=ext_shared), JSON, secret=app.secret)
    assert response.status == 200, response.body
    return response


def file_dm(stub, content=EXPORT, name="export.csv", text="", **file_options):
    shared = stub.share_file(content, name, **file_options)
    return dm_event(text, subtype="file_share", files=[shared], ts="1700000200.000100"), shared


def uploaded_rows(stub):
    (file_id, data), = stub.uploads.items()
    return file_id, list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def all_text(call) -> str:
    return call.args.get("text", "") + json.dumps(call.args.get("blocks") or [], ensure_ascii=False)


def test_a_file_in_a_direct_message_is_triaged_answered_in_its_thread_and_the_action_list_uploaded(app, assistant):
    event, shared = file_dm(app.stub)
    send(app, event, "EvF1")
    complete = app.stub.wait_calls("files.completeUploadExternal")[0]
    assert app.bot.wait_idle()
    (download,) = app.stub.calls_to(f"download:{shared['id']}")
    assert download.args["authorization"] == "Bearer xoxb-test"
    (answer,) = app.stub.calls_to("chat.postMessage")
    assert answer.args["channel"] == "D0ALICE" and answer.args["thread_ts"] == "1700000200.000100"
    # A bare file is answered in the language of its labels, not the person's English Slack.
    assert answer.args["text"].startswith("Genomgång av export.csv: 3 av 5 inbjudningar levererades inte")
    assert "Åtgärder som skulle rädda flest inbjudningar" in all_text(answer)
    assert "Okänd status" in all_text(answer)
    # The action list, in the same thread.
    ticket = app.stub.calls_to("files.getUploadURLExternal")[0]
    assert ticket.args["filename"] == "atgardslista-export.csv"
    assert complete.args["channel_id"] == "D0ALICE" and complete.args["thread_ts"] == "1700000200.000100"
    file_id, rows = uploaded_rows(app.stub)
    assert json.loads(complete.args["files"])[0]["id"] == file_id
    assert int(ticket.args["length"]) == len(app.stub.uploads[file_id])
    assert rows[0][:3] == ["E-post", "Namn", "Referensnummer"]
    assert [row[2] for row in rows[1:]] == ["ORDER-1", "'=HYPERLINK(\"x\")", "ORDER-3"]
    assert app.stub.uploads[file_id].startswith(b"\xef\xbb\xbf")
    assert assistant.questions == []  # the file was the question


def test_a_mention_with_a_file_and_a_question_in_a_channel_answers_in_the_asked_language(app):
    shared = app.stub.share_file(EXPORT, "oktober.csv")
    event = mention_event(f"<@{BOT_USER}> what should we do with these?", files=[shared], ts="1700000201.000100")
    send(app, event, "EvF2")
    complete = app.stub.wait_calls("files.completeUploadExternal")[0]
    (answer,) = app.stub.calls_to("chat.postMessage")
    assert answer.args["channel"] == "C0GENERAL" and answer.args["thread_ts"] == "1700000201.000100"
    assert answer.args["text"].startswith("Triage of oktober.csv: 3 of 5 invitations not delivered")
    assert complete.args["channel_id"] == "C0GENERAL"
    _file_id, rows = uploaded_rows(app.stub)
    assert rows[0][4] == "What to do" and rows[1][5] == "yes"
    assert app.stub.calls_to("conversations.open") == []


def test_in_a_shared_channel_the_message_is_masked_and_the_action_list_goes_to_the_uploader_alone(app):
    shared = app.stub.share_file(EXPORT, "export for anna@example.se.csv")
    event = mention_event(f"<@{BOT_USER}> vad ska vi göra med de här?", files=[shared], ts="1700000202.000100")
    send(app, event, "EvF3", ext_shared=True)
    complete = app.stub.wait_calls("files.completeUploadExternal")[0]
    assert app.bot.wait_idle()
    (opened,) = app.stub.calls_to("conversations.open")
    assert opened.args["users"] == "U0ALICE"
    assert complete.args["channel_id"] == "D0ALICE" and "thread_ts" not in complete.args
    (answer,) = app.stub.calls_to("chat.postMessage")
    assert answer.args["channel"] == "C0GENERAL"
    text = all_text(answer)
    assert "anna@example.se" not in text and "a***@example.se" in text
    assert "dan.d@example.se" not in text and "d***@example.se" in text
    assert "i ett direktmeddelande" in text
    _file_id, rows = uploaded_rows(app.stub)
    assert rows[1][0] == "anna@example.se"  # the uploader's own list, in private: complete


def test_when_the_uploader_cannot_be_written_to_privately_nothing_is_posted_in_the_shared_channel(app):
    app.stub.errors["conversations.open"] = "cannot_dm_bot"
    shared = app.stub.share_file(EXPORT)
    send(app, mention_event(f"<@{BOT_USER}>", files=[shared], ts="1700000203.000100"), "EvF4", ext_shared=True)
    (answer,) = app.stub.wait_calls("chat.postMessage")
    assert app.bot.wait_idle()
    assert app.stub.calls_to("files.getUploadURLExternal") == [] and app.stub.uploads == {}
    assert "Skriv till mig i ett direktmeddelande" in all_text(answer)


def test_a_file_event_with_only_the_id_is_completed_by_files_info(app):
    shared = app.stub.share_file(EXPORT)
    event = dm_event("", subtype="file_share", files=[{"id": shared["id"], "file_access": "check_file_info"}],
                     ts="1700000204.000100")
    send(app, event, "EvF5")
    app.stub.wait_calls("files.completeUploadExternal")
    assert [call.args["file"] for call in app.stub.calls_to("files.info")] == [shared["id"]]
    assert app.stub.calls_to(f"download:{shared['id']}")


def test_a_file_over_the_limit_by_slacks_word_is_never_downloaded(app):
    event, shared = file_dm(app.stub, size=60 * 1024 * 1024)
    send(app, event, "EvF6")
    (answer,) = app.stub.wait_calls("chat.postMessage")
    assert app.bot.wait_idle()
    assert app.stub.calls_to(f"download:{shared['id']}") == []
    assert "50 MB" in answer.args["text"]
    assert app.stub.uploads == {}


def test_a_file_on_another_host_is_never_fetched_and_the_token_never_leaves_slack(app):
    event, _shared = file_dm(app.stub, url="https://files.evil.example/export.csv")
    send(app, event, "EvF7")
    (answer,) = app.stub.wait_calls("chat.postMessage")
    assert app.bot.wait_idle()
    assert answer.args["text"].startswith("I could not download the file from Slack")  # Alice reads English
    assert not any(call.method.startswith("download:") for call in app.stub.calls)


def test_a_download_slack_refuses_is_said_plainly(app):
    app.stub.file_token = "xoxb-other"  # Slack answers with its sign-in page
    event, shared = file_dm(app.stub)
    send(app, event, "EvF8")
    (answer,) = app.stub.wait_calls("chat.postMessage")
    assert app.stub.calls_to(f"download:{shared['id']}")
    assert "download the file from Slack" in answer.args["text"]
    assert app.stub.uploads == {}


def test_a_workbook_gets_the_sentence_of_what_to_upload_instead(app):
    event, _shared = file_dm(app.stub, content=b"PK\x03\x04[Content_Types].xml" + bytes(300), name="export.xlsx",
                             filetype="xlsx", text="what about this one?")
    send(app, event, "EvF9")
    (answer,) = app.stub.wait_calls("chat.postMessage")
    assert app.bot.wait_idle()
    assert "CSV UTF-8" in answer.args["text"] and answer.args["text"].startswith("I could not triage export.xlsx")
    assert app.stub.calls_to("files.getUploadURLExternal") == []


def test_an_image_with_a_question_is_answered_as_a_question(app, assistant):
    shared = app.stub.share_file(b"\x89PNG\r\n\x1a\n", "screenshot.png", filetype="png")
    send(app, dm_event("what does this status mean?", subtype="file_share", files=[shared],
                       ts="1700000205.000100"), "EvF10")
    app.stub.wait_calls("chat.postMessage")
    assert app.bot.wait_idle()
    assert [question.text for question in assistant.questions] == ["what does this status mean?"]
    assert app.stub.calls_to(f"download:{shared['id']}") == []


def test_a_long_triage_shows_one_progress_note_that_becomes_the_answer(app):
    rows = "".join(f"p{i}@example.se;Ej levererad – SPF-fel;2026-10-01 08:15;;Tjänst;R{i}\r\n" for i in range(12_000))
    content = b"Kundens e-post;Status;Skapad;Skickad;Typ;Referensnummer\r\n" + rows.encode()
    # Every look at the clock is three seconds later: the note is due at once and may change every time.
    ticks = itertools.count(0.0, 3.0)
    app.bot.file_triage.clock = lambda: next(ticks)
    event, _shared = file_dm(app.stub, content=content)
    send(app, event, "EvF11")
    app.stub.wait_calls("files.completeUploadExternal")
    assert app.bot.wait_idle()
    (note,) = app.stub.calls_to("chat.postMessage")
    assert note.args["text"].startswith("Läser export.csv…")
    updates = app.stub.calls_to("chat.update")
    assert len(updates) >= 2
    assert len({update.args["ts"] for update in updates}) == 1  # one note, edited
    assert updates[-1].args["text"].startswith("Genomgång av export.csv: 12") and updates[-1].args["blocks"]
    _file_id, written = uploaded_rows(app.stub)
    assert len(written) == 12_001
