"""Numbers, percentages and dates in the reply's language, through Babel's locale data."""

from __future__ import annotations

import re
from datetime import date, datetime

from babel import Locale
from babel.dates import format_date as _format_date
from babel.dates import format_datetime as _format_datetime
from babel.numbers import format_decimal, format_percent

# Merchants are European: British English dates (27 Nov 2026) read naturally to them.
_LOCALES = {"sv": "sv_SE", "en": "en_GB"}


def babel_locale(language: str) -> str:
    return _LOCALES.get(language, "en_GB")


def format_number(value: float, language: str) -> str:
    return format_decimal(value, locale=babel_locale(language))


def format_share(part: float, whole: float, language: str) -> str:
    """part/whole as a percentage with one decimal, spaced as the locale wants ("87,3 %" in Swedish)."""
    ratio = part / whole if whole else 0.0
    locale = Locale.parse(babel_locale(language))
    pattern = locale.percent_formats[None].pattern
    # The locale's own pattern ("#,##0 %") with one decimal added to its last digit.
    one_decimal = re.sub(r"0(?=[^0-9#]*$)", "0.0", pattern, count=1)
    return format_percent(ratio, format=one_decimal, locale=locale)


def format_when(value: datetime, language: str) -> str:
    """Date and time, in UTC as the API gives it, e.g. '20 nov. 2026 08:15' (sv)."""
    return _format_datetime(value, format="medium", tzinfo=value.tzinfo, locale=babel_locale(language))


def format_day(value: date | datetime, language: str) -> str:
    return _format_date(value, format="medium", locale=babel_locale(language))


def negotiate(tag: str | None) -> str | None:
    """'sv-SE', 'en_US', 'sv' -> 'sv' or 'en'; None when neither fits."""
    if not tag:
        return None
    found = Locale.negotiate([tag.replace("_", "-")], list(_LOCALES), sep="-")
    return str(found.language) if found else None
