"""The knowledge base is found where a wheel puts it (bot/_data/knowledge), from any working folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import bot
import bot.paths
from bot.knowledge.loader import load_knowledge
from bot.paths import data_dir

REPO_KNOWLEDGE = Path(bot.__file__).resolve().parent.parent / "knowledge"


def test_default_directory_is_the_packaged_copy_when_there_is_one(tmp_path, monkeypatch):
    package = tmp_path / "site" / "bot"
    shutil.copytree(REPO_KNOWLEDGE, package / "_data" / "knowledge")
    monkeypatch.setattr(bot.paths, "_PACKAGE", package)
    assert data_dir("knowledge") == package / "_data" / "knowledge"
    assert len(load_knowledge()) == len(load_knowledge(REPO_KNOWLEDGE)) > 0

    # The packaged copy is the one read: a broken copy shows up in the default load.
    (package / "_data" / "knowledge" / "statuses" / "queued.yaml").write_text("id: [\n", encoding="utf-8")
    try:
        load_knowledge()
    except Exception as exc:
        assert "knowledge/statuses/queued.yaml: queued: (file): YAML syntax error" in str(exc)
    else:
        raise AssertionError("the packaged copy was not the one loaded")


def test_an_installed_layout_loads_from_another_working_folder(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(
        Path(bot.__file__).resolve().parent,
        site / "bot",
        ignore=shutil.ignore_patterns("__pycache__", "_data"),
    )
    shutil.copytree(REPO_KNOWLEDGE, site / "bot" / "_data" / "knowledge")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    script = (
        "import bot, bot.paths\n"
        "from bot.knowledge.loader import load_knowledge\n"
        "kb = load_knowledge()\n"
        "print(bot.__file__)\n"
        "print(bot.paths.data_dir('knowledge'))\n"
        "print(len(kb), kb.ids[0])\n"
    )
    env = {**os.environ, "PYTHONPATH": str(site)}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=elsewhere, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    module_file, folder, summary = result.stdout.splitlines()
    assert Path(module_file).resolve().is_relative_to(site.resolve())
    assert Path(folder).resolve() == (site / "bot" / "_data" / "knowledge").resolve()
    assert summary == f"{len(load_knowledge(REPO_KNOWLEDGE))} queued"
