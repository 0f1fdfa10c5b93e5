"""`python -m bot match`: one JSON line per input line, in order, with the right language and errors."""

from __future__ import annotations

import argparse
import io
import json
import sys

import pytest

from bot.cli import match as match_cli
from bot.knowledge import loader


def _run(monkeypatch, capsys, lines: bytes, lang: str | None = None) -> tuple[int, list[dict], str]:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(lines), encoding="utf-8"))
    code = match_cli.run(argparse.Namespace(lang=lang))
    captured = capsys.readouterr()
    return code, [json.loads(line) for line in captured.out.splitlines()], captured.err


@pytest.fixture
def labels_knowledge(monkeypatch, label_kb):
    monkeypatch.setattr(loader, "load_knowledge", lambda directory=None: label_kb)
    monkeypatch.delenv("BOT_LANGUAGE", raising=False)


def test_one_line_out_per_line_in_same_order(monkeypatch, capsys, labels_knowledge):
    code, out, err = _run(monkeypatch, capsys, "spf_failure\n\nI kö\nNot delivered - Queued?\nhej\n".encode())
    assert code == 0, err
    assert [row["query"] for row in out] == ["spf_failure", "", "I kö", "Not delivered - Queued?", "hej"]
    assert [row["status"] for row in out[:3]] == ["spf_failure", None, "queued"]
    for row in out:
        assert set(row) == {"query", "status", "score", "alternatives", "language", "also", "act"}
        assert isinstance(row["alternatives"], list) and isinstance(row["also"], list)
        assert row["act"] in {"status", "small_talk", "out_of_scope", "unknown_label"}


def test_language_comes_from_the_flag_then_the_text_then_the_setting(monkeypatch, capsys, labels_knowledge):
    _, out, _ = _run(monkeypatch, capsys, b"Queued\nI k\xc3\xb6\nspf_failure\n")
    assert [row["language"] for row in out] == ["en", "sv", "sv"]  # a code has none: BOT_LANGUAGE's default
    monkeypatch.setenv("BOT_LANGUAGE", "en")
    _, out, _ = _run(monkeypatch, capsys, b"spf_failure\n")
    assert out[0]["language"] == "en"
    _, out, _ = _run(monkeypatch, capsys, b"Queued\nspf_failure\n", lang="sv")
    assert [row["language"] for row in out] == ["sv", "sv"]


def test_last_line_without_newline_and_crlf(monkeypatch, capsys, labels_knowledge):
    _, out, _ = _run(monkeypatch, capsys, b"Levererad\r\nI k\xc3\xb6")
    assert [(row["query"], row["status"]) for row in out] == [("Levererad", "delivered"), ("I kö", "queued")]


def test_undecodable_bytes_do_not_stop_the_batch(monkeypatch, capsys, labels_knowledge):
    code, out, _ = _run(monkeypatch, capsys, b"\xff\xfe bad\nspf_failure\n")
    assert code == 0
    assert [row["status"] for row in out] == [None, "spf_failure"]


def test_bad_setting_exits_2_with_one_clear_line(monkeypatch, capsys, labels_knowledge):
    monkeypatch.setenv("BOT_LANGUAGE", "de")
    code, out, err = _run(monkeypatch, capsys, b"spf_failure\n")
    assert code == 2
    assert out == []
    assert len(err.strip().splitlines()) == 1 and "BOT_LANGUAGE" in err
    assert "Traceback" not in err


def test_broken_knowledge_exits_1_with_each_problem(monkeypatch, capsys):
    problems = ["knowledge/statuses/a.yaml: a: label: missing", "knowledge/index.yaml: -: lists b twice"]

    def broken(directory=None):
        raise loader.KnowledgeError(problems)

    monkeypatch.setattr(loader, "load_knowledge", broken)
    monkeypatch.delenv("BOT_LANGUAGE", raising=False)
    code, out, err = _run(monkeypatch, capsys, b"spf_failure\n")
    assert code == 1
    assert out == []
    lines = err.strip().splitlines()
    assert len(lines) == 2 and all(p in e for p, e in zip(problems, lines, strict=True))
    assert "Traceback" not in err


def test_a_large_batch_shared_among_workers_keeps_order_and_verdicts(monkeypatch, capsys, kb):
    monkeypatch.setattr(loader, "load_knowledge", lambda directory=None: kb)
    monkeypatch.delenv("BOT_LANGUAGE", raising=False)
    labels = [entry.label.get(language) for entry in kb for language in ("sv", "en")]
    # Every line different, and more of them than one worker process is given: the batch is shared out.
    lines = [f"{labels[i % len(labels)]} rad {i}" for i in range(match_cli._SHARED_FROM * 2)]
    lines[7] = lines[3]  # a line met again in the same batch
    code, out, err = _run(monkeypatch, capsys, ("\n".join(lines) + "\n").encode())
    assert code == 0, err
    assert [row["query"] for row in out] == lines
    judge = match_cli._Judge(match_cli_matcher(kb), None, "sv")
    for i in (0, 3, 7, 123, len(lines) - 1):
        assert out[i] == json.loads(judge(lines[i])), i


def match_cli_matcher(kb):
    from bot.matching.matcher import Matcher

    return Matcher(kb)
