"""Reading exports as people have them: encodings, delimiters, headings in either language or none, quoting."""

from __future__ import annotations

import io
import tracemalloc
import zipfile
from datetime import date

import pytest
from exports import EN_HEADER, SV_HEADER, SV_ROWS, SV_STATUSES, csv_text, sv_export

from bot.triage.errors import ExportError, Problem
from bot.triage.reader import Limits, open_export


def statuses(rows):
    return tuple(row.status for row in rows)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-be", "cp1252", "latin-1"])
def test_every_encoding_gives_the_same_rows_with_swedish_letters_right(read, encoding):
    delimiter = "\t" if encoding.startswith("utf-16") else ";"  # Excel's Unicode text is tab-separated
    export, rows = read(sv_export(encoding, delimiter))
    assert statuses(rows) == SV_STATUSES
    assert rows[1].email == "åsa.öberg@example.se" and rows[1].name == "Åsa Öberg"
    assert rows[2].type == "Produktomdöme" and rows[2].name == "Bo Ärlig"
    assert export.delimiter == delimiter
    assert export.language == "sv"


def test_utf16_without_byte_order_mark_is_recognised(read):
    export, rows = read(csv_text(SV_ROWS, "\t").encode("utf-16-le"))
    assert statuses(rows) == SV_STATUSES and rows[1].name == "Åsa Öberg"
    assert export.encoding.label == "UTF-16"


def test_windows_1252_letters_further_down_a_file_that_starts_as_plain_ascii(read):
    # The first 64 KB are ASCII (so the file looks like UTF-8); an "ö" saved by Excel comes only later.
    filler = [(f"x{i}@example.se", "Levererad", "2026-10-01", "", "Service review", f"R{i}", "X")
              for i in range(3000)]
    text = csv_text([*filler, ("ö@example.se", "Ej levererad – SPF-fel", "2026-10-02", "", "Tjänst", "R-ö",
                               "Örjan Åström")])
    _export, rows = read(text.encode("cp1252"))
    assert rows[-1].name == "Örjan Åström" and rows[-1].status == "spf_failure"


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_each_delimiter_is_sniffed(read, delimiter):
    export, rows = read(sv_export("utf-8", delimiter))
    assert export.delimiter == delimiter
    assert statuses(rows) == SV_STATUSES
    assert rows[0].reference == "ORDER-1" and rows[0].created == date(2026, 10, 1)


@pytest.mark.parametrize("delimiter", [";", ","])
def test_excels_sep_line_names_the_delimiter_and_is_not_a_row(read, delimiter):
    export, rows = read(sv_export("utf-8-sig", delimiter, sep_line=True))
    assert export.delimiter == delimiter
    assert statuses(rows) == SV_STATUSES
    assert rows[0].line == 3  # sep line, heading, then the first invitation


def test_english_headings_and_labels(read):
    rows_en = [("a@example.com", "Not delivered - SPF failure", "01/10/2026", "", "Service review", "R1", "A"),
               ("b@example.com", "Delivered", "02/10/2026", "02/10/2026", "Service review", "R2", "B")]
    export, rows = read(csv_text(rows_en, ",", EN_HEADER).encode())
    assert statuses(rows) == ("spf_failure", "delivered")
    assert export.language == "en"
    assert rows[0].created == date(2026, 10, 1)  # day first, the European way


@pytest.mark.parametrize("header", [
    ("E-postadress", "Leveransstatus", "Skapad datum", "Skickat datum", "Inbjudningstyp", "Ordernummer", "Kundnamn"),
    ("Recipient", "Delivery status", "Date created", "Date sent", "Invitation type", "Order ID", "Customer name"),
    ("e-mail", "STATUS", "created at", "sent at", "type", "ref", "name"),
    ("Emial", "Staus", "Creatd", "Sent", "Typ", "Refrence number", "Nmae"),
])
def test_headings_are_found_whatever_their_exact_wording(read, header):
    export, rows = read(csv_text(SV_ROWS, ";", header).encode())
    assert export.columns.header == header
    assert export.columns.status == 1 and export.columns.email == 0
    assert export.columns.reference == 5 and export.columns.created == 2 and export.columns.sent == 3
    assert statuses(rows) == SV_STATUSES


def test_columns_in_another_order_and_extra_columns(read):
    header = ("Invitation ID", "Method", "Reference number", "Type", "Status updated", "Status", "Customer email")
    data = [("0123", "API", "R1", "Service review", "2026-10-02", "Not delivered - Invalid recipient", "x@y.se"),
            ("0124", "API", "R2", "Service review", "2026-10-02", "Delivered", "z@y.se")]
    export, rows = read(csv_text(data, ",", header).encode())
    assert (export.columns.status, export.columns.email, export.columns.reference) == (5, 6, 2)
    assert export.columns.created is None  # "Status updated" is not when the invitation was created
    assert statuses(rows) == ("invalid_recipient", "delivered") and rows[0].email == "x@y.se"


