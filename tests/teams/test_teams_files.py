"""An export sent to the bot in Teams, end to end: a message with the file's download info into the real app, the
download from the stand-in OneDrive, the answer card, the file consent card, and the person's accept or decline
(`fileConsent/invoke`) leading to the upload into the stand-in's upload session and the file card.

Access policy: our tenant is internal; the group chat is bound to Nordic Shoes."""

from __future__ import annotations

import csv
import io
import itertools
import json

import pytest
from cardcheck import card_texts, check_attachment
from connectorstub import (
    ALICE,
    BERTIL,
    GROUP_CHAT,
    GUEST,
    OUR_TENANT,
    StubConnector,
    channel_mention,
    file_consent,
    file_message,
    group_chat_mention,
    with_files,
)
from scripted_teams import RecordingAssistant

from bot.config import Settings, TeamsSettings
from bot.core.triage import TriageDesk
from bot.teams.consent import FILE_CONSENT_CARD, FILE_INFO_CARD
from bot.teams.pending import CONSENT_TTL_SECONDS, MemoryConsentStore
from bot.triage.reader import Limits

EXPORT = (
    "Kundens e-post;Status;Skapad;Skickad;Typ;Referensnummer\r\n"
    "anna@example.se;Ej levererad – SPF-fel;2026-10-01 08:15;;Tjänsteomdöme;ORDER-1\r\n"
    "bo@example.se;Levererad;2026-10-02 09:15;2026-10-02 09:25;Tjänsteomdöme;ORDER-2\r\n"
    "cia@example.se;Ej levererad – blockerad;2026-10-09 09:15;;Tjänsteomdöme;ORDER-3\r\n"
    "dan@example.se;Okänd sak för dan.d@example.se;2026-10-09 09:15;;Tjänsteomdöme;ORDER-4\r\n"
    "eva@example.se;Ej levererad – ogiltig mottagare;2026-10-10 09:15;;Tjänsteomdöme;=HYPERLINK(\"x\")\r\n"
).encode()
GONE = "This action list is no longer available"


def settings_for(stub: StubConnector, **options) -> Settings:
    """The app under test trusts the stand-in OneDrive as the one extra file host (TEAMS_FILES_URL)."""
    return Settings(language="sv", teams=TeamsSettings(tenant_id=OUR_TENANT, answer_threads=8,
                                                       files_url=stub.files_url), **options)


@pytest.fixture
def teams(make_teams, stub):
    return make_teams(settings_for(stub))


def posted(teams, activity, status=202):
    response = teams.post(activity)
    assert response.status == status, response.body
    assert teams.idle()
    return response


def cards_of(stub, content_type):
    return [(call, attachment) for call in stub.messages() for attachment in call.body.get("attachments") or []
            if attachment["contentType"] == content_type]


def answer_card(stub):
    """The one Adaptive Card answer in the chat: (call, texts)."""
    (found,) = cards_of(stub, "application/vnd.microsoft.card.adaptive")
    call, attachment = found
    return call, card_texts(check_attachment(attachment))


def _has_card(call, content_type) -> bool:
    body = call.body if isinstance(call.body, dict) else {}
    return any(attachment.get("contentType") == content_type for attachment in body.get("attachments") or [])


def consent_card(stub):
    (found,) = cards_of(stub, FILE_CONSENT_CARD)
    return found


def texts_posted(stub) -> list[str]:
    return [call.body["text"] for call in stub.messages() if call.body.get("text")]


