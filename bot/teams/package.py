"""The Teams app package: teams/manifest.json with the bot's id filled in, its translations and icons, zipped."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from typing import Any

from bot.paths import data_dir
from bot.teams.icons import color_icon, outline_icon

PLACEHOLDER_ID = "00000000-0000-0000-0000-000000000000"
_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
# Zip entries get a fixed date, so the same inputs always give the same package.
_DATE = (2026, 1, 1, 0, 0, 0)


class PackageError(Exception):
    pass


def manifest_for(app_id: str, folder: Path | None = None) -> dict[str, Any]:
    """The manifest with `app_id` as the app's, the bot's and the message action's id."""
    if not _GUID.match(app_id):
        raise PackageError(f"--app-id must be the bot's Microsoft Entra app (client) id, a GUID, got {app_id!r}")
    folder = folder or data_dir("teams")
    try:
        manifest: dict[str, Any] = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise PackageError(f"{folder / 'manifest.json'}: cannot be read ({exc})") from exc
    app_id = app_id.lower()
    manifest["id"] = app_id
    for bot in manifest.get("bots", []):
        bot["botId"] = app_id
    for extension in manifest.get("composeExtensions", []):
        extension["botId"] = app_id
    if PLACEHOLDER_ID in json.dumps(manifest):
        raise PackageError("the manifest still holds the placeholder id somewhere")
    return manifest


def build_package(app_id: str, out: Path, folder: Path | None = None) -> list[str]:
    """Write the zip Teams accepts for upload or sideloading; returns the names it holds."""
    folder = folder or data_dir("teams")
    manifest = manifest_for(app_id, folder)
    files: dict[str, bytes] = {
        "manifest.json": json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8"),
        manifest["icons"]["color"]: color_icon(),
        manifest["icons"]["outline"]: outline_icon(),
    }
    for language in manifest.get("localizationInfo", {}).get("additionalLanguages", []):
        name = language["file"]
        try:
            files[name] = (folder / name).read_bytes()
        except OSError as exc:
            raise PackageError(f"{folder / name}: cannot be read ({exc})") from exc
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as package:
            for name, data in files.items():
                package.writestr(zipfile.ZipInfo(name, date_time=_DATE), data, compress_type=zipfile.ZIP_DEFLATED)
    except OSError as exc:
        raise PackageError(f"cannot write {out}: {exc.strerror or exc}") from exc
    return list(files)
