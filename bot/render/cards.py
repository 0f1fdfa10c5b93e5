"""Reply -> Microsoft Teams Adaptive Card (schema 1.5) with a plain-text summary, within Teams' message size.

Every text goes into a `TextRun`, which Adaptive Cards never read as markdown:
text from users, the API or the knowledge base cannot turn into a link, a
heading or a mention, whatever it contains. The buttons carry no question,
only an opaque id of the stored answer and how to show it (language, all
steps), so a click re-renders that answer and never asks anything anew.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from bot.core.models import Reply, ReplyKind, Section
from bot.i18n.catalog import gettext_for
from bot.render.blocks import MAX_OFFERS, STEPS_SHOWN
from bot.render.text import render_text

CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
# Teams renders schema 1.5 at most on every client; Action.Execute needs 1.4 or newer.
VERSION = "1.5"
# Teams refuses or cuts messages beyond about 28 KB; the card gets most of it, the activity's
# envelope and summary the rest.
MAX_CARD_BYTES = 26_000
MAX_MESSAGE_BYTES = 28 * 1024
# One text run at most (a pasted novel stays readable and bounded), the title, the notification text.
MAX_TEXT = 3000
MAX_TITLE = 400
MAX_SUMMARY = 250
MAX_FALLBACK = 2000
MAX_FALLBACK_BYTES = 4000
MAX_ECHO = 300
MAX_OFFER_TITLE = 75

VERB_SWITCH_LANGUAGE = "invitation_switch_language"
VERB_SHOW_ALL_STEPS = "invitation_show_all_steps"
VERBS = (VERB_SWITCH_LANGUAGE, VERB_SHOW_ALL_STEPS)
# A "Did you mean …?" button: the status to explain, nothing of the asker.
VERB_EXPLAIN_STATUS = "invitation_explain_status"
_STATUS_ID = re.compile(r"^[a-z][a-z0-9_]{0,63}$")

Element = dict[str, Any]

_ELLIPSIS = "…"
# <at>Name</at> is how Teams writes a mention; from input it must stay plain text.
_MENTION_TAG = re.compile(r"</?at\b[^>]*>", re.IGNORECASE)


def clean_text(text: str) -> str:
    """Text safe to show: no mention tags, no invisible format characters (bidi overrides, zero widths)."""
    text = _MENTION_TAG.sub("", text)
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf" or ch in "\u200d")


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + _ELLIPSIS


def plain_line(text: str, limit: int) -> str:
    """One line of plain text for notifications: cleaned, white space folded, link syntax broken up."""
    line = " ".join(clean_text(text).split()).replace("](", "] (")
    return _cut(line, limit)


@dataclass(frozen=True)
class CardAction:
    """What a button says: which stored answer, in which language, with every step or not."""

    verb: str
    answer_id: str
    language: str
    full: bool = False
    # On a card shown to one person only (a "Did you mean …?" answer): a click never replaces the card that
    # everyone sees, whose message the private view stands in for.
    private: bool = False

    def data(self) -> dict[str, Any]:
        data = {"verb": self.verb, "answer": self.answer_id, "language": self.language, "full": self.full}
        return {**data, "private": True} if self.private else data

    @classmethod
    def parse(cls, verb: Any, data: Any) -> CardAction | None:
        """None for anything that is not a button of ours (the data come back from the client as sent)."""
        if not isinstance(data, dict):
            return None
        verb = verb or data.get("verb")
        answer_id, language = data.get("answer"), data.get("language")
        if verb not in VERBS or language not in ("sv", "en"):
            return None
        if not isinstance(answer_id, str) or not 8 <= len(answer_id) <= 64:
            return None
        return cls(verb=verb, answer_id=answer_id, language=language, full=data.get("full") is True,
                   private=data.get("private") is True)


@dataclass(frozen=True)
class StatusAction:
    """What a "Did you mean …?" button carries: the status to explain and the language, nothing of the asker.

    A status explanation is knowledge-base text, which is for everyone: the click is a question of the
    clicker's own, answered with the clicker's rights and shown to the clicker alone.
    """

    status: str
    language: str

    def data(self) -> dict[str, Any]:
        return {"verb": VERB_EXPLAIN_STATUS, "status": self.status, "language": self.language}

    @classmethod
    def parse(cls, verb: Any, data: Any) -> StatusAction | None:
        """None for anything that is not such a button of ours (the data come back from the client as sent)."""
        if not isinstance(data, dict):
            return None
        verb = verb or data.get("verb")
        status, language = data.get("status"), data.get("language")
        if verb != VERB_EXPLAIN_STATUS or language not in ("sv", "en"):
            return None
        if not isinstance(status, str) or not _STATUS_ID.match(status):
            return None
        return cls(status=status, language=language)


@dataclass(frozen=True)
class CardOptions:
    # Show every next step (after "show all steps").
    full: bool = False
    # The stored answer the buttons point at; without one the card has no buttons.
    answer_id: str | None = None
    # Action.Submit instead of Action.Execute: a dialog (the message action) only knows Submit.
    submit: bool = False
    # Repeat the question above the answer (the message action: nobody saw it asked).
    echo_question: bool = False
    # Shown to one person only, in place of a card everyone sees (see CardAction.private).
    private: bool = False


@dataclass(frozen=True)
class TeamsCard:
    content: dict[str, Any]
    # The activity's plain-text summary: notifications, the chat list preview.
    summary: str

    def attachment(self) -> dict[str, Any]:
        return {"contentType": CONTENT_TYPE, "content": self.content}

    def size(self) -> int:
        return _size(self.content)


def _size(node: Any) -> int:
    return len(json.dumps(node, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def _run(text: str, **style: Any) -> Element:
    return {"type": "TextRun", "text": text, **style}


def _rich(*inlines: Element, spacing: str | None = None) -> Element:
    block: Element = {"type": "RichTextBlock", "inlines": list(inlines)}
    if spacing:
        block["spacing"] = spacing
    return block


def _paragraphs(text: str) -> list[str]:
    return [part.strip() for part in clean_text(text).split("\n") if part.strip()]


def _section_elements(section: Section, language: str, full: bool) -> tuple[list[Element], bool]:
    """The elements of one reply section, and whether some of its items were held back."""
    _ = gettext_for(language)
    elements: list[Element] = []
    if section.heading:
        elements.append(_rich(_run(_cut(clean_text(section.heading), MAX_TEXT), weight="Bolder"), spacing="Medium"))
    if section.text:
        elements.extend(_rich(_run(_cut(part, MAX_TEXT))) for part in _paragraphs(section.text))
    items = section.items
    hidden = 0
    if section.collapsible and not full and len(items) > STEPS_SHOWN:
        hidden = len(items) - STEPS_SHOWN
        items = items[:STEPS_SHOWN]
    for number, item in enumerate(items, start=1):
        marker = f"{number}." if section.collapsible else "•"
        text = " ".join(clean_text(item).split())
        elements.append(_rich(_run(f"{marker} {_cut(text, MAX_TEXT)}"), spacing="Small"))
    if hidden:
        note = _("Showing %(shown)s of %(total)s steps.") % {"shown": STEPS_SHOWN, "total": len(section.items)}
        elements.append(_rich(_run(note, isSubtle=True, size="Small")))
    return elements, bool(hidden)


def _read_more(reply: Reply) -> Element | None:
    """The article the answer relies on, as a link: its address comes from the knowledge base, never from input."""
    if reply.read_more is None:
        return None
    _ = gettext_for(reply.language)
    before, _marker, after = (_("Read more: %(link)s") % {"link": "\0"}).partition("\0")
    title = plain_line(reply.read_more.title, MAX_SUMMARY)
    link = _run(title, color="Accent", selectAction={"type": "Action.OpenUrl", "url": reply.read_more.url})
    runs = [_run(text, isSubtle=True) for text in (before,) if text] + [link]
    runs += [_run(text, isSubtle=True) for text in (after,) if text]
    return _rich(*runs, spacing="Medium")


def _button(title: str, action: CardAction | StatusAction, submit: bool) -> Element:
    data = action.data()
    if submit:
        return {"type": "Action.Submit", "title": title, "data": data}
    return {"type": "Action.Execute", "title": title, "verb": data["verb"], "data": data}


def _offers(reply: Reply, submit: bool) -> list[Element]:
    """A button per offered status under a heading; a click asks for that status by its id, with the
    clicker's own rights (Slack's "Did you mean …?" buttons, as a card shows them)."""
    if not reply.offers or reply.kind is ReplyKind.ERROR:
        return []
    _ = gettext_for(reply.language)
    heading = reply.offers_heading or _("Did you mean one of these?")
    buttons = [
        _button(_cut(" ".join(clean_text(offer.label).split()), MAX_OFFER_TITLE),
                StatusAction(offer.status, reply.language), submit)
        for offer in reply.offers[:MAX_OFFERS]
    ]
    return [
        _rich(_run(_cut(clean_text(heading), MAX_TEXT), isSubtle=True), spacing="Medium"),
        {"type": "ActionSet", "actions": buttons},
    ]


def _actions(reply: Reply, options: CardOptions, steps_hidden: bool) -> list[Element]:
    if options.answer_id is None or reply.kind is ReplyKind.ERROR:
        return []
    _ = gettext_for(reply.language)
    actions: list[Element] = []
    if steps_hidden:
        show_all = CardAction(VERB_SHOW_ALL_STEPS, options.answer_id, reply.language, full=True,
                              private=options.private)
        actions.append(_button(_("Show all steps"), show_all, options.submit))
    other = "en" if reply.language == "sv" else "sv"
    label = _("Show in English") if other == "en" else _("Show in Swedish")
    switch = CardAction(VERB_SWITCH_LANGUAGE, options.answer_id, other, full=options.full, private=options.private)
    actions.append(_button(label, switch, options.submit))
    return actions


def fallback_text(reply: Reply) -> str:
    """The card's text for clients that cannot show it (plain, bounded in characters and in bytes)."""
    text = _cut(clean_text(render_text(reply)).strip().replace("](", "] ("), MAX_FALLBACK)
    while len(text.encode("utf-8")) > MAX_FALLBACK_BYTES:
        text = _cut(text, len(text) * 3 // 4)
    return text


def summary_text(reply: Reply) -> str:
    """One line for notifications and the chat list: the title."""
    return plain_line(reply.title, MAX_SUMMARY)


def render_card(reply: Reply, options: CardOptions | None = None) -> TeamsCard:
    options = options or CardOptions()
    _ = gettext_for(reply.language)
    title = _rich(_run(_cut(" ".join(clean_text(reply.title).split()), MAX_TITLE), size="Large", weight="Bolder"))
    # Everything below the title may be shortened to fit; the title, the fallback and the buttons never are.
    body: list[Element] = []
    if options.echo_question and reply.question.strip():
        asked = _cut(" ".join(clean_text(reply.question).split()), MAX_ECHO)
        body.append(_rich(_run(_("You asked: %(question)s") % {"question": asked}, isSubtle=True, italic=True)))
    for notice in reply.notices:
        body.append(_rich(_run("⚠ " + _cut(clean_text(notice), MAX_TEXT), color="Warning")))
    steps_hidden = False
    for section in reply.sections:
        elements, hidden = _section_elements(section, reply.language, options.full)
        body.extend(elements)
        steps_hidden = steps_hidden or hidden
    card: dict[str, Any] = {
        "type": "AdaptiveCard",
        "$schema": SCHEMA,
        "version": VERSION,
        "fallbackText": fallback_text(reply),
        "msteams": {"width": "Full"},
        "body": [title],
        "actions": _actions(reply, options, steps_hidden),
    }
    read_more = _read_more(reply)
    if read_more is not None:
        body.append(read_more)
    # The offers come after whatever was shortened: like the title and the buttons, they are never cut.
    offers = _offers(reply, options.submit)
    shortened = _rich(_run(_("The answer was shortened to fit in one Teams message."), isSubtle=True))
    _fill(card, body, shortened, reserved=sum(_size(element) + 1 for element in offers))
    card["body"].extend(offers)
    if not card["actions"]:
        del card["actions"]
    return TeamsCard(content=card, summary=summary_text(reply))


def _fill(card: dict[str, Any], body: list[Element], shortened: Element, reserved: int = 0) -> None:
    """Add the body's elements while the card stays within MAX_CARD_BYTES less `reserved` bytes; say so when some
    had to go."""
    budget = MAX_CARD_BYTES - _size(card) - reserved
    sizes = [_size(element) + 1 for element in body]  # + the comma between elements
    if sum(sizes) <= budget:
        card["body"].extend(body)
        return
    budget -= _size(shortened) + 1
    for element, size in zip(body, sizes, strict=True):
        if size > budget:
            break
        card["body"].append(element)
        budget -= size
    card["body"].append(shortened)