def rows_of(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def send_export(teams, stub, content=EXPORT, name="export.csv", text="", **options):
    activity = file_message(stub.service_url, [stub.share_file(content, name)], text, **options)
    posted(teams, activity)
    return activity


# -- a file in a personal chat --------------------------------------------------------------------------------


def test_a_file_in_a_personal_chat_is_triaged_answered_as_a_card_and_offered_back_as_a_file(teams, stub):
    activity = send_export(teams, stub)
    (download,) = stub.downloads()
    assert download.token is None  # the download URL is signed for the file: the bot's token never goes with it
    call, texts = answer_card(stub)
    assert call.conversation == activity["conversation"]["id"] and call.reply_to == activity["id"]
    # A bare file is answered in the language of its labels, not Alice's English Teams.
    assert texts[0] == "Genomgång av export.csv: 3 av 5 inbjudningar levererades inte"
    assert any("Åtgärder som skulle rädda flest inbjudningar" in text for text in texts)
    assert any("Godkänn filen nedan" in text and "15 minuter" in text for text in texts)
    assert "dan.d@example.se" in json.dumps(call.body, ensure_ascii=False)  # staff, in private: unmasked
    # Then the consent card: name, size and an opaque id, nothing else.
    card_call, card = consent_card(stub)
    assert card_call.conversation == activity["conversation"]["id"]
    assert card["name"] == "atgardslista-export.csv"
    content = card["content"]
    assert content["description"] == "Åtgärdslista för export.csv"
    assert content["acceptContext"] == content["declineContext"]
    (list_id,) = content["acceptContext"].values()
    assert len(list_id) >= 20 and "export" not in list_id and ALICE not in list_id
    assert stub.upload_calls() == []

    info = stub.upload_info(card["name"])
    posted(teams, file_consent(activity, card, "accept", user=ALICE, upload_info=info), status=200)
    (upload,) = stub.upload_calls()
    assert upload.token is None
    (data,) = stub.uploads.values()
    assert len(data) == content["sizeInBytes"] and data.startswith(b"\xef\xbb\xbf")
    rows = rows_of(bytes(data))
    assert rows[0][:3] == ["E-post", "Namn", "Referensnummer"]
    assert [row[2] for row in rows[1:]] == ["ORDER-1", "'=HYPERLINK(\"x\")", "ORDER-3"]
    (info_call, file_card), = cards_of(stub, FILE_INFO_CARD)
    assert info_call.conversation == activity["conversation"]["id"]
    assert file_card["name"] == info["name"] and file_card["contentUrl"] == info["contentUrl"]
    assert file_card["content"] == {"uniqueId": info["uniqueId"], "fileType": "csv"}


def test_a_question_with_the_file_decides_the_language(teams, stub):
    send_export(teams, stub, name="oktober.csv", text="what should we do with these?")
    _call, texts = answer_card(stub)
    assert texts[0] == "Triage of oktober.csv: 3 of 5 invitations not delivered"
    _card_call, card = consent_card(stub)
    assert card["name"] == "action-list-oktober.csv" and card["content"]["description"] == "Action list for oktober.csv"


def test_declining_says_so_briefly_and_lets_the_list_go(teams, stub):
    activity = send_export(teams, stub)
    _call, card = consent_card(stub)
    posted(teams, file_consent(activity, card, "decline", user=ALICE), status=200)
    assert texts_posted(stub) == ["Okej, då skickar jag inte åtgärdslistan till dig."]
    # Accepting after declining finds nothing: the list was let go.
    posted(teams, file_consent(activity, card, "accept", user=ALICE, upload_info=stub.upload_info(card["name"])),
           status=200)
    assert stub.upload_calls() == [] and stub.uploads == {}
    assert GONE in texts_posted(stub)[-1]


def test_a_consent_from_anyone_but_the_uploader_is_refused_and_the_list_keeps_waiting(teams, stub):
    activity = send_export(teams, stub)
    _call, card = consent_card(stub)
    other = {**activity, "locale": "en-US"}
    posted(teams, file_consent(other, card, "accept", user=BERTIL, upload_info=stub.upload_info(card["name"])),
           status=200)
    elsewhere = {**activity, "conversation": {**activity["conversation"], "id": "a:1personal-somewhere-else"}}
    posted(teams, file_consent(elsewhere, card, "accept", user=ALICE, upload_info=stub.upload_info(card["name"])),
           status=200)
    posted(teams, file_consent(other, card, "decline", user=BERTIL), status=200)
    assert stub.upload_calls() == []
    assert texts_posted(stub) == ["Only the person who sent the file can accept its action list."] * 3
    # The uploader's own acceptance still works.
    posted(teams, file_consent(activity, card, "accept", user=ALICE, upload_info=stub.upload_info(card["name"])),
           status=200)
    assert len(stub.uploads) == 1 and cards_of(stub, FILE_INFO_CARD)


def test_an_acceptance_after_fifteen_minutes_finds_the_list_dropped(make_teams, stub):
    now = [1000.0]
    teams = make_teams(settings_for(stub), consents=MemoryConsentStore(clock=lambda: now[0]))
    activity = send_export(teams, stub)
    _call, card = consent_card(stub)
    now[0] += CONSENT_TTL_SECONDS + 1
    posted(teams, file_consent(activity, card, "accept", user=ALICE, upload_info=stub.upload_info(card["name"])),
           status=200)
    assert stub.upload_calls() == [] and not cards_of(stub, FILE_INFO_CARD)
    (text,) = texts_posted(stub)
    assert text.startswith(GONE) and "15 minutes" in text  # Alice's Teams speaks English


def test_a_consent_delivered_twice_uploads_once(teams, stub):
    activity = send_export(teams, stub)
    _call, card = consent_card(stub)
    invoke = file_consent(activity, card, "accept", user=ALICE, upload_info=stub.upload_info(card["name"]))
    posted(teams, invoke, status=200)
    posted(teams, invoke, status=200)
    assert len(stub.upload_calls()) == 1 and len(cards_of(stub, FILE_INFO_CARD)) == 1


# -- files the bot refuses ------------------------------------------------------------------------------------


@pytest.fixture
def elsewhere():
    other = StubConnector().start()
    yield other
    other.stop()


def test_a_file_on_a_host_that_is_not_microsofts_is_never_fetched(teams, stub, elsewhere):
    shared = elsewhere.share_file(EXPORT)  # a loopback port other than the one TEAMS_FILES_URL names
    posted(teams, file_message(stub.service_url, [shared]))
    _call, texts = answer_card(stub)
    assert texts[0] == "I could not download the file from Teams."  # Alice reads English
    assert elsewhere.downloads() == [] and stub.downloads() == []
    assert not cards_of(stub, FILE_CONSENT_CARD)


@pytest.mark.parametrize("url", [
    "https://contoso.sharepoint.com.evil.example/file.csv",
    "https://evilsharepoint.com/file.csv",
    "http://contoso.sharepoint.com/file.csv",
    "https://alice@contoso.sharepoint.com/file.csv",
    "file:///etc/passwd",
    "",
])
def test_download_urls_outside_the_file_hosts_are_refused_before_any_request(teams, stub, url):
    posted(teams, file_message(stub.service_url, [stub.share_file(EXPORT, download_url=url)]))
    _call, texts = answer_card(stub)
    assert texts[0] == "I could not download the file from Teams."
    assert stub.downloads() == []


def test_a_redirect_away_from_the_file_host_is_not_followed(teams, stub, elsewhere):
    target = elsewhere.share_file(EXPORT)["content"]["downloadUrl"]
    posted(teams, file_message(stub.service_url, [stub.share_file(EXPORT, redirect=target)]))
    _call, texts = answer_card(stub)
    assert texts[0] == "I could not download the file from Teams."
    assert len(stub.downloads()) == 1 and elsewhere.downloads() == []


def test_an_upload_url_that_is_not_microsofts_gets_nothing(teams, stub, elsewhere):
    activity = send_export(teams, stub)
    _call, card = consent_card(stub)
    info = elsewhere.upload_info(card["name"])
    posted(teams, file_consent(activity, card, "accept", user=ALICE, upload_info=info), status=200)
    assert elsewhere.upload_calls() == [] and stub.upload_calls() == []
    assert texts_posted(stub) == ["Jag kunde inte lägga åtgärdslistan i din OneDrive. Skicka exporten igen för att "
                                  "få en ny."]


def test_a_file_over_the_limit_by_its_declared_size_is_not_read(teams, stub):
    shared = stub.share_file(EXPORT, declared_size=60 * 1024 * 1024)
    posted(teams, file_message(stub.service_url, [shared]))
    _call, texts = answer_card(stub)
    assert texts[0] == "I could not triage export.csv"
    assert any("50 MB" in text for text in texts)
    assert not cards_of(stub, FILE_CONSENT_CARD)


def test_a_file_without_a_declared_size_is_stopped_at_the_limit_while_streaming(make_teams, stub, components):
    rows = "".join(f"p{i}@example.se;Ej levererad – SPF-fel;2026-10-01 08:15;;Tjänst;R{i}\r\n" for i in range(30_000))
    content = b"Kundens e-post;Status;Skapad;Skickad;Typ;Referensnummer\r\n" + rows.encode()
    assert len(content) > 1024 * 1024
    small = TriageDesk(components.kb, components.matcher.match, Limits(max_bytes=1024 * 1024))
    teams = make_teams(settings_for(stub), triage=small)
    posted(teams, file_message(stub.service_url, [stub.share_file(content, send_length=False)], "hur gick det?"))
    _call, texts = answer_card(stub)
    assert texts[0] == "Jag kunde inte gå igenom export.csv"
    assert any("1 MB" in text for text in texts)
    assert not cards_of(stub, FILE_CONSENT_CARD)


@pytest.mark.parametrize(("content", "name", "says"), [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + bytes(range(256)) * 4, "export.pdf", "This is not a text file"),
    (b"PK\x03\x04[Content_Types].xml" + bytes(300), "export.xlsx", "CSV UTF-8"),
    (b"", "export.csv", "The file is empty"),
])
def test_a_file_that_is_not_a_csv_gets_one_sentence_of_what_to_send_instead(teams, stub, content, name, says):
    posted(teams, file_message(stub.service_url, [stub.share_file(content, name)]))
    _call, texts = answer_card(stub)
    assert texts[0] == f"I could not triage {name}"
    assert any(says in text for text in texts)
    assert not cards_of(stub, FILE_CONSENT_CARD)


