"""The Teams app package: manifest fields Teams checks, the translations, the icons, the command."""

from __future__ import annotations

import json
import re
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest

from bot.teams.actions import MESSAGE_ACTION_COMMAND
from bot.teams.package import PLACEHOLDER_ID, PackageError, build_package, manifest_for

ROOT = Path(__file__).resolve().parents[2]
APP_ID = "0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5"


def read_png(data: bytes) -> tuple[int, int, list[tuple[int, int, int, int]]]:
    """Width, height and RGBA pixels of the PNGs we write (8-bit RGBA, filter 0)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, chunks = 8, {}
    while position < len(data):
        (length,) = struct.unpack(">I", data[position:position + 4])
        kind = data[position + 4:position + 8]
        body = data[position + 8:position + 8 + length]
        (crc,) = struct.unpack(">I", data[position + 8 + length:position + 12 + length])
        assert crc == zlib.crc32(kind + body) & 0xFFFFFFFF
        chunks[kind] = chunks.get(kind, b"") + body
        position += 12 + length
    width, height, depth, color_type = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    assert (depth, color_type) == (8, 6)
    raw = zlib.decompress(chunks[b"IDAT"])
    stride = width * 4 + 1
    pixels = []
    for row in range(height):
        line = raw[row * stride:(row + 1) * stride]
        assert line[0] == 0
        pixels.extend(tuple(line[1 + i:5 + i]) for i in range(0, width * 4, 4))
    return width, height, pixels


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("package") / "app.zip"
    build_package(APP_ID.upper(), out)
    return zipfile.ZipFile(out)


def test_the_package_holds_the_manifest_its_translation_and_icons(package):
    assert sorted(package.namelist()) == ["color.png", "manifest.json", "outline.png", "sv-se.json"]
    manifest = json.loads(package.read("manifest.json"))
    assert manifest["manifestVersion"] == "1.22" and manifest["$schema"].endswith("/v1.22/MicrosoftTeams.schema.json")
    assert manifest["id"] == APP_ID
    assert manifest["bots"][0]["botId"] == APP_ID == manifest["composeExtensions"][0]["botId"]
    assert PLACEHOLDER_ID not in package.read("manifest.json").decode()


def test_manifest_scopes_commands_and_message_action():
    manifest = manifest_for(APP_ID)
    bot = manifest["bots"][0]
    assert set(bot["scopes"]) == {"personal", "team", "groupChat"}
    assert bot["supportsFiles"] is True  # exports sent in a personal chat, the action list sent back
    commands = bot["commandLists"][0]["commands"]
    assert 1 <= len(commands) <= 10
    for command in commands:
        assert len(command["title"]) <= 32 and len(command["description"]) <= 128
    (action,) = manifest["composeExtensions"][0]["commands"]
    assert action["id"] == MESSAGE_ACTION_COMMAND
    assert action["type"] == "action" and action["context"] == ["message"] and action["fetchTask"] is True
    assert len(manifest["name"]["short"]) <= 30 and len(manifest["description"]["short"]) <= 80
    assert len(manifest["description"]["full"]) <= 4000
    assert re.fullmatch(r"#[0-9A-F]{6}", manifest["accentColor"])


def resolve(manifest, key: str):
    node = manifest
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", key):
        node = node[int(part[1:-1])] if part.startswith("[") else node[part]
    return node


def test_the_swedish_translation_covers_the_command_hints_and_points_at_real_fields(package):
    manifest = json.loads(package.read("manifest.json"))
    swedish = json.loads(package.read("sv-se.json"))
    assert manifest["localizationInfo"]["additionalLanguages"] == [{"languageTag": "sv-se", "file": "sv-se.json"}]
    for key, text in swedish.items():
        if key == "$schema":
            continue
        assert isinstance(resolve(manifest, key), str), key
        if key.endswith(".title") and "commands" in key:
            assert len(text) <= 32, key
    commands = manifest["bots"][0]["commandLists"][0]["commands"]
    for n in range(len(commands)):
        assert f"bots[0].commandLists[0].commands[{n}].title" in swedish
    assert swedish["bots[0].commandLists[0].commands[0].title"] == "Ej levererad – SPF-fel"


def test_icons_are_the_sizes_and_colours_teams_asks_for(package):
    width, height, pixels = read_png(package.read("color.png"))
    assert (width, height) == (192, 192)
    assert all(alpha == 255 for *_rgb, alpha in pixels)
    assert len(set(pixels)) >= 2
    width, height, pixels = read_png(package.read("outline.png"))
    assert (width, height) == (32, 32)
    assert set(pixels) == {(255, 255, 255, 255), (0, 0, 0, 0)}  # white on transparent only


def test_a_wrong_app_id_is_refused():
    with pytest.raises(PackageError, match="GUID"):
        manifest_for("my-bot")


def test_the_command_writes_the_zip_and_refuses_bad_ids(tmp_path):
    out = tmp_path / "nested" / "app.zip"
    result = subprocess.run([sys.executable, "-m", "bot", "teams-package", "--app-id", APP_ID, "--out", str(out)],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(zipfile.ZipFile(out).read("manifest.json"))["id"] == APP_ID
    result = subprocess.run([sys.executable, "-m", "bot", "teams-package", "--app-id", "x", "--out", str(out)],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
