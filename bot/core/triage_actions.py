"""What to do with a failed invitation of an export: resend after the fix, let the system retry, invite another
address, never send again, or nothing at all; with the words for it in the asker's language."""

from __future__ import annotations

from enum import StrEnum

from bot.i18n.catalog import gettext_for
from bot.knowledge.model import Category, StatusEntry


class Action(StrEnum):
    RESEND_AFTER_FIX = "resend_after_fix"
    RETRIES_AUTOMATICALLY = "retries_automatically"
    NEW_INVITATION_OTHER_ADDRESS = "new_invitation_other_address"
    DO_NOT_SEND_AGAIN = "do_not_send_again"
    NOTHING_TO_DO = "nothing_to_do"


# The order of the action list and of the report: what a fix wins back first.
ORDER = (
    Action.RESEND_AFTER_FIX,
    Action.NEW_INVITATION_OTHER_ADDRESS,
    Action.RETRIES_AUTOMATICALLY,
    Action.DO_NOT_SEND_AGAIN,
    Action.NOTHING_TO_DO,
)

# Until the knowledge base states each status's action itself, the statuses whose single resend flag says too
# little (the system retries by itself; another address is a new invitation; nothing may be sent again; the
# customer has already reviewed) are named here. action_of() is the one place to switch over.
_INTERIM: dict[str, Action] = {
    "scheduled_for_later": Action.RETRIES_AUTOMATICALLY,
    "blocked_email": Action.NEW_INVITATION_OTHER_ADDRESS,
    "temporary_email": Action.NEW_INVITATION_OTHER_ADDRESS,
    "blocked": Action.DO_NOT_SEND_AGAIN,
    "reviewed_today": Action.NOTHING_TO_DO,
    "invitation_frequency": Action.NOTHING_TO_DO,
}


def action_of(entry: StatusEntry) -> Action:
    """What to do with an invitation that ended in this status."""
    if entry.category is not Category.NOT_DELIVERED:
        return Action.NOTHING_TO_DO
    interim = _INTERIM.get(entry.id)
    if interim is not None:
        return interim
    return Action.RESEND_AFTER_FIX if entry.resendable else Action.DO_NOT_SEND_AGAIN


def fix_recovers(entry: StatusEntry) -> bool:
    """Whether fixing the cause wins this very invitation back (it can then be sent again)."""
    return action_of(entry) is Action.RESEND_AFTER_FIX


def action_text(action: Action, language: str) -> str:
    """The action as one instruction, for the action list's "what to do" column."""
    _ = gettext_for(language)
    return {
        Action.RESEND_AFTER_FIX: _("Fix the cause, then send the invitation again."),
        Action.RETRIES_AUTOMATICALLY: _("Nothing to do: it is retried automatically, and a resend would be a "
                                        "duplicate."),
        Action.NEW_INVITATION_OTHER_ADDRESS: _("Do not resend to this address; send a new invitation if the "
                                               "customer gives you another one."),
        Action.DO_NOT_SEND_AGAIN: _("Do not send this invitation again."),
        Action.NOTHING_TO_DO: _("Nothing to do with this invitation."),
    }[action]


def action_heading(action: Action, language: str) -> str:
    """The action as the heading of a group of statuses in the report."""
    _ = gettext_for(language)
    return {
        Action.RESEND_AFTER_FIX: _("Fixes that would recover the most invitations"),
        Action.RETRIES_AUTOMATICALLY: _("Handled automatically"),
        Action.NEW_INVITATION_OTHER_ADDRESS: _("Only a new invitation to another address helps"),
        Action.DO_NOT_SEND_AGAIN: _("Cannot be recovered"),
        Action.NOTHING_TO_DO: _("Nothing to do"),
    }[action]
