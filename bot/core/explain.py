"""Turns a knowledge-base entry into the parts of a reply: what it means, why, what to do, who acts."""

from __future__ import annotations

from bot.core.models import Link, Match, Question, Reply, ReplyKind, Section
from bot.i18n.catalog import gettext_for
from bot.knowledge.model import Action, Actor, StatusEntry


def actor_text(actor: Actor, language: str) -> str:
    _ = gettext_for(language)
    return {
        Actor.NOBODY: _("Nobody: no action is needed."),
        Actor.MERCHANT: _("The merchant (the business sending the invitations)."),
        Actor.RECIPIENT: _("The recipient."),
        Actor.SUPPORT: _("Our support team: contact support."),
    }[actor]


def action_text(action: Action, language: str) -> str:
    """The answer to "can I send it again?" for a status with this action."""
    _ = gettext_for(language)
    return {
        Action.RESEND_AFTER_FIX: _("Yes, once the cause is fixed: then send the invitation again."),
        Action.RETRIES_AUTOMATICALLY: _(
            "No need: the system tries to deliver it again by itself in a few hours. "
            "Sending it yourself as well would give the customer a duplicate."
        ),
        Action.NEW_INVITATION_OTHER_ADDRESS: _(
            "Not to the same address. To reach the customer, ask for another email address "
            "and send a new invitation to it."
        ),
        Action.DO_NOT_SEND_AGAIN: _("No. Do not send this invitation again."),
        Action.NOTHING_TO_DO: _("There is nothing to send again: no action is needed for this invitation."),
    }[action]


def explanation_sections(entry: StatusEntry, language: str) -> tuple[Section, ...]:
    """Meaning, cause, next steps, who must act and whether to send it again, in `language`."""
    _ = gettext_for(language)
    return (
        Section(heading=_("What it means"), text=entry.meaning.get(language)),
        Section(heading=_("Why it happens"), text=entry.cause.get(language)),
        Section(heading=_("Next steps"), items=entry.steps.get(language), collapsible=True),
        Section(heading=_("Who must act"), text=actor_text(entry.actor, language)),
        Section(heading=_("Can it be resent?"), text=action_text(entry.action, language)),
    )


def read_more_link(entry: StatusEntry | None, language: str) -> Link | None:
    """The article an answer about this status in `language` ends with; None for an unknown status."""
    source = entry.read_more(language) if entry is not None else None
    return Link(source.title, source.url) if source is not None else None


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
        read_more=read_more_link(entry, language),
    )
