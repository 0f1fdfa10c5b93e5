"""`python -m bot sandbox`: serves the bundled sandbox invitations API until Ctrl-C, showing how to use it."""

from __future__ import annotations

import argparse
import sys

from bot.cli.common import EXIT_USAGE, fail, setup_logging
from bot.config import ConfigError, load_settings
from bot.i18n.catalog import gettext_for
from bot.i18n.formats import format_number
from bot.invitations.sandbox import RunningSandbox, SandboxOptions, serve


def _language(args: argparse.Namespace) -> str:
    if getattr(args, "lang", None):
        return str(args.lang)
    try:
        return load_settings().language
    except ConfigError:
        # The sandbox needs none of the bot's settings; a problem there must not stop it.
        return "sv"


def _options(args: argparse.Namespace) -> SandboxOptions:
    return SandboxOptions(
        rate_limit_per_second=getattr(args, "rate_limit", None),
        fail_every=getattr(args, "fail_every", None),
        delay_seconds=getattr(args, "delay", None) or 0.0,
        token_lifetime_seconds=getattr(args, "token_lifetime", None) or 359_999,
    )


def describe(sandbox: RunningSandbox, language: str) -> list[str]:
    """The lines printed when the sandbox is ready: address, credentials, demo accounts and invitations."""
    _ = gettext_for(language)
    total = sum(account.size for account in sandbox.data.accounts)
    lines = [
        _("Sandbox invitations API on %(url)s (demo data, %(count)s invitations)")
        % {"url": sandbox.url, "count": format_number(total, language)},
        _("API key: %(key)s   API secret: %(secret)s") % {"key": sandbox.api_key, "secret": sandbox.api_secret},
        _("Point the bot at it with:"),
        f"  INVITATIONS_API_URL={sandbox.url} INVITATIONS_API_KEY={sandbox.api_key} "
        f"INVITATIONS_API_SECRET={sandbox.api_secret}",
        "",
        _("Business units:"),
    ]
    for account in sandbox.data.accounts:
        lines.append(
            "  " + _("%(domain)s  %(id)s  %(name)s, %(count)s invitations")
            % {"domain": account.spec.domain, "id": account.id, "name": account.spec.display_name,
               "count": format_number(account.size, language)}
        )
    lines += ["", _("Demo invitations:")]
    for account in sandbox.data.accounts:
        for row in account.spec.demo_rows:
            lines.append(
                f"  {account.reference(row.index):<12} {account.invitation_id(row.index)}  "
                f"{row.email:<28} {row.status:<25} {account.spec.domain}"
            )
    options = sandbox.api.options
    faults = []
    if options.rate_limit_per_second:
        faults.append(_("at most %(rate)s requests a second (429 beyond)")
                      % {"rate": format_number(options.rate_limit_per_second, language)})
    if options.fail_every:
        faults.append(_("a 5xx answer every %(count)s requests") % {"count": options.fail_every})
    if options.delay_seconds:
        faults.append(_("answers delayed %(seconds)s s") % {"seconds": format_number(options.delay_seconds, language)})
    if options.token_lifetime_seconds != SandboxOptions.token_lifetime_seconds:
        faults.append(_("tokens expire after %(seconds)s s") % {"seconds": options.token_lifetime_seconds})
    if faults:
        lines += ["", _("Simulated faults: %(faults)s") % {"faults": "; ".join(faults)}]
    lines += ["", _("Press Ctrl-C to stop.")]
    return lines


def run(args: argparse.Namespace) -> int:
    setup_logging()
    language = _language(args)
    _ = gettext_for(language)
    try:
        options = _options(args)
    except ValueError as exc:
        return fail([_("Invalid sandbox option: %(problem)s") % {"problem": exc}], EXIT_USAGE)

    def ready(sandbox: RunningSandbox) -> None:
        print("\n".join(describe(sandbox, language)), flush=True)

    try:
        serve(args.host, args.port, options, on_ready=ready)
    except OSError as exc:
        return fail([_("Cannot listen on %(host)s:%(port)s: %(reason)s")
                     % {"host": args.host, "port": args.port, "reason": exc.strerror or exc}], EXIT_USAGE)
    except KeyboardInterrupt:
        print(_("Sandbox stopped."), file=sys.stderr)
    return 0
