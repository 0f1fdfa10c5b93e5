"""`python -m bot find (--reference REF | --email EMAIL) --business-unit BU [--json]`: invitations found, explained."""

from __future__ import annotations

import argparse

from bot.cli.live_output import business_unit_ref, run_live, shown
from bot.config import Settings
from bot.core.entities import EmailLookup, LiveRequest, ReferenceLookup
from bot.i18n.catalog import gettext_for

# Longer than any reference number a shop uses; beyond it the argument is a mistake, not a lookup.
MAX_REFERENCE = 200
# The longest address an email system delivers to (RFC 5321).
MAX_EMAIL = 254


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
            if len(reference) > MAX_REFERENCE:
                return _("The reference number is too long: at most %(count)s characters.") % {
                    "count": MAX_REFERENCE}
            return ReferenceLookup(reference, unit)
        if "@" not in email or email.startswith("@") or email.endswith("@") or len(email) > MAX_EMAIL:
            return _("%(email)s is not an email address.") % {"email": shown(email)}
        return EmailLookup(email, unit)

    what = reference if args.reference is not None else email
    return run_live(args, build, f"find {shown(what)}")
