"""Reply -> Slack Block Kit message (blocks plus a plain-text fallback), within Slack's limits."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from bot.core.models import Reply, ReplyKind, Section
from bot.i18n.catalog import gettext_for
from bot.render.text import render_text

# Slack's published limits for one message.
MAX_BLOCKS = 50
MAX_SECTION_TEXT = 3000
MAX_HEADER_TEXT = 150
MAX_BUTTON_VALUE = 2000
MAX_FALLBACK_TEXT = 3000
# How much of the question is echoed above an answer that others did not see asked.
MAX_ECHO_CHARS = 300
# Next steps shown before the "show all steps" button.
STEPS_SHOWN = 3

ACTION_SWITCH_LANGUAGE = "invitation_switch_language"
ACTION_SHOW_ALL_STEPS = "invitation_show_all_steps"
ACTION_SHARE = "invitation_share"
# "Did you mean …?": explains the offered status (its id is the question the button asks).
ACTION_EXPLAIN_STATUS = "invitation_explain_status"
ACTION_IDS = (ACTION_SWITCH_LANGUAGE, ACTION_SHOW_ALL_STEPS, ACTION_SHARE, ACTION_EXPLAIN_STATUS)
# Slack allows 25 elements in an actions block; a reply offers at most a handful.
MAX_OFFERS = 5

Block = dict[str, Any]

_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,30}$")
_ELLIPSIS = "…"


def escape_mrkdwn(text: str) -> str:
    """Make text inert in mrkdwn: no <!channel>, <!here>, <@U…> pings, no links from input."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + _ELLIPSIS


def _cut_escaped(text: str, limit: int) -> str:
    """Escape, then shorten without leaving half an entity (&am…) at the end."""
    escaped = escape_mrkdwn(text)
    if len(escaped) <= limit:
        return escaped
    cut = escaped[: limit - 1]
    amp = cut.rfind("&")
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]
    return cut.rstrip() + _ELLIPSIS


@dataclass(frozen=True)
class ActionValue:
    """What a button carries, so that a click can ask the same question again.

    Slack caps a button value at 2,000 characters: a longer question is cut to
    fit (the brain itself reads only the first few thousand characters).
    """

    question: str
    language: str
    full: bool = False
    # Where a shared answer goes (the thread of the message a shortcut was used on).
    thread_ts: str | None = None
    # The user who shared the answer into the channel, shown again after a language switch.
    shared_by: str | None = None

    def _json(self, question: str) -> str:
        raw: dict[str, Any] = {"q": question, "l": self.language}
        if self.full:
            raw["f"] = 1
        if self.thread_ts:
            raw["t"] = self.thread_ts
        if self.shared_by:
            raw["s"] = self.shared_by
        return json.dumps(raw, ensure_ascii=False, separators=(",", ":"))

    def encode(self) -> str:
        encoded = self._json(self.question)
        if len(encoded) <= MAX_BUTTON_VALUE:
            return encoded
        # JSON escaping can lengthen a character (quotes, control characters): search the longest prefix that fits.
        low, high = 0, len(self.question)
        while low < high:
            middle = (low + high + 1) // 2
            if len(self._json(self.question[:middle])) <= MAX_BUTTON_VALUE:
                low = middle
            else:
                high = middle - 1
        return self._json(self.question[:low])

    @classmethod
    def decode(cls, raw: str | None) -> ActionValue | None:
        """None for anything that is not a value this module wrote."""
        try:
            data = json.loads(raw or "")
        except ValueError:
            return None
        if not isinstance(data, dict) or not isinstance(data.get("q"), str) or data.get("l") not in ("sv", "en"):
            return None
        thread_ts, shared_by = data.get("t"), data.get("s")
        return cls(
            question=data["q"],
            language=data["l"],
            full=bool(data.get("f")),
            thread_ts=thread_ts if isinstance(thread_ts, str) else None,
            shared_by=shared_by if isinstance(shared_by, str) and _USER_ID.match(shared_by) else None,
        )


@dataclass(frozen=True)
class RenderOptions:
    # Show every next step (after "show all steps").
    full: bool = False
    # An ephemeral answer: offer a button that posts it for everyone.
    shareable: bool = False
    # Repeat the question above the answer (nobody else saw it asked: slash command, shared answer).
    echo_question: bool = False
    thread_ts: str | None = None
    shared_by: str | None = None


@dataclass(frozen=True)
class SlackMessage:
    text: str
    blocks: list[Block] = field(default_factory=list)

    def as_kwargs(self) -> dict[str, Any]:
        return {"text": self.text, "blocks": self.blocks} if self.blocks else {"text": self.text}


def _mrkdwn_section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def _title_block(title: str) -> Block:
    if len(title) <= MAX_HEADER_TEXT:
        return {"type": "header", "text": {"type": "plain_text", "text": title, "emoji": True}}
    # A sentence too long for a header is still the title: show it bold instead of cutting it.
    return _mrkdwn_section(f"*{_cut_escaped(title, MAX_SECTION_TEXT - 2)}*")


def _chunks(lines: list[str], limit: int = MAX_SECTION_TEXT) -> list[str]:
    """Join lines into texts of at most `limit` characters; a single overlong line is cut."""
    chunks: list[str] = []
    current = ""
    for line in lines:
        line = _cut(line, limit)
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) <= limit:
            current = candidate
        else:
            chunks.append(current)
            current = line
    if current:
        chunks.append(current)
    return chunks