def test_a_download_the_file_host_refuses_is_said_plainly(teams, stub):
    posted(teams, file_message(stub.service_url, [stub.share_file(EXPORT, status=403)]))
    _call, texts = answer_card(stub)
    assert texts == ["I could not download the file from Teams.",
                     "Send it again in a moment; if it keeps failing, tell support."]


def test_a_sign_in_page_instead_of_the_file_is_refused(teams, stub):
    page = stub.share_file(b"<!DOCTYPE html><html><body>Sign in</body></html>", content_type="text/html")
    posted(teams, file_message(stub.service_url, [page]))
    _call, texts = answer_card(stub)
    assert texts[0] == "I could not download the file from Teams."


# -- where and what -------------------------------------------------------------------------------------------


def test_a_guest_in_a_personal_chat_sees_the_answer_masked_and_gets_their_own_list_whole(teams, stub):
    activity = send_export(teams, stub, user=GUEST)
    call, _texts = answer_card(stub)
    shown = json.dumps(call.body, ensure_ascii=False)
    assert "dan.d@example.se" not in shown and "d***@example.se" in shown
    _card_call, card = consent_card(stub)
    posted(teams, file_consent(activity, card, "accept", user=GUEST, upload_info=stub.upload_info(card["name"])),
           status=200)
    (data,) = stub.uploads.values()
    assert rows_of(bytes(data))[1][0] == "anna@example.se"


