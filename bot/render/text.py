"""Reply -> plain text, for the console and as the fallback text of chat messages."""

from __future__ import annotations

from collections.abc import Callable

from bot.core.models import Reply
from bot.i18n.catalog import gettext_for


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
    if reply.offers and reply.offers_heading:
        # In plain text an offer is a line to paste back; in chat it is a button.
        lines.extend(["", reply.offers_heading])
        lines.extend(f"  - {offer.label} ({offer.status})" for offer in reply.offers)
    if reply.read_more is not None:
        _ = gettext_for(reply.language)
        title, url = reply.read_more
        lines += ["", _("Read more: %(link)s") % {"link": f"{title} ({url})"}]
    return "\n".join(lines).rstrip() + "\n"


def progress_printer(write: Callable[[str], None], language: str) -> Callable[[int, int], None]:
    """A progress callback for long checks that writes a line every tenth of the way (and at the end)."""
    _ = gettext_for(language)
    last = 0

    def report(done: int, total: int) -> None:
        nonlocal last
        # A handful of lookups finishes before anyone would read a progress line.
        if total < 10:
            return
        if done == total or done - last >= max(1, total // 10):
            last = done
            write(_("Checked %(done)s of %(total)s invitations…") % {"done": done, "total": total})

    return report