def _section_blocks(section: Section, language: str, full: bool) -> tuple[list[Block], bool]:
    """The blocks of one reply section, and whether some of its items were held back."""
    _ = gettext_for(language)
    lines: list[str] = []
    if section.heading:
        lines.append(f"*{escape_mrkdwn(section.heading)}*")
    if section.text:
        lines.extend(escape_mrkdwn(section.text).split("\n"))
    items = section.items
    hidden = 0
    if section.collapsible and not full and len(items) > STEPS_SHOWN:
        hidden = len(items) - STEPS_SHOWN
        items = items[:STEPS_SHOWN]
    for number, item in enumerate(items, start=1):
        marker = f"{number}." if section.collapsible else "•"
        lines.append(f"{marker} {escape_mrkdwn(item)}")
    blocks = [_mrkdwn_section(chunk) for chunk in _chunks(lines)]
    if hidden:
        shown_note = _("Showing %(shown)s of %(total)s steps.") % {"shown": STEPS_SHOWN, "total": len(section.items)}
        blocks.append(_context(escape_mrkdwn(shown_note)))
    return blocks, bool(hidden)


def _button(text: str, action_id: str, value: ActionValue, *, primary: bool = False) -> Block:
    button: Block = {
        "type": "button",
        "text": {"type": "plain_text", "text": _cut(text, 75), "emoji": True},
        "action_id": action_id,
        "value": value.encode(),
    }
    if primary:
        button["style"] = "primary"
    return button


def _buttons(reply: Reply, options: RenderOptions, steps_hidden: bool) -> list[Block]:
    _ = gettext_for(reply.language)
    if not reply.question.strip() or reply.kind is ReplyKind.ERROR:
        return []

    def value(language: str, full: bool) -> ActionValue:
        return ActionValue(reply.question, language, full, options.thread_ts, options.shared_by)

    buttons: list[Block] = []
    if steps_hidden:
        buttons.append(_button(_("Show all steps"), ACTION_SHOW_ALL_STEPS, value(reply.language, True)))
    other = "en" if reply.language == "sv" else "sv"
    label = _("Show in English") if other == "en" else _("Show in Swedish")
    buttons.append(_button(label, ACTION_SWITCH_LANGUAGE, value(other, options.full)))
    if options.shareable:
        buttons.append(_button(_("Share in channel"), ACTION_SHARE, value(reply.language, options.full), primary=True))
    return buttons


def _offer_blocks(reply: Reply, options: RenderOptions) -> list[Block]:
    """A button per offered status; a click asks for that status by its id, with the clicker's own rights."""
    if not reply.offers or reply.kind is ReplyKind.ERROR:
        return []
    _ = gettext_for(reply.language)
    heading = reply.offers_heading or _("Did you mean one of these?")
    buttons = [
        {**_button(offer.label, ACTION_EXPLAIN_STATUS, ActionValue(offer.status, reply.language,
                                                                   thread_ts=options.thread_ts)),
         "action_id": f"{ACTION_EXPLAIN_STATUS}:{number}"}
        for number, offer in enumerate(reply.offers[:MAX_OFFERS])
    ]
    return [_context(escape_mrkdwn(heading)), {"type": "actions", "elements": buttons}]


def fallback_text(reply: Reply) -> str:
    """The plain `text` of a message: notifications, screen readers, clients without blocks."""
    return _cut_escaped(render_text(reply).rstrip(), MAX_FALLBACK_TEXT)


def render_blocks(reply: Reply, options: RenderOptions | None = None) -> list[Block]:
    options = options or RenderOptions()
    _ = gettext_for(reply.language)
    blocks: list[Block] = [_title_block(reply.title)]
    if options.shared_by and _USER_ID.match(options.shared_by):
        # Only our own mention of a validated user id goes in unescaped.
        blocks.append(_context(escape_mrkdwn(_("Shared by %(user)s")) % {"user": f"<@{options.shared_by}>"}))
    if options.echo_question and reply.question.strip():
        asked = _cut(" ".join(reply.question.split()), MAX_ECHO_CHARS)
        blocks.append(_context(_cut_escaped(_("You asked: %(question)s") % {"question": asked}, MAX_SECTION_TEXT)))
    for notice in reply.notices:
        blocks.append(_context(f":warning: {_cut_escaped(notice, MAX_SECTION_TEXT - 12)}"))
    steps_hidden = False
    for section in reply.sections:
        section_blocks, hidden = _section_blocks(section, reply.language, options.full)
        blocks.extend(section_blocks)
        steps_hidden = steps_hidden or hidden
    buttons = _buttons(reply, options, steps_hidden)
    offered = _offer_blocks(reply, options)
    room = MAX_BLOCKS - (1 if buttons else 0) - len(offered)
    if len(blocks) > room:
        blocks = blocks[: room - 1]
        blocks.append(_context(escape_mrkdwn(_("The answer was shortened to fit in one Slack message."))))
    blocks.extend(offered)
    if buttons:
        blocks.append({"type": "actions", "elements": buttons})
    return blocks


def render_message(reply: Reply, options: RenderOptions | None = None) -> SlackMessage:
    return SlackMessage(text=fallback_text(reply), blocks=render_blocks(reply, options))