def test_without_a_heading_the_columns_are_found_by_their_values(read):
    export, rows = read(csv_text([row[:6] for row in SV_ROWS], ";", header=None).encode())
    assert export.columns.header is None
    assert (export.columns.email, export.columns.status, export.columns.created, export.columns.sent,
            export.columns.type, export.columns.reference) == (0, 1, 2, 3, 4, 5)
    assert statuses(rows) == SV_STATUSES  # the first line is an invitation, not a heading
    assert rows[0].reference == "ORDER-1"


def test_a_heading_over_the_wrong_column_is_corrected_by_the_values(read):
    header = ("Status", "Kundens e-post", "Skapad")  # the status and email headings swapped
    data = [("a@example.se", "Levererad", "2026-10-01"), ("b@example.se", "Ej levererad – SPF-fel", "2026-10-02")]
    export, rows = read(csv_text(data, ";", header).encode())
    assert export.columns.status == 1 and export.columns.email == 0
    assert statuses(rows) == ("delivered", "spf_failure")


def test_title_lines_above_the_heading_are_skipped(read):
    text = "Inbjudningsstatus för nordic-shoes.example\r\n2026-10-01 – 2026-10-31\r\n\r\n" + csv_text(SV_ROWS)
    export, rows = read(text.encode())
    assert export.columns.header == SV_HEADER
    assert statuses(rows) == SV_STATUSES
    assert rows[0].line == 5


def test_quoted_fields_with_delimiters_and_line_breaks_inside(read):
    data = [("a@example.se", "Ej levererad – SPF-fel", "2026-10-01", "", "Tjänst", "ORDER;1,2", "Ek, Anna"),
            ("b@example.se", "Not delivered - Invalid\nrecipient", "2026-10-01", "", "Tjänst", 'ORD "2"', "B"),
            ("c@example.se", "Levererad", "2026-10-01", "", "Tjänst", "ORDER-3", "Rad ett\r\nrad två")]
    for delimiter in (";", ","):
        _export, rows = read(csv_text(data, delimiter).encode())
        assert statuses(rows) == ("spf_failure", "invalid_recipient", "delivered")
        assert rows[0].reference == "ORDER;1,2" and rows[0].name == "Ek, Anna"
        assert rows[1].reference == 'ORD "2"'
        assert rows[2].name == "Rad ett\r\nrad två"
        assert [row.line for row in rows] == [2, 3, 5]  # the line each invitation starts on


def test_mixed_language_labels_any_dash_case_and_typos(read):
    labels = ["Ej levererad - SPF-fel", "Not delivered – SPF failure", "NOT DELIVERED—SPF FAILURE",
              "ej levererad: spf fel", "Ej levererad – SPF-fell", "spf_failure", "Levererad", "Delivered",
              "Not delivered - Invalid recipeint", "Ej levererad – ogiltig mottagare"]
    data = [(f"p{i}@example.se", label, "2026-10-01", "", "Tjänst", f"R{i}", "N") for i, label in enumerate(labels)]
    export, rows = read(csv_text(data).encode())
    assert statuses(rows) == ("spf_failure",) * 6 + ("delivered", "delivered") + ("invalid_recipient",) * 2
    assert export.language == "sv"  # four Swedish labels, three English ones


def test_unknown_labels_are_kept_as_written(read):
    data = [("a@x.se", "Ej levererad – tillfälligt uppskjuten", "2026-10-01", "", "Tjänst", "R1", "A"),
            ("b@x.se", "Levererad", "2026-10-01", "", "Tjänst", "R2", "B"),
            ("c@x.se", "", "2026-10-01", "", "Tjänst", "R3", "C")]
    _export, rows = read(csv_text(data).encode())
    assert [(row.label, row.status) for row in rows] == [
        ("Ej levererad – tillfälligt uppskjuten", None), ("Levererad", "delivered"), ("", None)]


def test_blank_lines_and_rows_of_empty_cells_are_skipped(read):
    text = csv_text(SV_ROWS[:2]) + ";;;;;;\r\n\r\n" + csv_text(SV_ROWS[2:4], header=None)
    _export, rows = read(text.encode())
    assert statuses(rows) == SV_STATUSES[:4]


def test_month_first_dates_are_recognised_from_the_column(read):
    data = [(f"p{i}@x.com", "Delivered", day, "", "Service review", f"R{i}", "N")
            for i, day in enumerate(["10/25/2026", "11/02/2026"])]
    _export, rows = read(csv_text(data, ",", EN_HEADER).encode())
    assert [row.created for row in rows] == [date(2026, 10, 25), date(2026, 11, 2)]


