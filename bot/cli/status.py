"""`python -m bot status INVITATION_ID [--business-unit BU] [--json]`: one invitation's live status, explained."""

from __future__ import annotations

import argparse

from bot.cli.live_output import business_unit_ref, run_live, shown
from bot.config import Settings
from bot.core.entities import InvitationLookup, LiveRequest
from bot.i18n.catalog import gettext_for
from bot.invitations.models import is_valid_id


def run(args: argparse.Namespace) -> int:
    invitation_id = str(args.invitation_id).strip()

    def build(settings: Settings, language: str) -> LiveRequest | str:
        if not is_valid_id(invitation_id):
            _ = gettext_for(language)
            return _("%(id)s is not a valid invitation id: it must be 24 characters, digits 0-9 and "
                     "lowercase letters a-f.") % {"id": shown(invitation_id)}
        if not args.business_unit:
            return InvitationLookup(invitation_id)
        unit = business_unit_ref(args.business_unit, language)
        return unit if isinstance(unit, str) else InvitationLookup(invitation_id, unit)

    return run_live(args, build, f"status {shown(invitation_id)}")
