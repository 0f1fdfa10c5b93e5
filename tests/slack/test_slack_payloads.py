"""Reading Slack payloads: which messages are answered, their text and their thread."""

from __future__ import annotations

import pytest

from bot.slack.payloads import (
    is_answerable_message,
    message_text,
    reply_thread_ts,
    retry_num,
    slack_to_plain,
    strip_mention,
)


@pytest.mark.parametrize(("event", "expected"), [
    ({"user": "U1", "text": "hi"}, True),
    ({"user": "U1", "text": "hi", "subtype": "file_share"}, True),
    ({"user": "U1", "text": "hi", "subtype": "thread_broadcast"}, True),
    ({"user": "UBOT", "text": "hi"}, False),
    ({"user": "U1", "bot_id": "B2"}, False),
    ({"bot_id": "B2", "subtype": "bot_message"}, False),
    ({"user": "U1", "subtype": "message_changed"}, False),
    ({"user": "U1", "subtype": "message_replied"}, False),
    ({"user": "U1", "subtype": "channel_join"}, False),
    ({"text": "no user"}, False),
])
def test_is_answerable_message(event, expected):
    assert is_answerable_message(event, "UBOT", "BBOT") is expected


def test_reply_thread_ts_prefers_the_existing_thread():
    assert reply_thread_ts({"ts": "2.0", "thread_ts": "1.0"}) == "1.0"
    assert reply_thread_ts({"ts": "2.0"}) == "2.0"
    assert reply_thread_ts({}) is None


def test_strip_mention_removes_only_the_bots_mentions():
    assert strip_mention("<@UBOT> what is <@UOTHER> on about <@UBOT|bot>?", "UBOT") == "what is <@UOTHER> on about ?"
    assert strip_mention("  a   b ", None) == "a b"


def test_slack_to_plain():
    assert slack_to_plain("<mailto:a@b.se|a@b.se> at <http://shop.example|shop.example>") == "a@b.se at shop.example"
    assert slack_to_plain("<https://x.example/path>") == "https://x.example/path"
    assert slack_to_plain("<!here> and <!subteam^S1|@team>") == "@here and @team"
    assert slack_to_plain("a &lt; b &amp;&amp; c &gt; d") == "a < b && c > d"
    assert slack_to_plain("&amp;lt;") == "&lt;"  # decoded once, not twice


def test_message_text_falls_back_to_blocks_and_attachments():
    assert message_text({"text": "plain"}) == "plain"
    blocks = [{"type": "rich_text", "elements": [{"type": "rich_text_section",
                                                 "elements": [{"type": "text", "text": "SPF failure"}]}]},
              {"type": "section", "text": {"type": "mrkdwn", "text": "more"}}]
    assert message_text({"text": "", "blocks": blocks}) == "SPF failure\nmore"
    assert message_text({"attachments": [{"fallback": "from attachment"}]}) == "from attachment"


def test_retry_num():
    assert retry_num({"x-slack-retry-num": ["2"]}) == 2
    assert retry_num({"x-slack-retry-num": "1"}) == 1
    assert retry_num({}) == 0
    assert retry_num({"x-slack-retry-num": ["x"]}) == 0
