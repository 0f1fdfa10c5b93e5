"""`python -m bot triage FILE [--lang sv|en] [--json] [--out FILE]`: an invitation export triaged on the terminal."""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import stat
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, TextIO

from bot.cli.common import EXIT_DATA, EXIT_USAGE, components_or_none, fail, settings_or_none, setup_logging
from bot.i18n.catalog import gettext_for
from bot.render.text import render_text

# Files smaller than this are read before a progress bar would be noticed.
PROGRESS_FROM_BYTES = 4 * 1024 * 1024
_BAR = 30


class ProgressBar:
    """A one-line bar on a terminal, redrawn at most ten times a second, wiped when done."""

    def __init__(self, out: TextIO, clock: Callable[[], float] = time.monotonic) -> None:
        self.out = out
        self._clock = clock
        self._last = float("-inf")
        self.drawn = False

    def __call__(self, done: int, total: int | None) -> None:
        now = self._clock()
        if now - self._last < 0.1 and (total is None or done < total):
            return
        self._last = now
        mb = done / (1024 * 1024)
        if total:
            share = min(done / total, 1.0)
            filled = int(share * _BAR)
            line = f"[{'#' * filled}{'.' * (_BAR - filled)}] {share:4.0%}  {mb:.1f} of {total / (1024 * 1024):.1f} MB"
        else:
            line = f"{mb:.1f} MB read"
        self.out.write("\r" + line)
        self.out.flush()
        self.drawn = True

    def clear(self) -> None:
        if self.drawn:
            self.out.write("\r\033[K")
            self.out.flush()


def _short(text: str, limit: int = 80) -> str:
    """A path or file name as an error line shows it: one line, not a screenful."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _open(path: str) -> tuple[IO[bytes], int | None, str]:
    """The input stream, its size when known, and the name to show."""
    if path == "-":
        return sys.stdin.buffer, None, "stdin"
    stream = open(path, "rb")  # noqa: SIM115 (closed by the caller)
    found = os.fstat(stream.fileno())
    size = found.st_size if stat.S_ISREG(found.st_mode) else None
    return stream, size, Path(path).name


def run(args: argparse.Namespace) -> int:
    setup_logging(logging.ERROR)
    settings = settings_or_none()
    if settings is None:
        return EXIT_USAGE
    language_hint = args.lang or settings.language
    _ = gettext_for(language_hint)
    out = Path(args.out) if args.out else None
    if out is not None and args.file != "-" and out.resolve() == Path(args.file).resolve():
        return fail([_("--out must name another file than the export itself.")], EXIT_USAGE)
    if out is not None and not out.parent.resolve().is_dir():
        return fail([_("The folder of %(path)s does not exist.") % {"path": _short(str(out))}], EXIT_USAGE)
    try:
        stream, size, name = _open(args.file)
    except OSError as exc:
        return fail([_("Cannot open %(path)s: %(reason)s") % {"path": _short(args.file),
                                                               "reason": exc.strerror or exc}], EXIT_USAGE)
    components = components_or_none(settings)
    if components is None:
        stream.close()
        return EXIT_DATA
    bar = ProgressBar(sys.stderr) if sys.stderr.isatty() and (size is None or size >= PROGRESS_FROM_BYTES) else None
    # The action list is written next to its destination and moved there only when the whole file was read,
    # so a failed run never leaves half a list (or destroys an earlier one).
    spool: IO[bytes] | None = None
    if out is not None:
        spool = tempfile.NamedTemporaryFile(dir=out.parent, prefix=".triage-", suffix=".csv", delete=False)  # noqa: SIM115
    try:
        with stream:
            result = components.triage.triage(stream, name, size=size, language=args.lang,
                                              fallback=settings.language, actions=spool,
                                              progress=bar)
    finally:
        if bar is not None:
            bar.clear()
        components.close()
        if spool is not None:
            spool.close()
    if not result.ok:
        if spool is not None:
            with contextlib.suppress(OSError):
                os.unlink(spool.name)
        reply = result.reply
        return fail([f"{_short(name)}: {' '.join(section.text or '' for section in reply.sections)}"], EXIT_USAGE)
    if spool is not None and out is not None:
        os.replace(spool.name, out)
    reply = result.reply
    _ = gettext_for(reply.language)
    if out is not None:
        where = _("Action list written to %(path)s (%(count)s rows).") % {"path": out, "count": result.actions}
    else:
        where = _("Add --out FILE to write the action list (%(count)s rows).") % {"count": result.actions}
    rendered = render_text(reply)
    if args.json:
        payload = {**reply.data, "out": str(out) if out is not None else None, "text": rendered}
        print(json.dumps(payload, ensure_ascii=False, default=str))
    else:
        sys.stdout.write(rendered + "\n" + where + "\n")
    return 0
