"""Where the bundled data (knowledge base, catalogs, the Teams app manifest) lives, installed or in a checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """The folder `name` ("knowledge", "locales" or "teams").

    A wheel carries the folders inside the package (`bot/_data/<name>`); a
    checkout or an editable install keeps them at the top of the repository.
    """
    installed = _PACKAGE / "_data" / name
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / name
