"""`python -m bot gaps [--since DATE] [--format table|csv|json]`: the knowledge-gap report from the event store."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime, timedelta

from bot.cli.common import EXIT_USAGE, fail, settings_or_none
from bot.cli.summary import parse_moment

# Without --since: the last week, as the staff's App Home shows it.
DEFAULT_DAYS = 7
EXIT_UNREACHABLE = 3


def run(args: argparse.Namespace) -> int:
    settings = settings_or_none()
    if settings is None:
        return EXIT_USAGE
    if args.since is None:
        since = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=DEFAULT_DAYS)
    else:
        moment = parse_moment(args.since)
        if moment is None:
            return fail([f"--since {args.since} is not a date: use YYYY-MM-DD"], EXIT_USAGE)
        since = moment

    from bot.conversation.gaps import gaps_report
    from bot.conversation.gaps_output import as_csv, as_json, as_table
    from bot.conversation.store import StoreError, open_store

    try:
        store = open_store(settings.event_store_url, settings.gaps_retention_days)
    except StoreError as exc:
        return fail([str(exc).splitlines()[0]], EXIT_UNREACHABLE)
    try:
        report = gaps_report(store.engine, since)
    except Exception as exc:  # a database that went away between opening and reading
        return fail([f"cannot read the event store ({type(exc).__name__}: {str(exc).splitlines()[0]})"],
                    EXIT_UNREACHABLE)
    finally:
        store.close()
    render = {"json": as_json, "csv": as_csv}.get(args.format, as_table)
    sys.stdout.write(render(report))
    if args.format == "json":
        sys.stdout.write("\n")
    return 0
