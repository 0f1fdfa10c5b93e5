"""Maintainer tool for the catalogs: add a message, compile, check.

    python -m bot.i18n.maintain add "Next steps" --sv "Nästa steg" --en "Next steps"
    python -m bot.i18n.maintain extract   # refresh locales/messages.pot from the code
    python -m bot.i18n.maintain compile   # .po -> .mo for every language
    python -m bot.i18n.maintain check     # every message of the code translated, .mo fresh

Edits take a file lock, so several people (or scripts) can add messages at once.
"""

from __future__ import annotations

import argparse
import fcntl
import io
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from bot.i18n.catalog import DOMAIN, LANGUAGES
from bot.paths import data_dir

_PLACEHOLDER = re.compile(r"%\((\w+)\)[sdf]")
_SOURCE = Path(__file__).resolve().parents[1]


def _po_path(language: str) -> Path:
    return data_dir("locales") / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def _read(path: Path, language: str | None) -> Catalog:
    if not path.exists():
        return Catalog(locale=language, domain=DOMAIN, project="invitation-bot")
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


def _write(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_normal_form(catalog))


def _mo_bytes(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


@contextmanager
def _locked() -> Iterator[None]:
    lock = data_dir("locales") / ".lock"
    with lock.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def add(msgid: str, texts: dict[str, str]) -> None:
    with _locked():
        for language in LANGUAGES:
            path = _po_path(language)
            catalog = _read(path, language)
            existing = catalog.get(msgid)
            if existing is not None:
                # Catalog.add keeps an existing translation; replacing one is the point here.
                existing.string = texts[language]
                existing.flags.discard("fuzzy")
            else:
                catalog.add(msgid, texts[language], flags=("python-format",) if "%(" in msgid else ())
            _write(catalog, path)
            path.with_suffix(".mo").write_bytes(_mo_bytes(catalog))


def compile_all() -> None:
    """Each .po rewritten in its one normal form (sorted, every message once), then compiled to its .mo.

    The catalogs merge by union across branches; the rewrite folds the entries a merge wrote twice.
    """
    with _locked():
        for language in LANGUAGES:
            path = _po_path(language)
            catalog = _read(path, language)
            _write(catalog, path)
            path.with_suffix(".mo").write_bytes(_mo_bytes(catalog))


def _normal_form(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, sort_output=True, omit_header=False)
    return buffer.getvalue()


def code_messages() -> dict[str, str]:
    """msgid -> 'file:line' of every message the code marks with _() or gettext()."""
    found: dict[str, str] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(_SOURCE), method_map=[("**.py", "python")], keywords={"_": None, "gettext": None}
    ):
        if isinstance(message, str):
            found.setdefault(message, f"bot/{filename}:{lineno}")
    return found


def extract() -> None:
    catalog = Catalog(domain=DOMAIN, project="invitation-bot")
    for msgid, where in code_messages().items():
        file, line = where.rsplit(":", 1)
        catalog.add(msgid, locations=[(file, int(line))])
    _write(catalog, data_dir("locales") / f"{DOMAIN}.pot")


def problems() -> list[str]:
    """Every problem with the catalogs, one line each; empty when all is well."""
    found: list[str] = []
    wanted = code_messages()
    for language in LANGUAGES:
        path = _po_path(language)
        if not path.exists():
            found.append(f"{path}: missing catalog")
            continue
        catalog = _read(path, language)
        for msgid, where in sorted(wanted.items()):
            message = catalog.get(msgid)
            if message is None or not message.string:
                found.append(f"{path.name} ({language}): no translation for {msgid!r} used at {where}")
            elif message.fuzzy:
                found.append(f"{path.name} ({language}): fuzzy translation for {msgid!r} is ignored")
            elif set(_PLACEHOLDER.findall(msgid)) != set(_PLACEHOLDER.findall(str(message.string))):
                found.append(f"{path.name} ({language}): placeholders differ for {msgid!r}")
        if path.read_bytes() != _normal_form(catalog):
            # A merge that wrote an entry twice (or by hand, out of order): the compiled catalog would keep one.
            found.append(f"{path}: not in normal form (a message twice?); run python -m bot.i18n.maintain compile")
        mo = path.with_suffix(".mo")
        if not mo.exists() or mo.read_bytes() != _mo_bytes(catalog):
            found.append(f"{mo}: compiled catalog is missing or stale; run python -m bot.i18n.maintain compile")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.i18n.maintain", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    adder = sub.add_parser("add", help="add or replace one message in every catalog")
    adder.add_argument("msgid")
    adder.add_argument("--sv", required=True)
    adder.add_argument("--en", required=True)
    sub.add_parser("compile", help="compile every .po into its .mo")
    sub.add_parser("extract", help="write locales/messages.pot from the code")
    sub.add_parser("check", help="list untranslated, fuzzy or stale messages")
    args = parser.parse_args(argv)
    if args.command == "add":
        add(args.msgid, {"sv": args.sv, "en": args.en})
    elif args.command == "compile":
        compile_all()
    elif args.command == "extract":
        extract()
    else:
        issues = problems()
        for line in issues:
            print(line, file=sys.stderr)
        return 1 if issues else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
