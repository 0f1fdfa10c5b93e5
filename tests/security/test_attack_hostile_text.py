"""Attack: text built to make the masking and the export's column detection backtrack (a merchant's message or
shared export of digits, letters or almost-addresses) cost seconds of CPU each, with the GIL held: a few such
messages stalled every answer of the instance. Their cost is measured in benchmarks/bench_hostile_text.py (not
here: tests carry no timings); these tests hold the masking itself to what it promised after the fix that bounded
the address pattern's local part (64 characters, as RFC 5321) and the column detector's cell length (254)."""

from __future__ import annotations

import io

from secure_slack import BOUND, GUEST, MERCHANT_TEAM, everything, mention


def test_addresses_pasted_back_to_back_are_each_masked(app):
    text = ("Ej levererad – SPF-fel för anna.svensson@example.se/bo.ek@example.com+"
            "x" * 70 + "@kund.example och " + "1" * 5000)
    reply = mention(app, text, "Atk-text-1", channel=BOUND, user=GUEST, user_team=MERCHANT_TEAM)
    shown = everything(reply)
    for address in ("anna.svensson@", "bo.ek@", "x" * 64 + "@"):
        assert address not in shown
    assert "kund.example" not in shown or "x***@kund.example" in shown


def test_a_hostile_export_is_still_read_for_its_addresses(components):
    rows = ["a@" + "b." * 20_000 + "<;Status;Skapad"] + ["anna@example.se;Levererad;2026-11-02"] * 3
    data = ("\n".join(rows) + "\n").encode()
    result = components.triage.triage(io.BytesIO(data), "hostile.csv", size=len(data), language="en",
                                      fallback="en", mask=True)
    assert result.ok
    assert "anna@example.se" not in result.reply.title + str(result.reply.sections)
