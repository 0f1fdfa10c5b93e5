"""Why an export could not be read: one kind per problem, told to the uploader in one translated sentence."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from bot.i18n.catalog import gettext_for
from bot.i18n.formats import format_number


class Problem(StrEnum):
    EMPTY = "empty"
    SPREADSHEET = "spreadsheet"
    ARCHIVE = "archive"
    WEB_PAGE = "web_page"
    BINARY = "binary"
    ONE_COLUMN = "one_column"
    NO_STATUS_COLUMN = "no_status_column"
    NO_ROWS = "no_rows"
    TOO_LARGE = "too_large"
    TOO_MANY_ROWS = "too_many_rows"
    UNCLOSED_QUOTE = "unclosed_quote"
    UNREADABLE = "unreadable"



class ExportError(Exception):
    """The file is not an export the bot can read; `message(language)` says what to upload instead."""

    def __init__(self, problem: Problem, **params: object) -> None:
        super().__init__(f"{problem}: {params}" if params else str(problem))
        self.problem = problem
        self.params: Mapping[str, object] = params

    def message(self, language: str) -> str:
        _ = gettext_for(language)
        number = {key: format_number(value, language) if isinstance(value, int | float) else value
                  for key, value in self.params.items()}
        hint = _("Upload the CSV export of the Invitation status page (Get reviews > Invitation status > Export).")
        texts = {
            Problem.EMPTY: _("The file is empty. %(hint)s"),
            Problem.SPREADSHEET: _("This is an Excel or spreadsheet workbook, not a CSV file: save it as "
                                   "\"CSV UTF-8\" (File > Save As) and upload that file instead."),
            Problem.ARCHIVE: _("This is a compressed archive: unpack it and upload the CSV file inside. %(hint)s"),
            Problem.WEB_PAGE: _("This is a web page, not a CSV file. %(hint)s"),
            Problem.BINARY: _("This is not a text file (perhaps an image or a PDF). %(hint)s"),
            Problem.ONE_COLUMN: _("The file has only one column, so it is not an export of invitations. %(hint)s"),
            Problem.NO_STATUS_COLUMN: _("I found no column of invitation statuses in this file. %(hint)s"),
            Problem.NO_ROWS: _("The file has no invitations in it, only a header. %(hint)s"),
            Problem.TOO_LARGE: _("The file is larger than %(limit)s MB, the most I read at once: export a "
                                 "shorter date range and upload each part."),
            Problem.TOO_MANY_ROWS: _("The file has more than %(limit)s rows, the most I read at once: export a "
                                     "shorter date range and upload each part."),
            Problem.UNCLOSED_QUOTE: _("A quotation mark opened on line %(line)s is never closed, so the rest of "
                                      "the file cannot be read. Export the file again and upload it unchanged."),
            Problem.UNREADABLE: _("The file could not be read. %(hint)s"),
        }
        return texts[self.problem] % {"hint": hint, **number}
