"""The live desk's fixed answers: refusals, API trouble, malformed ids and missing business units."""

from __future__ import annotations

import math

from bot.core.models import Section
from bot.i18n.catalog import gettext_for
from bot.invitations.errors import ApiError, ApiUnavailable, InvalidId, MalformedResponse, RateLimited


def refusal(language: str) -> tuple[str, tuple[Section, ...]]:
    """Title and sections of a refusal.

    One text for every case (no such invitation, another account's invitation, a direct message,
    an unbound channel), so that a refusal never tells whether something exists.
    """
    _ = gettext_for(language)
    return (
        _("I cannot show live invitation data for that here."),
        (
            Section(
                text=_(
                    "Live data is only shown for the accounts bound to this channel, and only "
                    "when the invitation belongs to one of them."
                )
            ),
            Section(
                heading=_("What you can do instead"),
                items=(
                    _("Ask me what a status means: paste it, e.g. \"Not delivered - SPF failure\"."),
                    _("Ask again in the Slack channel that is bound to your account."),
                    _("Contact your account manager, who can look the invitation up for you."),
                ),
            ),
        ),
    )


def api_failure_notices(error: ApiError, language: str) -> tuple[str, ...]:
    """What the user is told when the API call failed, with the correlation id for support."""
    _ = gettext_for(language)
    if isinstance(error, RateLimited) and error.retry_after is not None:
        minutes = max(1, math.ceil(error.retry_after / 60))
        first = (_("The invitations service is busy right now; try again in a minute.") if minutes == 1 else
                 _("The invitations service is busy right now; try again in %(minutes)s minutes.")
                 % {"minutes": minutes})
    elif isinstance(error, ApiUnavailable):
        first = _("The live status could not be fetched right now: the invitations service did not answer in time. "
                  "Please try again in a few minutes.")
    elif isinstance(error, MalformedResponse):
        first = _("The live status could not be fetched right now: the invitations service sent an answer "
                  "the bot could not read.")
    else:
        first = _("The live status could not be fetched right now: the invitations service refused the request.")
    notices = [first]
    if error.correlation_id:
        notices.append(_("Reference for support (correlation id): %(id)s") % {"id": error.correlation_id})
    return tuple(notices)


def api_error_code(error: ApiError) -> str:
    """Machine-readable kind of API trouble, for `--json` and the exit code."""
    if isinstance(error, InvalidId):
        return "invalid_id"
    if isinstance(error, ApiUnavailable):
        return "api_unavailable"
    if isinstance(error, MalformedResponse):
        return "api_malformed_response"
    return "api_error"


def bad_id(text: str, language: str) -> tuple[str, tuple[Section, ...]]:
    _ = gettext_for(language)
    shown = text if len(text) <= 60 else text[:57] + "..."
    return (
        _("%(id)s is not a valid invitation id.") % {"id": shown},
        (
            Section(
                text=_(
                    "An invitation id is exactly 24 characters, digits 0-9 and lowercase letters a-f, "
                    "e.g. 5f1e9c2a7b3d4e5f6a7b8c9d. Copy it again from the invitation status page."
                )
            ),
        ),
    )


def bulk_busy(language: str, *, here: bool) -> tuple[str, tuple[Section, ...]]:
    """A pasted list that must wait: one is being checked in this conversation (`here`), or enough elsewhere."""
    _ = gettext_for(language)
    if here:
        title = _("I am already checking a list of invitations in this conversation.")
        text = _("Paste the next list when that answer is here; I will say how far I have come meanwhile.")
    else:
        title = _("I am checking other lists of invitations right now.")
        text = _("Paste your list again in a few minutes; I still check a single invitation id right away.")
    return title, (Section(text=text),)


def unit_needed(language: str, what: str) -> tuple[str, tuple[Section, ...]]:
    """Asks for the business unit that a search by email or reference number (or a summary) needs."""
    _ = gettext_for(language)
    if what == "summary":
        title = _("Which account should I summarise?")
        example = _("For example: \"summary for shop.example last 30 days\".")
    else:
        title = _("Which account should I search?")
        example = _("For example: \"ORDER-10023 at shop.example\" or \"anna@example.se at shop.example\".")
    return (
        title,
        (
            Section(
                text=_(
                    "Reference numbers and email addresses are searched within one account (business unit). "
                    "Add its domain or its 24-character business unit id."
                )
                if what != "summary"
                else _("Add the account's domain or its 24-character business unit id.")
            ),
            Section(text=example),
        ),
    )


def several_units(language: str, units: list[str]) -> tuple[str, tuple[Section, ...]]:
    _ = gettext_for(language)
    return (
        _("Which account should I summarise?"),
        (
            Section(
                text=_("Several accounts are bound to this channel. Name one of them:"),
                items=tuple(units),
            ),
        ),
    )


def bad_period(language: str) -> tuple[str, tuple[Section, ...]]:
    """A summary asked for days the figures cannot cover."""
    _ = gettext_for(language)
    return (
        _("The dates must be between the years 1000 and 9998."),
        (Section(text=_("Give the period as dates such as 2026-10-01 to 2026-10-31, or in words, "
                        "e.g. \"last 30 days\".")),),
    )
