"""Promise 12: every user mistake on the command line gets one clear line and a non-zero exit, never a traceback:
impossible dates, a 100 KB argument, an unknown account."""

from __future__ import annotations

import pytest
from secure_cli import run_bot

BIG = "x" * 100_000  # a 100 KB argument


def one_clear_line(result) -> str:
    err = result.stderr.decode()
    assert "Traceback" not in err
    assert err.count("\n") == 1 and err.startswith("invitation-bot: "), err[:300]
    assert len(err) < 300
    return err


@pytest.mark.parametrize(("args", "code", "says"), [
    (("summary", "--business-unit", "nordic-shoes.example", "--from", "0999-12-31"), 2, "between the years 1000"),
    (("summary", "--business-unit", "nordic-shoes.example", "--to", "0001-01-05"), 2, "between the years 1000"),
    (("summary", "--business-unit", "nordic-shoes.example", "--from", "9999-12-31",
      "--to", "9999-12-31T23:59:59Z"), 2, "between the years 1000"),
    (("summary", "--business-unit", "nordic-shoes.example", "--from", BIG), 2, "is not a date"),
    (("find", "--reference", BIG, "--business-unit", "nordic-shoes.example"), 2, "too long"),
    (("find", "--email", BIG + "@example.se", "--business-unit", "nordic-shoes.example"), 2,
     "is not an email address"),
    (("status", BIG), 2, "is not a valid invitation id"),
    (("summary", "--business-unit", BIG + ".example"), 2, "nor a domain"),
    (("summary", "--business-unit", "no-such-shop.example"), 1, "No account with the domain no-such-shop.example"),
    (("status", "01188f639aae8f1da0f15423", "--business-unit", "no-such-shop.example"), 1, "No account"),
], ids=["before year 1000", "to year 1", "calendar end", "100 KB date", "100 KB reference", "100 KB email",
        "100 KB id", "100 KB domain", "unknown account", "unknown account for a status"])
def test_a_user_mistake_gets_one_clear_line_and_a_non_zero_exit(args, code, says):
    result = run_bot(*args, "--lang", "en")
    assert result.returncode == code
    assert says in one_clear_line(result)
    assert result.stdout == b""


@pytest.mark.parametrize("text", ["summary for nordic-shoes.example 9999-12-31",
                                  "summary for nordic-shoes.example from 0999-01-01 to 0999-02-01"])
def test_impossible_dates_in_a_question_get_an_answer_not_an_apology(text):
    result = run_bot("ask", "--lang", "en", text)
    assert result.returncode == 0
    assert result.stdout.decode().startswith("The dates must be between the years 1000 and 9998.")
    assert result.stderr == b""
