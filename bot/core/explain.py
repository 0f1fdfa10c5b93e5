"""Turns a knowledge-base entry into the parts of a reply: what it means, why, what to do, who acts."""

from __future__ import annotations

from bot.core.models import Match, Question, Reply, ReplyKind, Section
from bot.i18n.catalog import gettext_for
from bot.knowledge.model import Actor, StatusEntry


def actor_text(actor: Actor, language: str) -> str:
    _ = gettext_for(language)
    return {
        Actor.NOBODY: _("Nobody: no action is needed."),
        Actor.MERCHANT: _("The merchant (the business sending the invitations)."),
        Actor.RECIPIENT: _("The recipient."),
        Actor.SUPPORT: _("Our support team: contact support."),
    }[actor]


def explanation_sections(entry: StatusEntry, language: str) -> tuple[Section, ...]:
    """Meaning, cause, next steps and who must act, in `language`."""
    _ = gettext_for(language)
    resend = (
        _("Yes, the invitation can be sent again once the cause is fixed.")
        if entry.resendable
        else _("No, this invitation cannot simply be sent again.")
    )
    return (
        Section(heading=_("What it means"), text=entry.meaning.get(language)),
        Section(heading=_("Why it happens"), text=entry.cause.get(language)),
        Section(heading=_("Next steps"), items=entry.steps.get(language), collapsible=True),
        Section(heading=_("Who must act"), text=actor_text(entry.actor, language)),
        Section(heading=_("Can it be resent?"), text=resend),
    )


def unknown_status_sections(code: str, language: str) -> tuple[Section, ...]:
    """For a status code the knowledge base lacks: show it raw and say so, never guess."""
    _ = gettext_for(language)
    return (
        Section(
            heading=_("Unknown status"),
            text=_(
                "The API reports the status code %(code)s, which is not in the knowledge base yet. "
                "It has been recorded so the knowledge base can be completed; until then, ask support."
            )
            % {"code": code},
        ),
    )


def explain(entry: StatusEntry, language: str, question: Question, match: Match | None) -> Reply:
    return Reply(
        kind=ReplyKind.EXPLAIN,
        language=language,
        title=entry.label.get(language),
        sections=explanation_sections(entry, language),
        status=entry.id,
        match=match,
        question=question.text,
    )
