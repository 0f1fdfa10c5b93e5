"""Invitation exports as people produce them: each delimiter and encoding Excel and browsers write."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

SV_HEADER = ("Kundens e-post", "Status", "Skapad", "Skickad", "Typ", "Referensnummer", "Namn")
EN_HEADER = ("Customer email", "Status", "Created", "Sent", "Type", "Reference number", "Name")

# Ten invitations of one merchant, Swedish labels, Swedish letters in names and types.
SV_ROWS: tuple[tuple[str, ...], ...] = (
    ("anna@example.se", "Ej levererad – SPF-fel", "2026-10-01 08:15", "", "Tjänsteomdöme", "ORDER-1", "Anna Ek"),
    ("åsa.öberg@example.se", "Levererad", "2026-10-01 09:00", "2026-10-01 09:10", "Tjänsteomdöme", "ORDER-2",
     "Åsa Öberg"),
    ("bo@example.se", "Ej levererad – SPF-fel", "2026-10-02 10:00", "", "Produktomdöme", "ORDER-3", "Bo Ärlig"),
    ("cia@example.se", "Ej levererad – ogiltig mottagare", "2026-10-05 11:00", "2026-10-05 11:05", "Tjänsteomdöme",
     "ORDER-4", "Cia Ström"),
    ("dan@example.se", "Ej levererad – blockerad", "2026-10-06 12:00", "", "Tjänsteomdöme", "ORDER-5", "Dan"),
    ("eva@example.se", "Ej levererad – schemalagd till senare", "2026-10-07 12:00", "", "Tjänsteomdöme",
     "ORDER-6", "Eva"),
    ("fia@example.se", "Ej levererad – blockerad e-postadress", "2026-10-08 12:00", "", "Tjänsteomdöme",
     "ORDER-7", "Fia"),
    ("gun@example.se", "I kö", "2026-10-12 12:00", "", "Påminnelse om tjänsteomdöme", "ORDER-8", "Gun"),
    ("hans@example.se", "Levererad – avregistrerad", "2026-10-13 12:00", "2026-10-13 12:05", "Tjänsteomdöme",
     "ORDER-9", "Hans"),
    ("ida@example.se", "Ej levererad – omdöme lämnat idag", "2026-10-14 12:00", "", "Tjänsteomdöme", "ORDER-10",
     "Ida"),
)
SV_STATUSES = ("spf_failure", "delivered", "spf_failure", "invalid_recipient", "blocked", "scheduled_for_later",
               "blocked_email", "queued", "delivered_unsubscribed", "reviewed_today")


def csv_text(rows: Iterable[Sequence[str]], delimiter: str = ";", header: Sequence[str] | None = SV_HEADER,
             line_end: str = "\r\n", sep_line: bool = False) -> str:
    out = io.StringIO()
    if sep_line:
        out.write(f"sep={delimiter}{line_end}")
    writer = csv.writer(out, delimiter=delimiter, lineterminator=line_end)
    if header is not None:
        writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def encoded(text: str, encoding: str) -> bytes:
    """The bytes a program saving `text` in `encoding` writes."""
    if encoding == "utf-8-sig":
        return b"\xef\xbb\xbf" + text.encode("utf-8")
    if encoding == "utf-16":  # Excel's "Unicode text": little-endian with a byte-order mark
        return b"\xff\xfe" + text.encode("utf-16-le")
    if encoding == "utf-16-be":
        return b"\xfe\xff" + text.encode("utf-16-be")
    if encoding == "latin-1":  # Latin-1 has no en dash; programs saving in it write a hyphen
        text = text.replace("–", "-")
    return text.encode(encoding)


def sv_export(encoding: str = "utf-8", delimiter: str = ";", **options: object) -> bytes:
    return encoded(csv_text(SV_ROWS, delimiter, **options), encoding)  # type: ignore[arg-type]
