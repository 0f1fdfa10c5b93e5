"""An export, streamed: the encoding, delimiter and columns decided from its first part, then one row at a time,
so a file of a million rows takes no more memory than one of a hundred."""

from __future__ import annotations

import csv
import itertools
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import IO

from bot.triage.columns import Columns, Role, find_columns, header_roles
from bot.triage.dates import DateColumn, day_first_of
from bot.triage.decoding import HEAD_BYTES, Encoding, decoded_lines, read_head, sniff_encoding
from bot.triage.dialect import separator_line, sniff_delimiter
from bot.triage.errors import ExportError, Problem
from bot.triage.labels import LabelReader, StatusBook

MEGABYTE = 1024 * 1024
# The largest export read at once, and its most rows: a year of a busy account fits in both.
MAX_BYTES = 50 * MEGABYTE
MAX_ROWS = 1_000_000
# Rows read before the columns are decided (and searched for a heading row).
SAMPLE_ROWS = 200
HEADER_SEARCH_ROWS = 20
# A quoted field may hold line breaks, but no real one holds this many: a quote left open has eaten the rest.
MAX_LINES_PER_ROW = 100
# How often progress is told, in rows.
PROGRESS_EVERY = 4096

# progress(bytes read, bytes in all or None when unknown)
Progress = Callable[[int, int | None], None]


@dataclass(frozen=True)
class Limits:
    max_bytes: int = MAX_BYTES
    max_rows: int = MAX_ROWS

    def too_large(self) -> ExportError:
        megabytes = self.max_bytes / MEGABYTE
        return ExportError(Problem.TOO_LARGE, limit=int(megabytes) if megabytes.is_integer() else round(megabytes, 1))

    def too_many_rows(self) -> ExportError:
        return ExportError(Problem.TOO_MANY_ROWS, limit=self.max_rows)


@dataclass(slots=True)
class ExportRow:
    """One invitation of the export; empty strings where the file has no such column."""

    line: int
    label: str
    status: str | None
    email: str
    name: str
    reference: str
    created: date | None
    sent: date | None
    type: str


class _Counted:
    """A binary stream that counts what is read from it and refuses to go past the size limit."""

    def __init__(self, stream: IO[bytes], limits: Limits, already: int) -> None:
        self._stream = stream
        self._limits = limits
        self.consumed = already

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        self.consumed += len(data)
        if self.consumed > self._limits.max_bytes:
            raise self._limits.too_large()
        return data


class Export:
    """An export whose format is known; `rows()` reads the invitations (once)."""

    def __init__(self, encoding: Encoding, delimiter: str, columns: Columns, language: str | None,
                 buffered: list[tuple[int, list[str]]], records: Iterator[tuple[int, list[str]]],
                 labels: LabelReader, counted: _Counted, size: int | None, limits: Limits,
                 progress: Progress | None) -> None:
        self.encoding = encoding
        self.delimiter = delimiter
        self.columns = columns
        # The language of the status labels ("sv", "en"), or None when they did not tell.
        self.language = language
        self._buffered = buffered
        self._records = records
        self._labels = labels
        self._counted = counted
        self._size = size
        self._limits = limits
        self._progress = progress

    @property
    def bytes_read(self) -> int:
        return self._counted.consumed

    def rows(self) -> Iterator[ExportRow]:
        """Every invitation row; raises ExportError when a limit is passed or a quote is never closed."""
        columns, resolve, limit, progress = self.columns, self._labels.resolve, self._limits.max_rows, self._progress
        # A column the file lacks is looked up past the end of every row, where the value is "".
        absent = 1 << 30
        status_at, email_at, name_at, reference_at, type_at, created_at, sent_at = (
            absent if index is None else index
            for index in (columns.status, columns.email, columns.name, columns.reference, columns.type,
                          columns.created, columns.sent)
        )
        created = DateColumn(self._day_first(columns.created))
        sent = DateColumn(self._day_first(columns.sent))
        for count, (line, cells) in enumerate(itertools.chain(self._buffered, self._records), start=1):
            if count > limit:
                raise self._limits.too_many_rows()
            if progress is not None and count % PROGRESS_EVERY == 0:
                progress(self._counted.consumed, self._size)
            width = len(cells)
            label = cells[status_at].strip() if status_at < width else ""
            yield ExportRow(
                line,
                label,
                resolve(label).status if label else None,
                cells[email_at].strip() if email_at < width else "",
                cells[name_at].strip() if name_at < width else "",
                cells[reference_at].strip() if reference_at < width else "",
                created(cells[created_at]) if created_at < width else None,
                sent(cells[sent_at]) if sent_at < width else None,
                cells[type_at].strip() if type_at < width else "",
            )
        if progress is not None:
            progress(self._counted.consumed, self._size)

    def _day_first(self, index: int | None) -> bool:
        if index is None:
            return True
        return day_first_of(cells[index] for _line, cells in self._buffered if index < len(cells))


