"""What every subcommand shares: settings and components loaded with one clear error line each."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.config import ConfigError, Settings, load_settings

if TYPE_CHECKING:
    # Imported lazily at run time: the wiring pulls in the whole brain, which `check` does not need.
    from bot.cli.wiring import Components

# Exit codes, documented in the README.
EXIT_USAGE = 2
EXIT_DATA = 1


def fail(lines: Iterable[str], code: int) -> int:
    for line in lines:
        print(f"invitation-bot: {line}", file=sys.stderr)
    return code


def settings_or_none() -> Settings | None:
    try:
        return load_settings()
    except ConfigError as exc:
        fail(exc.problems, EXIT_USAGE)
        return None


def setup_logging(level: int = logging.WARNING) -> None:
    """Every command logs through bot.logs: single-line, bounded records on stderr, no request bodies."""
    from bot.logs import setup_logging as setup

    setup(level)


def setup_chat_logging(log_file: Path | None, verbose: bool) -> None:
    """The console chat shows answers only: warnings go to `log_file` (or nowhere), to the terminal with --verbose."""
    if verbose:
        setup_logging(logging.WARNING)
        return
    handler: logging.Handler = logging.NullHandler()
    if log_file is not None:
        try:
            log_file.parent.mkdir(parents=True, exist_ok=True)
            handler = logging.FileHandler(log_file, encoding="utf-8", delay=True)
        except OSError:
            pass  # no place for a log: the chat still answers, its warnings are not kept
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)
    for noisy in ("httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def components_or_none(settings: Settings, **options: Any) -> Components | None:
    """The wired components, or None after printing every problem with the bundled data.

    `options` go to load_components (record_events, observer, on_drop).
    """
    from bot.cli.wiring import load_components
    from bot.core.access import AccessPolicyError
    from bot.knowledge.loader import KnowledgeError

    try:
        return load_components(settings, **options)
    except (KnowledgeError, AccessPolicyError) as exc:
        fail(exc.problems, EXIT_DATA)
        return None