def test_a_file_in_a_channel_gets_a_pointer_to_the_personal_chat_in_the_askers_language(teams, stub):
    post = channel_mention(stub.service_url, "vad ska vi göra med de här?", locale="en-US")
    reference = {"contentType": "reference", "name": "export.csv",
                 "contentUrl": "https://contoso.sharepoint.com/sites/Support/Shared Documents/General/export.csv"}
    posted(teams, with_files(post, [reference]))
    (call,) = stub.messages()
    assert call.body["text"] == ("Jag kan bara läsa filer som skickas till mig i en personlig chatt. Öppna en "
                                 "chatt med mig och skicka filen där.")
    assert call.conversation.startswith(post["conversation"]["id"].split(";")[0])
    assert stub.downloads() == []


def test_a_file_in_a_group_chat_that_teams_shows_only_in_the_html_gets_the_same_pointer(teams, stub):
    stub.rosters[GROUP_CHAT] = [ALICE, BERTIL]
    post = group_chat_mention(stub.service_url, "what about this export?")
    post["attachments"] = [{"contentType": "text/html",
                            "content": '<p><at>invitation-bot</at> what about this export?</p>'
                                       '<attachment id="2b7a1c3d-0000-4000-8000-000000000001"></attachment>'}]
    posted(teams, post)
    (call,) = stub.messages()
    assert call.body["text"].startswith("I can only read files sent to me in a personal chat.")


