"""A plain, non-editable install must carry its knowledge base and catalogs inside the package."""

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # No build isolation: hatchling comes with the test extra, so this needs no network.
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (found,) = out.glob("invitation_bot-*.whl")
    return found


def test_wheel_contains_knowledge_and_compiled_catalogs(wheel: Path):
    names = set(zipfile.ZipFile(wheel).namelist())
    statuses = [n for n in names if n.startswith("bot/_data/knowledge/statuses/") and n.endswith(".yaml")]
    assert len(statuses) == 37
    assert "bot/_data/knowledge/index.yaml" in names
    for language in ("sv", "en"):
        assert f"bot/_data/locales/{language}/LC_MESSAGES/messages.mo" in names
    assert {"bot/_data/teams/manifest.json", "bot/_data/teams/sv-se.json"} <= names


def test_installed_copy_answers_from_another_folder(wheel: Path, tmp_path: Path):
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json", "Ej levererad – SPF-fel"],
        cwd=elsewhere, env=env, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert '"status": "spf_failure"' in result.stdout
    assert str(target) in subprocess.run(
        [sys.executable, "-c", "import bot.paths as p; print(p.data_dir('knowledge'))"],
        cwd=elsewhere, env=env, capture_output=True, text=True, check=True,
    ).stdout
