"""The gettext catalogs in locales/: one translation object per language, loaded once.

A missing compiled catalog is an error, not a silent fall-back to English.
"""

from __future__ import annotations

import functools
import gettext
from collections.abc import Callable

from bot.paths import data_dir

DOMAIN = "messages"
LANGUAGES = ("sv", "en")


@functools.cache
def translations(language: str) -> gettext.GNUTranslations:
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}")
    # fallback=False: a missing .mo raises instead of quietly answering in English.
    found = gettext.translation(DOMAIN, localedir=str(data_dir("locales")), languages=[language])
    assert isinstance(found, gettext.GNUTranslations)
    return found


def gettext_for(language: str) -> Callable[[str], str]:
    """The `_` of one language: `_ = gettext_for("sv"); _("Next steps")`."""
    return translations(language).gettext


def ngettext_for(language: str) -> Callable[[str, str, int], str]:
    return translations(language).ngettext
