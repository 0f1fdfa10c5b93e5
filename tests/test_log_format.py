"""LOG_FORMAT=json: one JSON object a line, tracebacks included, for every command that logs."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

from bot.config import ConfigError, load_settings, log_format_from_env
from bot.logformat import JsonFormatter

ROOT = Path(__file__).resolve().parents[1]


def test_a_record_with_a_traceback_is_one_json_line():
    logger = logging.getLogger("test.json")
    try:
        raise ValueError("bad\nthing")
    except ValueError:
        record = logger.makeRecord("test.json", logging.ERROR, __file__, 1, "failed: %s", ("x\ny",),
                                   sys.exc_info())
    line = JsonFormatter().format(record)
    assert "\n" not in line
    data = json.loads(line)
    assert data["level"] == "ERROR" and data["logger"] == "test.json" and data["message"] == "failed: x\ny"
    assert "ValueError: bad" in data["exception"] and data["time"].endswith("Z")


def test_log_format_is_read_and_checked_with_the_settings():
    assert log_format_from_env({"LOG_FORMAT": "JSON"}) == "json"
    assert log_format_from_env({}) == "text"
    assert load_settings({"LOG_FORMAT": "json"}).log_format == "json"
    try:
        load_settings({"LOG_FORMAT": "xml"})
    except ConfigError as exc:
        assert any("LOG_FORMAT" in p for p in exc.problems)
    else:
        raise AssertionError("LOG_FORMAT=xml was accepted")


def test_the_commands_log_setup_writes_json_lines():
    code = ("import logging; from bot.cli.common import setup_logging; setup_logging(logging.INFO); "
            "log = logging.getLogger('bot.x'); log.info('hello %s', 'världen')\n"
            "try:\n    1/0\nexcept ZeroDivisionError:\n    log.exception('failed')")
    env = {**os.environ, "LOG_FORMAT": "json"}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=60)
    lines = result.stderr.splitlines()
    assert len(lines) == 2, result.stderr
    first, second = (json.loads(line) for line in lines)
    assert first["message"] == "hello världen" and first["level"] == "INFO"
    assert "ZeroDivisionError" in second["exception"]
