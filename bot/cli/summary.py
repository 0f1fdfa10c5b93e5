"""`python -m bot summary --business-unit BU [--from DATE] [--to DATE] [--json]`: an account's failure summary."""

from __future__ import annotations

import argparse
from datetime import UTC, date, datetime, timedelta

from bot.cli.live_output import business_unit_ref, run_live, shown
from bot.config import Settings
from bot.core.entities import LiveRequest, SummaryRequest
from bot.core.periods import DEFAULT_DAYS, Period, PeriodOutOfRange, default_period, midnight
from bot.i18n.catalog import gettext_for


def parse_moment(value: str) -> datetime | None:
    """YYYY-MM-DD (midnight UTC) or a full ISO 8601 time; None when it is neither."""
    value = value.strip()
    try:
        return midnight(date.fromisoformat(value))
    except ValueError:
        pass
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def run(args: argparse.Namespace) -> int:
    def build(settings: Settings, language: str) -> LiveRequest | str:
        _ = gettext_for(language)
        unit = business_unit_ref(args.business_unit, language)
        if isinstance(unit, str):
            return unit
        start = end = None
        for raw, name in ((args.date_from, "--from"), (args.date_to, "--to")):
            if raw is None:
                continue
            moment = parse_moment(raw)
            if moment is None:
                return _("%(option)s %(value)s is not a date: use YYYY-MM-DD.") % {"option": name,
                                                                                    "value": shown(raw)}
            if name == "--from":
                start = moment
            else:
                end = moment
        fallback = default_period(datetime.now(UTC))
        try:
            end = end or fallback.end
            start = start or end - timedelta(days=DEFAULT_DAYS)
            if start >= end:
                return _("--from must be before --to.")
            period = Period(start, end)
        except (PeriodOutOfRange, OverflowError):
            return _("The dates must be between the years 1000 and 9998.")
        stated = args.date_from is not None or args.date_to is not None
        return SummaryRequest(unit, period, period_stated=stated)

    return run_live(args, build, f"summary {shown(args.business_unit)}")
