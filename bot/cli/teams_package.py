"""`python -m bot teams-package --app-id ID --out FILE`: the zip to upload in Teams (or sideload for a try)."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.cli.common import EXIT_USAGE, fail


def run(args: argparse.Namespace) -> int:
    from bot.teams.package import PackageError, build_package

    out = Path(args.out)
    try:
        names = build_package(args.app_id, out)
    except PackageError as exc:
        return fail([str(exc)], EXIT_USAGE)
    print(f"wrote {out} ({', '.join(names)}); upload it in Teams: Apps > Manage your apps > Upload an app")
    return 0
