"""Adaptive Card parts for feedback and hand-off in Teams: 👍 / 👎 / "talk to a person" under an answer,
and after 👎 a card to pick the right status (the alternatives first) or say what was wrong.

Like the Slack buttons, they carry status ids, the language and nothing else: no question, no rights.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.core.models import Reply, ReplyKind
from bot.i18n.catalog import gettext_for
from bot.knowledge.model import KnowledgeBase
from bot.render.cards import MAX_CARD_BYTES, SCHEMA, VERSION, TeamsCard, plain_line
from bot.render.feedback import FeedbackValue

VERB_FEEDBACK_UP = "feedback_up"
VERB_FEEDBACK_DOWN = "feedback_down"
VERB_HANDOFF = "handoff_request"
VERB_PICK = "feedback_pick"
FEEDBACK_VERBS = frozenset({VERB_FEEDBACK_UP, VERB_FEEDBACK_DOWN, VERB_HANDOFF, VERB_PICK})
INPUT_PICKED = "picked"
INPUT_WRONG = "wrong"

_NO_FEEDBACK = {ReplyKind.HANDOFF, ReplyKind.FEEDBACK}


@dataclass(frozen=True)
class FeedbackClick:
    verb: str
    value: FeedbackValue
    # After 👎: the status picked and what was wrong, as typed into the card's inputs.
    picked: str | None = None
    wrong: str | None = None


def _execute(title: str, verb: str, value: FeedbackValue) -> dict[str, Any]:
    return {"type": "Action.Execute", "title": title, "verb": verb, "data": {"verb": verb, "feedback": value.encode()}}


def with_card_feedback(card: TeamsCard, reply: Reply) -> TeamsCard:
    """The card with 👍 / 👎 / "talk to a person" after its own buttons."""
    if reply.kind in _NO_FEEDBACK:
        return card
    _ = gettext_for(reply.language)
    alternatives = tuple(reply.match.alternatives) if reply.match is not None else ()
    value = FeedbackValue(reply.status, reply.language, alternatives)
    actions = [*card.content.get("actions", []),
               _execute("👍", VERB_FEEDBACK_UP, value), _execute("👎", VERB_FEEDBACK_DOWN, value),
               _execute(_("Talk to a person"), VERB_HANDOFF, value)]
    content = {**card.content, "actions": actions, "body": list(card.content["body"])}
    # A card filled to Teams' limit makes room for the buttons at the end of its body (the title stays).
    while len(content["body"]) > 1 and TeamsCard(content, card.summary).size() > MAX_CARD_BYTES:
        content["body"].pop()
    return TeamsCard(content=content, summary=card.summary)


def parse_feedback(verb: Any, data: Any) -> FeedbackClick | None:
    """None for anything that is not one of our feedback actions (the data come back from the client)."""
    if not isinstance(data, dict):
        return None
    verb = verb or data.get("verb")
    if verb not in FEEDBACK_VERBS:
        return None
    value = FeedbackValue.decode(data.get("feedback"))
    if value is None:
        return None
    picked, wrong = data.get(INPUT_PICKED), data.get(INPUT_WRONG)
    return FeedbackClick(
        verb=str(verb), value=value,
        picked=picked if isinstance(picked, str) and 0 < len(picked) <= 64 else None,
        wrong=wrong[:1000] if isinstance(wrong, str) and wrong.strip() else None,
    )


def picker_card(kb: KnowledgeBase, value: FeedbackValue) -> TeamsCard:
    """After 👎: the statuses to pick from (the alternatives first, then every other one) and a text box."""
    _ = gettext_for(value.language)
    order = [s for s in value.alternatives if s != value.status]
    order += [entry.id for entry in kb if entry.id != value.status and entry.id not in order]
    choices = [{"title": plain_line(entry.label.get(value.language), 120), "value": entry.id}
               for entry in (kb.get(status) for status in order) if entry is not None]
    title = _("Sorry that was not right. Which status did you mean?")
    content = {
        "type": "AdaptiveCard", "$schema": SCHEMA, "version": VERSION, "fallbackText": title,
        "msteams": {"width": "Full"},
        "body": [
            {"type": "RichTextBlock", "inlines": [{"type": "TextRun", "text": title, "weight": "Bolder"}]},
            {"type": "Input.ChoiceSet", "id": INPUT_PICKED, "style": "compact", "isRequired": False,
             "placeholder": _("Pick a status"), "choices": choices},
            {"type": "Input.Text", "id": INPUT_WRONG, "isMultiline": True, "maxLength": 1000,
             "label": _("Tell us in a few words what the right answer would be.")},
        ],
        "actions": [_execute(_("Send"), VERB_PICK, value)],
    }
    return TeamsCard(content=content, summary=title)
