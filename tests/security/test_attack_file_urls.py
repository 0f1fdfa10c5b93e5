"""Attack: a shared file whose download address is not Slack's (a remote file an app added, or a file object
pointing elsewhere). The bot downloads with its own token, so the token must go to Slack's file host (or the one
host SLACK_API_URL names, at its own port) and nowhere else: not another host, not a look-alike host, not
credentials in the URL, not another port of the API's host."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from secure_slack import INTERNAL, JSON, STAFF
from slackstub import BOT_USER, HOME_TEAM, event_body, mention_event, post

EXPORT = b"Kundens e-post;Status\r\nanna@example.se;Ej levererad - SPF-fel\r\n"


@pytest.fixture
def evil():
    """A server on this machine that records the Authorization header of every request."""
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            seen.append(self.headers.get("Authorization") or "")
            self.send_response(200)
            self.send_header("Content-Type", "text/csv")
            self.send_header("Content-Length", str(len(EXPORT)))
            self.end_headers()
            self.wfile.write(EXPORT)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    server.seen = seen  # type: ignore[attr-defined]
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def triage_app(make_app, stub, components):
    stub.users[STAFF] = {"id": STAFF, "team_id": HOME_TEAM, "locale": "en-GB"}
    stub.channels[INTERNAL] = {"id": INTERNAL, "is_ext_shared": False, "is_im": False}
    return make_app(components.assistant, components.access, triage=components.triage)


@pytest.mark.parametrize("url", ["http://127.0.0.1:{port}/files/F1/export.csv",
                                 "http://localhost:{port}/files/F1/export.csv",
                                 "https://files.slack.com.evil.example/F1/export.csv",
                                 "https://xoxb@files.slack.com/F1/export.csv",
                                 "http://files.slack.com/F1/export.csv"],
                         ids=["another port of the API host", "localhost", "look-alike host", "credentials",
                              "plain http"])
def test_the_bots_token_goes_only_to_slacks_file_host(triage_app, stub, evil, url):
    target = url.format(port=evil.server_address[1])
    shared = {"id": "F0EVIL", "name": "export.csv", "title": "export.csv", "filetype": "csv", "mimetype": "text/csv",
              "size": len(EXPORT), "url_private": target, "url_private_download": target}
    event = mention_event(f"<@{BOT_USER}> vad gör vi med de här?", user=STAFF, channel=INTERNAL,
                          ts="1700006000.000100", subtype="file_share", files=[shared])
    assert post(triage_app.events_url, event_body(event, f"Atk-url-{abs(hash(url))}"), JSON,
                secret=triage_app.secret).status == 200
    (answer,) = stub.wait_calls("chat.postMessage")
    assert triage_app.bot.wait_idle()
    assert all("xoxb-test" not in header for header in evil.seen)  # type: ignore[attr-defined]
    assert "xoxb-test" not in target
    assert "download" in answer.args["text"] or "ladda ner" in answer.args["text"]
