"""Reply -> plain text, for the console and as the fallback text of chat messages."""

from __future__ import annotations

from bot.core.models import Reply


def render_text(reply: Reply) -> str:
    lines = [reply.title]
    for notice in reply.notices:
        lines.append(f"! {notice}")
    for section in reply.sections:
        lines.append("")
        if section.heading:
            # "Can it be resent?" needs no colon after its question mark.
            needs_colon = (section.text or section.items) and not section.heading.endswith(("?", ":", "!"))
            lines.append(f"{section.heading}:" if needs_colon else section.heading)
        if section.text:
            lines.append(section.text)
        lines.extend(f"  {n}. {item}" if section.collapsible else f"  - {item}"
                     for n, item in enumerate(section.items, start=1))
    return "\n".join(lines).rstrip() + "\n"
