"""A realistic invitation export made from the sandbox's demo data, as the Invitation status page would export it.

    python -m bot.triage.demo [--domain nordic-shoes.example] [--lang sv|en] [--days 30] [--rows N]
                              [--delimiter ';'] [--out FILE]

Deterministic: the demo data is anchored at a fixed moment, so the same arguments always give the same file.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import IO

from bot.invitations.sandbox.data import DAY, DemoData
from bot.knowledge.loader import load_knowledge
from bot.knowledge.model import KnowledgeBase
from bot.triage.csvout import SafeCsvWriter

# The moment the demo export is taken: fixed, so the README's example stays true.
ANCHOR = datetime(2026, 11, 2, 6, 0, tzinfo=UTC)

HEADINGS = {
    "sv": ("Kundens e-post", "Status", "Skapad", "Skickad", "Typ", "Referensnummer"),
    "en": ("Customer email", "Status", "Created", "Sent", "Type", "Reference number"),
}
TYPES = {
    "sv": {"service": "Tjänsteomdöme", "product": "Produktomdöme", "reminder": "Påminnelse om tjänsteomdöme"},
    "en": {"service": "Service review", "product": "Product review", "reminder": "Service review reminder"},
}
# Demo statuses the knowledge base does not have, as the page would show them (to show what "not recognised"
# looks like in a triage).
UNKNOWN_LABELS = {
    "delivery_deferred": {"sv": "Ej levererad – tillfälligt uppskjuten", "en": "Not delivered - Deferred"},
    "address_quarantined": {"sv": "Ej levererad – adressen i karantän", "en": "Not delivered - Address quarantined"},
    "soft_bounce": {"sv": "Ej levererad – tillfällig studs", "en": "Not delivered - Soft bounce"},
    "throttled": {"sv": "Ej levererad – strypt", "en": "Not delivered - Throttled"},
}


def _when(iso: str | None) -> str:
    """2026-10-01T08:15:00Z -> 2026-10-01 08:15, as Excel shows it."""
    return iso[:16].replace("T", " ") if iso else ""


def export_rows(kb: KnowledgeBase, domain: str, language: str, days: int | None = None,
                rows: int | None = None) -> Iterator[tuple[str, ...]]:
    data = DemoData(ANCHOR)
    account = data.account_for_domain(domain)
    if account is None:
        raise ValueError(f"no demo account {domain!r}")
    end = account.size
    if days is not None:
        end = account.first_created_before(data.anchor - days * DAY)
    if rows is not None:
        end = min(end, rows)
    for index in range(end):
        invitation = account.invitation(index)
        code = invitation["status"]
        entry = kb.get(code)
        label = entry.label.get(language) if entry else UNKNOWN_LABELS.get(code, {}).get(language, code)
        yield (invitation["recipient"]["email"], label, _when(invitation["createdAt"]), _when(invitation["sentAt"]),
               TYPES[language].get(invitation["type"], invitation["type"]), invitation["referenceNumber"])


def write_export(out: IO[str], domain: str = "nordic-shoes.example", language: str = "sv", *,
                 days: int | None = 30, rows: int | None = None, delimiter: str = ";") -> int:
    """Writes the export to `out` (opened with newline=""); returns the number of invitations written."""
    writer = SafeCsvWriter(out, delimiter)
    writer.writerow(HEADINGS[language])
    count = 0
    for row in export_rows(load_knowledge(), domain, language, days, rows):
        writer.writerow(row)
        count += 1
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.triage.demo", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--domain", default="nordic-shoes.example")
    parser.add_argument("--lang", choices=["sv", "en"], default="sv")
    parser.add_argument("--days", type=int, default=30, help="the last N days (default 30; 0: all 90)")
    parser.add_argument("--rows", type=int, help="at most this many invitations, newest first")
    parser.add_argument("--delimiter", default=";", choices=[",", ";", "\t"])
    parser.add_argument("--out", help="file to write (default: stdout)")
    args = parser.parse_args(argv)
    days = args.days or None
    if args.out:
        with open(args.out, "w", encoding="utf-8", newline="") as out:
            count = write_export(out, args.domain, args.lang, days=days, rows=args.rows, delimiter=args.delimiter)
    else:
        sys.stdout.reconfigure(newline="")  # type: ignore[union-attr]
        count = write_export(sys.stdout, args.domain, args.lang, days=days, rows=args.rows,
                             delimiter=args.delimiter)
    print(f"{count} invitations written", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