def test_a_channel_question_without_a_file_is_answered_as_before(make_teams, stub):
    assistant = RecordingAssistant()
    teams = make_teams(settings_for(stub), assistant=assistant)
    post = channel_mention(stub.service_url, "Ej levererad – SPF-fel")
    post["attachments"] = [{"contentType": "text/html", "content": "<p><at>invitation-bot</at> Ej levererad</p>"}]
    posted(teams, post)
    assert [question.text for question in assistant.questions] == ["Ej levererad – SPF-fel"]


def test_a_screenshot_with_a_question_is_answered_as_a_question(make_teams, stub):
    assistant = RecordingAssistant()
    teams = make_teams(settings_for(stub), assistant=assistant)
    shot = stub.share_file(b"\x89PNG\r\n\x1a\n" + bytes(64), "screenshot.png")
    posted(teams, file_message(stub.service_url, [shot], "what does this status mean?"))
    assert [question.text for question in assistant.questions] == ["what does this status mean?"]
    assert stub.downloads() == []


def test_a_long_triage_shows_one_reading_note_that_becomes_the_answer(teams, stub):
    rows = "".join(f"p{i}@example.se;Ej levererad – SPF-fel;2026-10-01 08:15;;Tjänst;R{i}\r\n" for i in range(12_000))
    content = b"Kundens e-post;Status;Skapad;Skickad;Typ;Referensnummer\r\n" + rows.encode()
    # Every look at the clock is three seconds later: the note is due at once and may change every time.
    ticks = itertools.count(0.0, 3.0)
    teams.bot.agent.files.clock = lambda: next(ticks)
    send_export(teams, stub, content=content)
    (note,) = [call for call in stub.messages() if call.body.get("text")]
    assert note.body["text"].startswith("Läser export.csv…")
    updates = stub.updates()
    assert len(updates) >= 2 and {update.activity_id for update in updates} == {note.posted_id}
    (last,) = updates[-1].body["attachments"]
    assert card_texts(check_attachment(last))[0] == "Genomgång av export.csv: 12 000 av 12 000 inbjudningar " \
                                                    "levererades inte"
    # The answer took the note's place; the consent card follows it.
    assert not cards_of(stub, "application/vnd.microsoft.card.adaptive")
    _call, card = consent_card(stub)
    assert card["content"]["sizeInBytes"] > len(content) // 2


def test_with_redis_the_acceptance_may_reach_another_instance(make_teams, stub, redis_url):
    first = make_teams(settings_for(stub, redis_url=redis_url))
    second = make_teams(settings_for(stub, redis_url=redis_url))
    # Both instances share the Redis work queue, so either may take each turn: wait on what reaches
    # the connector rather than on one instance going idle.
    activity = file_message(stub.service_url, [stub.share_file(EXPORT, "export.csv")], "")
    assert first.post(activity).status == 202
    stub.wait_for(lambda call: _has_card(call, FILE_CONSENT_CARD))
    _call, card = consent_card(stub)
    accept = file_consent(activity, card, "accept", user=ALICE, upload_info=stub.upload_info(card["name"]))
    assert second.post(accept).status == 200
    stub.wait_for(lambda call: _has_card(call, FILE_INFO_CARD))
    (data,) = stub.uploads.values()
    assert len(data) == card["content"]["sizeInBytes"] and cards_of(stub, FILE_INFO_CARD)
