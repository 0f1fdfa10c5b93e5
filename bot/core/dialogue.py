"""Replies to messages that are not one status question: small talk, topics outside the bot's subject, a
label-shaped name of no status, and pastes that name several statuses."""

from __future__ import annotations

from bot.core.models import Match, Offer, Question, Reply, ReplyKind, Section
from bot.i18n.catalog import gettext_for
from bot.knowledge.model import KnowledgeBase

# Statuses a paste of several explains, the most frequent first.
MOST_EXPLAINED = 5


def help_sections(language: str) -> tuple[Section, ...]:
    """What the bot can do, with an example of each."""
    _ = gettext_for(language)
    return (
        Section(
            heading=_("You can ask me"),
            items=(
                _("what a status means: paste it, e.g. \"Not delivered - SPF failure\""),
                _("a question in your own words, e.g. \"why are our invitations stopped by SPF?\""),
                _("the live status of an invitation: \"status\" followed by its 24-character id"),
                _("invitations by reference number or email at an account, "
                  "e.g. \"ORDER-10023 at shop.example\""),
                _("an account's failure summary, e.g. \"summary for shop.example last 30 days\""),
            ),
        ),
        Section(text=_("I answer in Swedish or English, in the language you write in.")),
    )


def small_talk_reply(language: str, question: Question, match: Match) -> Reply:
    """A short friendly word back; with the help where the asker is starting a conversation."""
    _ = gettext_for(language)
    said = set(match.small_talk)
    short: dict[str, tuple[str, tuple[Section, ...]]] = {
        "resolved": (_("Great, glad it works now!"), (Section(text=_("If anything else comes up, just ask.")),)),
        "thanks": (_("You're welcome!"), (Section(text=_("Ask again whenever you need to.")),)),
        "apology": (_("No worries!"), (Section(text=_("Just ask if anything else comes up.")),)),
        "acknowledgement": (_("Good!"), (Section(text=_("Just ask if anything else comes up.")),)),
        "farewell": (_("Bye, have a nice day!"), ()),
    }
    for act in ("resolved", "thanks", "apology", "acknowledgement", "farewell"):
        if act in said:
            title, sections = short[act]
            return Reply(ReplyKind.SMALL_TALK, language, title, sections, match=match, question=question.text)
    opening = {
        "wellbeing": _("I'm fine, thanks for asking! How can I help?"),
        "about_bot": _("I'm the invitation bot: I explain review-invitation statuses and what to do about them."),
        "question_coming": _("Sure, go ahead and ask."),
    }
    greeting = next((opening[act] for act in ("wellbeing", "about_bot", "question_coming") if act in said), None)
    return Reply(
        ReplyKind.SMALL_TALK,
        language,
        greeting or _("Hi! How can I help?"),
        help_sections(language),
        match=match,
        question=question.text,
    )


def outside_reply(language: str, question: Question, match: Match) -> Reply:
    """An honest "not something I can answer here", and where help is."""
    _ = gettext_for(language)
    return Reply(
        kind=ReplyKind.OUT_OF_SCOPE,
        language=language,
        title=_("That is outside what I can answer here."),
        sections=(
            Section(
                text=_(
                    "I explain the statuses of review invitations, look up invitations and summarise an account's "
                    "failed invitations. Questions about your profile, reviews, billing, widgets or your own email "
                    "are for the Help Center's guides or our support team: contact support."
                )
            ),
        ),
        match=match,
        question=question.text,
    )


def unknown_label_reply(kb: KnowledgeBase, language: str, question: Question, match: Match) -> Reply:
    """For a label that names no status: say so, and offer the closest real ones."""
    _ = gettext_for(language)
    options = _labels(kb, match.alternatives, language)
    sections = [
        Section(
            text=_(
                "It looks like a status label, but there is no status by that name. Check how it is written on "
                "the invitation status page."
            )
        )
    ]
    if options:
        sections.append(Section(heading=_("The closest statuses I know"), items=options))
    return Reply(
        kind=ReplyKind.NO_MATCH,
        language=language,
        title=_("\"%(label)s\" is not a status I know.") % {"label": match.label or question.text.strip()},
        sections=tuple(sections),
        match=match,
        question=question.text,
        offers=offers(kb, match.alternatives, language),
        offers_heading=_("Did you mean one of these?"),
    )


def several_reply(kb: KnowledgeBase, language: str, question: Question, match: Match) -> Reply:
    """A paste of several rows: each distinct status in brief, the most frequent first."""
    _ = gettext_for(language)
    statuses = ((match.status,) if match.status else ()) + match.also
    sections: list[Section] = []
    for status in statuses[:MOST_EXPLAINED]:
        entry = kb.get(status)
        if entry is None:
            continue
        steps = entry.steps.get(language)
        text = entry.meaning.get(language)
        if steps:
            text += "\n" + _("First step: %(step)s") % {"step": steps[0]}
        sections.append(Section(heading=entry.label.get(language), text=text))
    return Reply(
        kind=ReplyKind.EXPLAIN,
        language=language,
        title=_("Your message names %(count)s statuses") % {"count": len(sections)},
        sections=tuple(sections),
        status=match.status,
        match=match,
        question=question.text,
        data={"also": list(match.also)},
        offers=offers(kb, statuses[:MOST_EXPLAINED], language),
        offers_heading=_("Explain one in full:"),
    )


def offers(kb: KnowledgeBase, statuses: tuple[str, ...], language: str) -> tuple[Offer, ...]:
    """The statuses as offers, with their labels in `language`."""
    return tuple(
        Offer(entry.id, entry.label.get(language))
        for entry in (kb.get(status) for status in statuses)
        if entry is not None
    )


def _labels(kb: KnowledgeBase, statuses: tuple[str, ...], language: str) -> tuple[str, ...]:
    return tuple(
        f"{entry.label.get(language)} ({entry.id})"
        for entry in (kb.get(status) for status in statuses)
        if entry is not None
    )
