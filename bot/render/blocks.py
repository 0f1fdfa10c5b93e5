"""Reply -> Slack Block Kit message (blocks plus a plain-text fallback), within Slack's limits."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.core.models import Reply, ReplyKind, Section
from bot.i18n.catalog import gettext_for
from bot.render.button_values import (
    ACTION_EXPLAIN_STATUS,
    ACTION_SHARE,
    ACTION_SHOW_ALL_STEPS,
    ACTION_SWITCH_LANGUAGE,
    USER_ID,
    ActionValue,
    StatusValue,
)
from bot.render.text import render_text

# Slack's published limits for one message.
MAX_BLOCKS = 50
MAX_SECTION_TEXT = 3000
MAX_HEADER_TEXT = 150
MAX_FALLBACK_TEXT = 3000
# How much of the question is echoed above an answer that others did not see asked.
MAX_ECHO_CHARS = 300
# Next steps shown before the "show all steps" button.
STEPS_SHOWN = 3

# Slack allows 25 elements in an actions block; a reply offers at most a handful.
MAX_OFFERS = 5

Block = dict[str, Any]

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
class RenderOptions:
    # Show every next step (after "show all steps").
    full: bool = False
    # An ephemeral answer: offer a button that posts it for everyone.
    shareable: bool = False
    # Repeat the question above the answer (nobody else saw it asked: slash command, shared answer).
    echo_question: bool = False
    thread_ts: str | None = None
    shared_by: str | None = None
    # The stored answer the buttons point at (bot.core.answers); without one the message has no buttons.
    answer_id: str | None = None


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
    answer_id = options.answer_id
    if answer_id is None or reply.kind is ReplyKind.ERROR:
        return []

    def value(language: str, full: bool) -> ActionValue:
        return ActionValue(answer_id, language, full, options.thread_ts, options.shared_by)

    buttons: list[Block] = []
    if steps_hidden:
        buttons.append(_button(_("Show all steps"), ACTION_SHOW_ALL_STEPS, value(reply.language, True)))
    other = "en" if reply.language == "sv" else "sv"
    label = _("Show in English") if other == "en" else _("Show in Swedish")
    buttons.append(_button(label, ACTION_SWITCH_LANGUAGE, value(other, options.full)))
    if options.shareable:
        buttons.append(_button(_("Share in channel"), ACTION_SHARE, value(reply.language, options.full), primary=True))
    return buttons


def _offer_blocks(reply: Reply) -> list[Block]:
    """A button per offered status; a click asks for that status by its id, with the clicker's own rights."""
    if not reply.offers or reply.kind is ReplyKind.ERROR:
        return []
    _ = gettext_for(reply.language)
    heading = reply.offers_heading or _("Did you mean one of these?")
    buttons = [
        {
            "type": "button",
            "text": {"type": "plain_text", "text": _cut(offer.label, 75), "emoji": True},
            # Slack wants the action ids of one block distinct.
            "action_id": f"{ACTION_EXPLAIN_STATUS}:{number}",
            "value": StatusValue(offer.status, reply.language).encode(),
        }
        for number, offer in enumerate(reply.offers[:MAX_OFFERS])
    ]
    return [_context(escape_mrkdwn(heading)), {"type": "actions", "elements": buttons}]


def _read_more_block(reply: Reply) -> Block | None:
    """The article the answer relies on, as a link; its address comes from the knowledge base, never from input."""
    if reply.read_more is None:
        return None
    _ = gettext_for(reply.language)
    title, url = reply.read_more
    # A "|" or ">" in the title would end the link early: the title is text, not markup.
    label = escape_mrkdwn(title.replace("|", "/"))
    # The template is escaped before the link goes in, so only our own link is markup.
    return _context(escape_mrkdwn(_("Read more: %(link)s")) % {"link": f"<{url}|{label}>"})


def fallback_text(reply: Reply) -> str:
    """The plain `text` of a message: notifications, screen readers, clients without blocks."""
    return _cut_escaped(render_text(reply).rstrip(), MAX_FALLBACK_TEXT)


def render_blocks(reply: Reply, options: RenderOptions | None = None) -> list[Block]:
    options = options or RenderOptions()
    _ = gettext_for(reply.language)
    blocks: list[Block] = [_title_block(reply.title)]
    if options.shared_by and USER_ID.match(options.shared_by):
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
    read_more = _read_more_block(reply)
    offered = _offer_blocks(reply)
    room = MAX_BLOCKS - (1 if buttons else 0) - (1 if read_more else 0) - len(offered)
    if len(blocks) > room:
        blocks = blocks[: room - 1]
        blocks.append(_context(escape_mrkdwn(_("The answer was shortened to fit in one Slack message."))))
    blocks.extend(offered)
    if read_more:
        blocks.append(read_more)
    if buttons:
        blocks.append({"type": "actions", "elements": buttons})
    return blocks


def render_message(reply: Reply, options: RenderOptions | None = None) -> SlackMessage:
    return SlackMessage(text=fallback_text(reply), blocks=render_blocks(reply, options))