def _records(reader: Iterator[list[str]], lines: _LineCounter) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of each row that is not blank; a quote left open ends the reading."""
    last = lines.count
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ExportError(Problem.UNCLOSED_QUOTE, line=last + 1) from exc
        line = lines.count
        if line - last > MAX_LINES_PER_ROW:
            raise ExportError(Problem.UNCLOSED_QUOTE, line=last + 1)
        start, last = last + 1, line
        # A row of empty cells (Excel's ";;;;;" below the data) is no invitation.
        if cells and (cells[0].strip() or "".join(cells).strip()):
            yield start, cells


def open_export(stream: IO[bytes], book: StatusBook, *, size: int | None = None, limits: Limits | None = None,
                progress: Progress | None = None) -> Export:
    """Reads the start of `stream` and decides how to read the rest.

    `size` is the file's size when known (a file on disk, Slack's word for an upload): a file over the limit is
    refused before anything is read. Raises ExportError with what to upload instead.
    """
    limits = limits or Limits()
    if size is not None and size > limits.max_bytes:
        raise limits.too_large()
    head = read_head(stream, HEAD_BYTES)
    if size == 0 or not head:
        raise ExportError(Problem.EMPTY)
    encoding = sniff_encoding(head, complete=len(head) < HEAD_BYTES)
    counted = _Counted(stream, limits, len(head))
    if counted.consumed > limits.max_bytes:
        raise limits.too_large()
    lines = decoded_lines(head, counted, encoding)  # type: ignore[arg-type]
    sample: list[str] = []
    for line in lines:
        sample.append(line)
        if len(sample) >= SAMPLE_ROWS or sum(map(len, sample)) > HEAD_BYTES:
            break
    skipped = 0
    delimiter = separator_line(sample[0]) if sample else None
    if delimiter is not None:
        sample.pop(0)
        skipped = 1
    if delimiter is None:
        delimiter = sniff_delimiter(sample)
    line_counter = _LineCounter(itertools.chain(sample, lines), skipped)
    reader = csv.reader(line_counter, delimiter=delimiter, quotechar='"')
    labels = book.reader()

    def is_status(text: str) -> bool:
        return book.exact(text).status is not None

    records = _records(reader, line_counter)
    rows: list[tuple[int, list[str]]] = list(itertools.islice(records, SAMPLE_ROWS))
    header: list[str] | None = None
    roles: dict[int, Role] = {}
    for position, (_line, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found = header_roles(cells, is_status)
        if found is not None:
            header, roles = cells, found
            # Title lines above the heading go, and the sample is topped up to its full size again.
            rows = rows[position + 1:]
            rows += list(itertools.islice(records, position + 1))
            break
    data = [cells for _line, cells in rows]
    if not any(len(cells) > 1 for cells in data) and header is None:
        raise ExportError(Problem.ONE_COLUMN)
    columns = find_columns(header, roles, data, is_status)
    if columns is None:
        raise ExportError(Problem.NO_STATUS_COLUMN)
    if not rows:
        raise ExportError(Problem.NO_ROWS)
    languages = Counter(
        resolved.language for _line, cells in rows if columns.status < len(cells)
        and (resolved := labels.resolve(cells[columns.status].strip())).language
    )
    language = None
    if languages:
        (top, top_count), *rest = languages.most_common(2)
        language = top if not rest or top_count > rest[0][1] else None
    return Export(encoding, delimiter, columns, language, rows, records, labels, counted, size, limits, progress)


class _LineCounter:
    """Hands lines to the csv module and counts them, for row numbers that match the file's own lines."""

    def __init__(self, lines: Iterator[str], already: int) -> None:
        self._lines = lines
        self.count = already

    def __iter__(self) -> _LineCounter:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.count += 1
        return line
