"""The note a chat shows while a shared file is read: when it is due, and what it says."""

from __future__ import annotations

import time
from collections.abc import Callable

from babel.numbers import format_decimal

from bot.i18n.catalog import gettext_for
from bot.i18n.formats import babel_locale, format_share

# A triage that takes longer than this gets a progress note, updated at most this often.
PROGRESS_AFTER_SECONDS = 2.0
PROGRESS_EVERY_SECONDS = 2.0


class ReadingPace:
    """A note is due once the reading has taken PROGRESS_AFTER_SECONDS, then at most every PROGRESS_EVERY_SECONDS:
    a file read in a moment gets no note at all."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._started = clock()
        self._last = float("-inf")

    def due(self) -> bool:
        now = self._clock()
        if now - self._started < PROGRESS_AFTER_SECONDS or now - self._last < PROGRESS_EVERY_SECONDS:
            return False
        self._last = now
        return True


def reading_note(name: str, done: int, total: int | None, language: str) -> str:
    """"Reading export.csv… 40 %", or the megabytes read so far when the size is not known."""
    _ = gettext_for(language)
    if total:
        return _("Reading %(file)s… %(share)s") % {"file": name,
                                                   "share": format_share(min(done, total), total, language)}
    megabytes = format_decimal(round(done / 1048576, 1), locale=babel_locale(language))
    return _("Reading %(file)s… %(megabytes)s MB so far") % {"file": name, "megabytes": megabytes}
