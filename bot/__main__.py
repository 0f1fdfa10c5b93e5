"""Command line: `python -m bot` / `invitation-bot`; parses arguments and runs one subcommand.

Each subcommand lives in bot/cli/<name>.py with `run(args) -> int` and is
imported only when chosen, so `ask` and `match` start without Slack or httpx.
"""

from __future__ import annotations

import argparse
import importlib
import sys


def _add_lang(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--lang", choices=["sv", "en"], help="reply language (default: the question's, else BOT_LANGUAGE)"
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="invitation-bot",
        description="Explains review-invitation statuses, fetches live ones and summarises failures. "
        "Without a subcommand: Slack when SLACK_APP_TOKEN or SLACK_SIGNING_SECRET is set, Teams when a Teams "
        "client id is set (and no Slack token), else the console chat.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    chat = sub.add_parser("chat", help="interactive console chat with the bot")
    _add_lang(chat)
    chat.add_argument("-v", "--verbose", action="store_true",
                      help="show warnings on the terminal (else they go to BOT_LOG_FILE, by default "
                           "~/.local/state/invitation-bot/chat.log)")

    ask = sub.add_parser("ask", help="one answer, as the bot would give it in a chat")
    ask.add_argument("text", nargs="+", help="the message")
    _add_lang(ask)
    ask.add_argument("--json", action="store_true", help="print JSON instead of text")

    match = sub.add_parser("match", help="batch matching: one query a line on stdin, one JSON line out")
    _add_lang(match)

    status = sub.add_parser("status", help="live status of one invitation, explained")
    status.add_argument("invitation_id", help="24 hex characters")
    status.add_argument("--business-unit", metavar="BU", help="business unit id or domain")
    _add_lang(status)
    status.add_argument("--json", action="store_true")

    find = sub.add_parser("find", help="invitations by reference number or recipient email, explained")
    what = find.add_mutually_exclusive_group(required=True)
    what.add_argument("--reference", metavar="REF")
    what.add_argument("--email", metavar="EMAIL")
    find.add_argument("--business-unit", metavar="BU", required=True, help="business unit id or domain")
    _add_lang(find)
    find.add_argument("--json", action="store_true")

    summary = sub.add_parser("summary", help="an account's failure summary")
    summary.add_argument("--business-unit", metavar="BU", required=True, help="business unit id or domain")
    summary.add_argument("--from", dest="date_from", metavar="DATE", help="YYYY-MM-DD (default: 30 days ago)")
    summary.add_argument("--to", dest="date_to", metavar="DATE", help="YYYY-MM-DD, exclusive (default: now)")
    _add_lang(summary)
    summary.add_argument("--json", action="store_true")

    triage = sub.add_parser("triage", help="triage an invitation export (CSV): failures grouped with what to do")
    triage.add_argument("file", metavar="FILE", help="the export (CSV, any delimiter or encoding); - reads stdin")
    _add_lang(triage)
    triage.add_argument("--json", action="store_true", help="print JSON instead of text")
    triage.add_argument("--out", metavar="FILE", help="write the action list (one row per failed invitation) here")

    sandbox = sub.add_parser("sandbox", help="serve the bundled sandbox invitations API (demo data)")
    sandbox.add_argument("--port", type=int, default=8080)
    sandbox.add_argument("--host", default="127.0.0.1")
    sandbox.add_argument("--rate-limit", type=float, metavar="N", help="answer 429 beyond N requests a second")
    sandbox.add_argument("--fail-every", type=int, metavar="N", help="answer a 5xx to every Nth request")
    sandbox.add_argument("--delay", type=float, metavar="SECONDS", help="wait this long before each answer")
    sandbox.add_argument("--token-lifetime", type=int, metavar="SECONDS", help="lifetime of access tokens")
    _add_lang(sandbox)

    serve = sub.add_parser("serve", help="Slack over HTTP on /slack/events")
    serve.add_argument("--port", type=int, help="default: PORT, else 3000")

    sub.add_parser("socket", help="Slack in Socket Mode")

    gaps = sub.add_parser("gaps", help="the knowledge-gap report: unanswered questions, 👎 feedback, "
                          "unknown status codes, hand-offs")
    gaps.add_argument("--since", metavar="DATE", help="YYYY-MM-DD (default: 7 days ago)")
    gaps.add_argument("--format", choices=["table", "csv", "json"], default="table")

    teams = sub.add_parser("teams", help="Microsoft Teams: Bot Framework activities on /api/messages")
    teams.add_argument("--port", type=int, help="default: PORT, else 3978")

    package = sub.add_parser("teams-package", help="build the Teams app package (zip) to upload or sideload")
    package.add_argument("--app-id", required=True, metavar="ID", help="the bot's Microsoft Entra app (client) id")
    package.add_argument("--out", default="invitation-bot-teams.zip", metavar="FILE",
                         help="where to write the zip (default: %(default)s)")
    sub.add_parser("check", help="validate the knowledge base, the catalogs and the configuration")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    command = args.command or "default"
    module = importlib.import_module(f"bot.cli.{command.replace('-', '_')}")
    try:
        return int(module.run(args))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
