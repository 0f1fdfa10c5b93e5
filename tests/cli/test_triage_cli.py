"""`invitation-bot triage` as an agent runs it on a terminal."""

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

from bot.cli.triage import ProgressBar

ROOT = Path(__file__).resolve().parents[2]
EXPORT = (
    "sep=;\r\n"
    "Kundens e-post;Status;Skapad;Skickad;Typ;Referensnummer\r\n"
    "anna@example.se;Ej levererad – SPF-fel;2026-10-01 08:15;;Tjänsteomdöme;ORDER-1\r\n"
    "bo@example.se;Levererad;2026-10-02 09:15;2026-10-02 09:25;Tjänsteomdöme;ORDER-2\r\n"
    "cia@example.se;Ej levererad – blockerad;2026-10-09 09:15;;Tjänsteomdöme;=1+2\r\n"
    "dan@example.se;Ej levererad – helt okänd;2026-10-09 09:15;;Tjänsteomdöme;ORDER-4\r\n"
)


def run_bot(*args: str, stdin: bytes | None = None, env: dict[str, str] | None = None):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "INVITATIONS_", "BOT_"))}
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=ROOT, env={**clean, **(env or {})},
                          input=stdin, capture_output=True, timeout=120)


def test_json_has_the_documented_shape_and_the_action_list_is_written(tmp_path):
    export = tmp_path / "export.csv"
    export.write_bytes(EXPORT.encode("cp1252"))
    out = tmp_path / "actions.csv"
    result = run_bot("triage", str(export), "--json", "--out", str(out))
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert {key: payload[key] for key in ("file", "rows", "failed", "unrecognised", "from", "to", "actions",
                                          "language")} == {
        "file": "export.csv", "rows": 4, "failed": 2, "unrecognised": 1, "from": "2026-10-01", "to": "2026-10-09",
        "actions": 2, "language": "sv"}
    assert payload["byStatus"] == {"spf_failure": 1, "delivered": 1, "blocked": 1}
    assert payload["text"].startswith("Genomgång av export.csv: 2 av 4 inbjudningar levererades inte")
    assert payload["encoding"] == "Windows-1252" and payload["out"] == str(out)
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert [row[2] for row in rows[1:]] == ["ORDER-1", "'=1+2"]
    assert result.stderr == b""  # no progress bar when stderr is not a terminal


def test_text_in_the_chosen_language_read_from_stdin():
    result = run_bot("triage", "-", "--lang", "en", stdin=EXPORT.encode("utf-8"))
    assert result.returncode == 0, result.stderr
    text = result.stdout.decode()
    assert text.startswith("Triage of stdin: 2 of 4 invitations not delivered")
    assert "Fixes that would recover the most invitations" in text and "For future invitations" in text
    assert text.rstrip().endswith("Add --out FILE to write the action list (2 rows).")


def test_a_file_that_is_no_export_is_one_line_exit_2_and_leaves_an_earlier_action_list_alone(tmp_path):
    workbook = tmp_path / "export.xlsx"
    workbook.write_bytes(b"PK\x03\x04\x14\x00[Content_Types].xml" + bytes(200))
    out = tmp_path / "actions.csv"
    out.write_text("earlier list")
    result = run_bot("triage", str(workbook), "--out", str(out), "--lang", "en")
    assert result.returncode == 2
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr.decode()
    assert lines[0].startswith("invitation-bot: export.xlsx: This is an Excel or spreadsheet workbook")
    assert out.read_text() == "earlier list"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["actions.csv", "export.xlsx"]


def test_missing_file_and_out_over_the_input_are_usage_errors(tmp_path):
    missing = run_bot("triage", str(tmp_path / "nope.csv"), "--lang", "en")
    assert missing.returncode == 2 and b"Cannot open" in missing.stderr
    export = tmp_path / "export.csv"
    export.write_bytes(EXPORT.encode())
    same = run_bot("triage", str(export), "--out", str(export), "--lang", "en")
    assert same.returncode == 2 and b"--out must name another file" in same.stderr
    assert export.read_bytes() == EXPORT.encode()


def test_empty_file_says_so_in_swedish_by_default(tmp_path):
    empty = tmp_path / "tom.csv"
    empty.write_bytes(b"")
    result = run_bot("triage", str(empty))
    assert result.returncode == 2
    assert result.stderr.decode().strip() == ("invitation-bot: tom.csv: Filen är tom. Ladda upp CSV-exporten från "
                                              "sidan för inbjudningsstatus (Get reviews > Invitation status > "
                                              "Export).")


def test_progress_bar_draws_on_one_line_and_wipes_itself():
    out = io.StringIO()
    moments = iter([0.0, 0.05, 0.2, 0.3])
    bar = ProgressBar(out, clock=lambda: next(moments))
    bar(1024 * 1024, 4 * 1024 * 1024)
    bar(2 * 1024 * 1024, 4 * 1024 * 1024)  # too soon after the last drawing: skipped
    bar(3 * 1024 * 1024, 4 * 1024 * 1024)
    bar(4 * 1024 * 1024, 4 * 1024 * 1024)
    bar.clear()
    drawn = out.getvalue().split("\r")
    assert drawn[1].startswith("[#######.......") and "25%" in drawn[1] and "1.0 of 4.0 MB" in drawn[1]
    assert "75%" in drawn[2] and "100%" in drawn[3]
    assert drawn[-1] == "\x1b[K"


def test_a_100_kb_path_is_one_short_line():
    result = run_bot("triage", "x" * 100_000, "--lang", "en")
    err = result.stderr.decode()
    assert result.returncode == 2 and "Traceback" not in err
    assert err.count("\n") == 1 and err.startswith("invitation-bot: Cannot open xxx") and len(err) < 300
