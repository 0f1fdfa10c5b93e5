"""Every CSV the bot writes goes through here: cells that a spreadsheet would run as a formula are made inert."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import IO

# What Excel, LibreOffice and Google Sheets read as the start of a formula (or of a cell that becomes one
# once a tab or carriage return is taken as a new cell); such a cell gets a leading apostrophe, which the
# spreadsheet shows as plain text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


class SafeCsvWriter:
    """csv.writer with every cell neutralised; Excel's own line ends ("\\r\\n")."""

    def __init__(self, stream: IO[str], delimiter: str = ",") -> None:
        self._writer = csv.writer(stream, delimiter=delimiter, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)

    def writerow(self, cells: Iterable[str]) -> None:
        self._writer.writerow([neutralise(cell) for cell in cells])