# -- files that are not exports ------------------------------------------------------------------


def _zip(names: list[str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "x")
    return buffer.getvalue()


@pytest.mark.parametrize(("data", "problem"), [
    (b"", Problem.EMPTY),
    (b"\xef\xbb\xbf", Problem.EMPTY),
    (b"  \r\n\r\n", Problem.EMPTY),
    (_zip(["[Content_Types].xml", "xl/workbook.xml"]), Problem.SPREADSHEET),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), Problem.SPREADSHEET),
    (_zip(["export.csv"]), Problem.ARCHIVE),
    (b"\x1f\x8b\x08\x00" + bytes(100), Problem.ARCHIVE),
    (b"<!DOCTYPE html><html><body>Sign in to Slack</body></html>", Problem.WEB_PAGE),
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, Problem.BINARY),
    (b"%PDF-1.7\n" + bytes(range(1, 32)) * 50, Problem.BINARY),
    (b"Kundens e-post\r\nanna@example.se\r\nbo@example.se\r\n", Problem.ONE_COLUMN),
    (csv_text([], ";").encode(), Problem.NO_ROWS),
    (csv_text([("a@x.se", "hej", "2026-10-01"), ("b@x.se", "hopp", "2026-10-02")], ";",
              ("E-post", "Anteckning", "Datum")).encode(), Problem.NO_STATUS_COLUMN),
])
def test_files_that_are_not_exports_get_a_clear_problem(book, data, problem):
    with pytest.raises(ExportError) as raised:
        export = open_export(io.BytesIO(data), book)
        list(export.rows())
    assert raised.value.problem is problem


def test_every_problem_is_told_in_both_languages():
    for problem in Problem:
        error = ExportError(problem, limit=50, line=7)
        sv, en = error.message("sv"), error.message("en")
        assert sv and en and sv != en
        assert "%(" not in sv and "%(" not in en


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(book):
    class Unreadable(io.RawIOBase):
        def read(self, size=-1):
            raise AssertionError("read although the size was known to be too large")

    with pytest.raises(ExportError) as raised:
        open_export(Unreadable(), book, size=Limits().max_bytes + 1)
    assert raised.value.problem is Problem.TOO_LARGE
    assert "50 MB" in raised.value.message("en")


def test_a_stream_of_unknown_size_stops_at_the_size_limit(book):
    data = sv_export() + csv_text(SV_ROWS * 400, header=None).encode()
    with pytest.raises(ExportError) as raised:
        export = open_export(io.BytesIO(data), book, limits=Limits(max_bytes=100_000))
        list(export.rows())
    assert raised.value.problem is Problem.TOO_LARGE
    assert "0 MB" not in raised.value.message("en")


def test_the_row_limit_is_said_with_its_number(book):
    export = open_export(io.BytesIO(csv_text(SV_ROWS * 3).encode()), book, limits=Limits(max_rows=25))
    with pytest.raises(ExportError) as raised:
        list(export.rows())
    assert raised.value.problem is Problem.TOO_MANY_ROWS
    assert "25" in raised.value.message("en")
    assert "1\xa0000\xa0000" in ExportError(Problem.TOO_MANY_ROWS, limit=1_000_000).message("sv")


def test_a_quote_that_is_never_closed_names_its_line(read):
    text = csv_text(SV_ROWS[:3]) + 'x@example.se;"Levererad;2026-10-01\r\n' + csv_text(SV_ROWS * 20, header=None)
    with pytest.raises(ExportError) as raised:
        read(text.encode())
    assert raised.value.problem is Problem.UNCLOSED_QUOTE
    assert raised.value.params["line"] == 5


def test_memory_stays_flat_however_long_the_file(book):
    """200,000 rows produced on the fly: reading them must not keep them."""

    class Endless(io.RawIOBase):
        def __init__(self, rows):
            self.rows = rows
            self.buffer = b"Kundens e-post;Status;Skapad\r\n"
            self.made = 0

        def readable(self):
            return True

        def read(self, size=-1):
            while len(self.buffer) < size and self.made < self.rows:
                self.made += 1
                self.buffer += f"p{self.made}@example.se;Levererad;2026-10-01 08:{self.made % 60:02d}\r\n".encode()
            data, self.buffer = self.buffer[:size], self.buffer[size:]
            return data

    tracemalloc.start()
    try:
        export = open_export(Endless(200_000), book)
        count = sum(1 for _row in export.rows())
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 200_000
    assert peak < 8 * 1024 * 1024  # the file itself is about 8 MB of text
