"""`python -m bot find (--reference REF | --email EMAIL) --business-unit BU [--json]`: invitations found, explained."""

from __future__ import annotations

import argparse

from bot.cli.live_output import business_unit_ref, run_live
from bot.config import Settings
from bot.core.entities import EmailLookup, LiveRequest, ReferenceLookup
from bot.i18n.catalog import gettext_for


def run(args: argparse.Namespace) -> int:
    reference = (args.reference or "").strip()
    email = (args.email or "").strip()

    def build(settings: Settings, language: str) -> LiveRequest | str:
        _ = gettext_for(language)
        unit = business_unit_ref(args.business_unit, language)
        if isinstance(unit, str):
            return unit
        if args.reference is not None:
            if not reference:
                return _("The reference number is empty.")
            return ReferenceLookup(reference, unit)
        if "@" not in email or email.startswith("@") or email.endswith("@"):
            return _("%(email)s is not an email address.") % {"email": email[:100]}
        return EmailLookup(email, unit)

    what = reference if args.reference is not None else email
    return run_live(args, build, f"find {what}")
