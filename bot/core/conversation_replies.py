"""The replies only a conversation gives: a focused follow-up, a hand-off, thanks for feedback, a status to pick."""

from __future__ import annotations

from bot.core.explain import explanation_sections
from bot.core.followups import Intent
from bot.core.models import Reply, ReplyKind, Section
from bot.i18n.catalog import gettext_for
from bot.knowledge.model import KnowledgeBase, StatusEntry

# explanation_sections() gives meaning, cause, next steps, who must act, can it be resent: in that order.
_MEANING, _CAUSE, _STEPS, _WHO, _RESEND = range(5)
_FOCUS = {
    Intent.RESEND: (_RESEND, _STEPS),
    Intent.WHO: (_WHO, _STEPS),
    Intent.STEPS: (_STEPS, _WHO),
    Intent.MEANING: (_MEANING, _CAUSE, _STEPS, _WHO, _RESEND),
}


def focused(entry: StatusEntry, intent: Intent, language: str, question: str) -> Reply:
    """The part of a status's explanation that a follow-up asks about ("can I resend it?": the resend answer)."""
    sections = explanation_sections(entry, language)
    return Reply(
        kind=ReplyKind.EXPLAIN,
        language=language,
        title=entry.label.get(language),
        sections=tuple(sections[i] for i in _FOCUS[intent]),
        status=entry.id,
        question=question,
    )


def handoff_reply(language: str, posted: bool, support_contact: str | None, question: str) -> Reply:
    _ = gettext_for(language)
    if posted:
        title = _("I have asked a colleague to take a look.")
        text = _("Someone from our support team will follow up here. You do not need to ask again.")
    else:
        title = _("Please contact our support team.")
        text = (
            _("You can reach a person at %(contact)s. Mention what you asked here, so they can help you faster.")
            % {"contact": support_contact}
            if support_contact
            else _("Contact your usual support contact or account manager and mention what you asked here, "
                   "so they can help you faster.")
        )
    return Reply(kind=ReplyKind.HANDOFF, language=language, title=title, sections=(Section(text=text),),
                 question=question, data={"handoff": posted, "language": language})


def pick_reply(kb: KnowledgeBase, language: str, alternatives: tuple[str, ...], answered: str | None,
               question: str) -> Reply:
    """After "that's not it": thanks, and the statuses to pick from (the alternatives first)."""
    _ = gettext_for(language)
    options = tuple(f"{entry.label.get(language)} ({entry.id})"
                    for entry in (kb.get(status) for status in alternatives if status != answered) if entry)
    sections: tuple[Section, ...] = ()
    if options:
        sections += (Section(heading=_("Did you mean one of these?"), items=options),)
    sections += (Section(text=_("Pick the right status, or tell me in a few words what was wrong. "
                                "Your answer helps us improve the bot.")),)
    return Reply(kind=ReplyKind.FEEDBACK, language=language, title=_("Thanks for telling me."), sections=sections,
                 status=answered, question=question,
                 data={"pick": True, "alternatives": [a for a in alternatives if a != answered], "answered": answered,
                       "language": language})


def thanks_reply(language: str, question: str = "") -> Reply:
    _ = gettext_for(language)
    return Reply(kind=ReplyKind.FEEDBACK, language=language, title=_("Thanks for your feedback."),
                 sections=(Section(text=_("It helps us make the answers better.")),), question=question,
                 data={"language": language})
