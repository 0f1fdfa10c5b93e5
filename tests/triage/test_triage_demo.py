"""The example export in examples/ is the demo generator's own output, and its triage tells the demo's story."""

from __future__ import annotations

import io
from pathlib import Path

from bot.triage.demo import write_export

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "export-nordic-shoes.sv.csv"


def test_the_example_export_is_what_the_generator_writes():
    out = io.StringIO(newline="")
    count = write_export(out, "nordic-shoes.example", "sv", days=30)
    assert out.getvalue().encode("utf-8") == EXAMPLE.read_bytes()
    assert count == 2099


def test_the_example_triage_shows_the_spf_surge_first(desk):
    with EXAMPLE.open("rb") as stream:
        result = desk.triage(stream, EXAMPLE.name, actions=io.BytesIO())
    data = result.reply.data
    assert (data["rows"], data["unrecognised"], data["language"]) == (2099, 1, "sv")
    assert data["topFixes"][0]["status"] == "spf_failure"
    # The surge of SPF failures in the last twelve days shows in the weekly trend.
    rates = [week["failed"] / week["rows"] for week in data["byWeek"][1:-1]]
    assert rates == sorted(rates)
    assert data["unrecognisedLabels"] == [{"label": "Ej levererad – tillfälligt uppskjuten", "count": 1}]
