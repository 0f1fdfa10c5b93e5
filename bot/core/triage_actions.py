"""What to do with a failed invitation of an export: resend after the fix, let the system retry, invite another
address, never send again, or nothing at all; with the words for it in the asker's language."""

from __future__ import annotations

from bot.i18n.catalog import gettext_for
from bot.knowledge.model import Action, Category, StatusEntry, recoverable_by_fix

__all__ = ["ORDER", "Action", "action_of", "action_text", "fix_recovers"]


# The order of the action list and of the report: what a fix wins back first.
ORDER = (
    Action.RESEND_AFTER_FIX,
    Action.NEW_INVITATION_OTHER_ADDRESS,
    Action.RETRIES_AUTOMATICALLY,
    Action.DO_NOT_SEND_AGAIN,
    Action.NOTHING_TO_DO,
)


def action_of(entry: StatusEntry) -> Action:
    """What to do with an invitation that ended in this status: the knowledge base's own word for it."""
    return entry.action if entry.category is Category.NOT_DELIVERED else Action.NOTHING_TO_DO


def fix_recovers(entry: StatusEntry) -> bool:
    """Whether fixing the cause wins this very invitation back (it can then be sent again)."""
    return recoverable_by_fix(entry)


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
