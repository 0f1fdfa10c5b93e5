"""A structural check of the Adaptive Cards we send: what Teams (schema 1.5) accepts and renders.

Used by the card renderer's tests and the Teams end-to-end tests; it knows only the elements the
renderer uses, so anything new has to be added here on purpose.
"""

from __future__ import annotations

import json
from typing import Any

from bot.render.cards import CONTENT_TYPE, MAX_CARD_BYTES

SIZES = {"Small", "Default", "Medium", "Large", "ExtraLarge"}
WEIGHTS = {"Lighter", "Default", "Bolder"}
COLORS = {"Default", "Dark", "Light", "Accent", "Good", "Warning", "Attention"}
SPACINGS = {"None", "Small", "Default", "Medium", "Large", "ExtraLarge", "Padding"}
TEXT_RUN_KEYS = {"type", "text", "size", "weight", "color", "isSubtle", "italic", "selectAction"}


def check_text_run(run: Any) -> None:
    assert isinstance(run, dict) and run.get("type") == "TextRun", run
    assert set(run) <= TEXT_RUN_KEYS, run
    assert isinstance(run["text"], str) and run["text"], run
    assert run.get("size", "Default") in SIZES
    assert run.get("weight", "Default") in WEIGHTS
    assert run.get("color", "Default") in COLORS
    for flag in ("isSubtle", "italic"):
        assert isinstance(run.get(flag, False), bool)
    if "selectAction" in run:
        # Only links to the knowledge base's own articles: https, never an address taken from input.
        assert set(run["selectAction"]) == {"type", "url"}, run
        assert run["selectAction"]["type"] == "Action.OpenUrl"
        assert run["selectAction"]["url"].startswith("https://"), run


def check_input(element: dict[str, Any]) -> None:
    """The inputs of the card shown after 👎: a status to pick, what was wrong in words."""
    assert isinstance(element.get("id"), str) and element["id"], element
    if element["type"] == "Input.ChoiceSet":
        assert set(element) <= {"type", "id", "style", "isRequired", "placeholder", "choices", "label"}, element
        assert element.get("style", "compact") in {"compact", "expanded"}
        choices = element["choices"]
        assert isinstance(choices, list) and choices
        assert all(set(c) == {"title", "value"} and c["title"] and c["value"] for c in choices)
        assert len({c["value"] for c in choices}) == len(choices)
    else:
        assert set(element) <= {"type", "id", "isMultiline", "maxLength", "label", "placeholder"}, element
        assert isinstance(element.get("maxLength", 1), int)


def check_element(element: Any) -> None:
    assert isinstance(element, dict), element
    kind = element.get("type")
    if kind in ("Input.ChoiceSet", "Input.Text"):
        check_input(element)
        return
    if kind == "ActionSet":
        # The "Did you mean …?" buttons under their heading.
        assert set(element) == {"type", "actions"}, element
        assert isinstance(element["actions"], list) and element["actions"]
        for action in element["actions"]:
            check_action(action)
        return
    assert kind == "RichTextBlock", f"unexpected element {kind}"
    assert set(element) <= {"type", "inlines", "spacing"}, element
    assert element.get("spacing", "Default") in SPACINGS
    assert isinstance(element["inlines"], list) and element["inlines"]
    for run in element["inlines"]:
        check_text_run(run)


def check_action(action: Any) -> None:
    assert isinstance(action, dict)
    assert isinstance(action.get("title"), str) and action["title"]
    assert isinstance(action.get("data"), dict)
    if action["type"] == "Action.Execute":
        assert set(action) == {"type", "title", "verb", "data"}
        assert isinstance(action["verb"], str) and action["verb"]
    else:
        assert action["type"] == "Action.Submit", action
        assert set(action) == {"type", "title", "data"}


def check_card(card: Any) -> dict[str, Any]:
    """Asserts that `card` is one of our cards as Teams accepts it; returns it for chaining."""
    assert isinstance(card, dict)
    assert card["type"] == "AdaptiveCard"
    assert card["version"] == "1.5"
    assert card["$schema"] == "http://adaptivecards.io/schemas/adaptive-card.json"
    assert isinstance(card["fallbackText"], str) and card["fallbackText"].strip()
    assert set(card) <= {"type", "$schema", "version", "fallbackText", "msteams", "body", "actions"}
    assert isinstance(card["body"], list) and card["body"]
    for element in card["body"]:
        check_element(element)
    for action in card.get("actions", []):
        check_action(action)
    encoded = json.dumps(card, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    assert len(encoded) <= MAX_CARD_BYTES, len(encoded)
    return card


def check_attachment(attachment: Any) -> dict[str, Any]:
    assert attachment["contentType"] == CONTENT_TYPE
    return check_card(attachment["content"])


def card_texts(card: dict[str, Any]) -> list[str]:
    """Every TextRun's text, in order."""
    return [run["text"] for element in card["body"] for run in element.get("inlines", [])]
