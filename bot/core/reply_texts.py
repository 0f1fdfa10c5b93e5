"""Every text of a Reply, rewritten by one function: what masking and cleaning apply to the answer value."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from bot.core.models import Link, Reply, Section

TextMap = Callable[[str], str]


def map_texts(reply: Reply, change: TextMap) -> Reply:
    """`reply` with `change` applied to its title, question, notices, sections and every string in its data.

    Keys of `data` and the status ids are names, not text shown to anyone, and stay as they are.
    """
    return replace(
        reply,
        title=change(reply.title),
        question=change(reply.question),
        notices=tuple(change(notice) for notice in reply.notices),
        sections=tuple(_section(section, change) for section in reply.sections),
        data=_value(reply.data, change),
        # The article's title is shown too; its address is the knowledge base's own and stays as it is.
        read_more=Link(change(reply.read_more.title), reply.read_more.url) if reply.read_more is not None else None,
    )


def _section(section: Section, change: TextMap) -> Section:
    return replace(
        section,
        heading=change(section.heading) if section.heading is not None else None,
        text=change(section.text) if section.text is not None else None,
        items=tuple(change(item) for item in section.items),
    )


def _value(value: Any, change: TextMap) -> Any:
    if isinstance(value, str):
        return change(value)
    if isinstance(value, Mapping):
        return {key: _value(item, change) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_value(item, change) for item in value]
    return value
