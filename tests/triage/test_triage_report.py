"""The triage desk: the report's figures and groups, the action list, masking, and what an unreadable file gets."""

from __future__ import annotations

import csv
import io

from exports import EN_HEADER, SV_ROWS, csv_text, sv_export

from bot.core.models import ReplyKind
from bot.core.triage import action_list_header
from bot.render.text import render_text


def triage(desk, data: bytes, name="export.csv", **options):
    out = io.BytesIO()
    result = desk.triage(io.BytesIO(data), name, actions=out, **options)
    raw = out.getvalue()
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=result.reply.data.get("delimiter", ";")))
    return result, raw, rows


def test_counts_period_and_statuses_match_the_file(desk):
    result, _raw, _rows = triage(desk, sv_export())
    data = result.reply.data
    assert (data["rows"], data["failed"], data["unrecognised"]) == (10, 7, 0)
    assert data["byStatus"] == {"spf_failure": 2, "delivered": 1, "invalid_recipient": 1, "blocked": 1,
                                "scheduled_for_later": 1, "blocked_email": 1, "queued": 1,
                                "delivered_unsubscribed": 1, "reviewed_today": 1}
    assert (data["from"], data["to"]) == ("2026-10-01", "2026-10-14")
    assert data["language"] == "sv" and data["file"] == "export.csv"
    assert data["actions"] == 7 and result.actions == 7
    assert (data["delivered"], data["pending"]) == (2, 1)
    assert [week["from"] for week in data["byWeek"]] == ["2026-09-28", "2026-10-05", "2026-10-12"]
    assert [week["rows"] for week in data["byWeek"]] == [3, 4, 3]
    assert [week["failed"] for week in data["byWeek"]] == [2, 4, 1]


def test_failures_are_grouped_by_what_can_really_be_done(desk):
    result, _raw, _rows = triage(desk, sv_export())
    data = result.reply.data
    # Only what a fix wins back counts as recoverable: never blocked, scheduled-for-later or reviewed-today.
    assert [fix["status"] for fix in data["topFixes"]] == ["spf_failure", "invalid_recipient"]
    assert data["byAction"] == {"resend_after_fix": 3, "new_invitation_other_address": 1,
                                "retries_automatically": 1, "do_not_send_again": 1, "nothing_to_do": 1}
    assert data["failureGroups"] == {"recoverable": 3, "automatic": 1, "forFuture": 2, "notRecoverable": 0,
                                     "nothingToDo": 1}
    text = render_text(result.reply)
    assert text.index("Åtgärder som skulle rädda flest inbjudningar") < text.index("Hanteras automatiskt")
    assert text.index("Hanteras automatiskt") < text.index("Inför kommande inbjudningar")
    assert "Ej levererad – SPF-fel (2): kan skickas igen när orsaken är åtgärdad" in text
    # The knowledge base's own action says what is left to do with each of them.
    assert "Ej levererad – blockerad: 1 – Skicka inte den här inbjudan igen." in text
    assert "Ej levererad – blockerad e-postadress: 1 – Skicka inte om till den här adressen" in text
    assert "Ej levererad – omdöme lämnat idag: 1" in text
    assert "Vecka 41" in text and "Period: 1 okt. 2026 – 14 okt. 2026" in text


def test_the_largest_recoverable_failure_comes_first_with_the_knowledge_bases_own_steps(desk, kb):
    rows = [(f"p{i}@x.se", label, "2026-10-01", "", "Tjänst", f"R{i}", "N")
            for i, label in enumerate(["Ej levererad – ogiltig mottagare"] * 2 + ["Ej levererad – SPF-fel"] * 5)]
    result, _raw, _rows = triage(desk, csv_text(rows).encode(), language="en")
    fixes = next(section for section in result.reply.sections
                 if section.heading == "Fixes that would recover the most invitations")
    assert fixes.items[0].startswith("Not delivered - SPF failure (5): can be sent again once the cause is fixed")
    assert kb.get("spf_failure").steps.en[0] in fixes.items[0]
    assert fixes.items[1].startswith("Not delivered - Invalid recipient (2)")


def test_the_action_list_has_one_row_per_failure_resendable_first_ready_to_re_import(desk):
    _result, raw, rows = triage(desk, sv_export())
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads the Swedish letters right
    assert rows[0] == action_list_header("sv")
    assert rows[0][:3] == ["E-post", "Namn", "Referensnummer"]
    body = rows[1:]
    assert len(body) == 7
    assert [row[2] for row in body[:3]] == ["ORDER-1", "ORDER-3", "ORDER-4"]  # the ones a fix wins back
    assert {row[5] for row in body[:3]} == {"ja"} and {row[5] for row in body[3:]} == {"nej"}
    by_reference = {row[2]: row for row in body}
    assert by_reference["ORDER-3"][:4] == ["bo@example.se", "Bo Ärlig", "ORDER-3", "Ej levererad – SPF-fel"]
    assert by_reference["ORDER-3"][4].startswith("Åtgärda orsaken och skicka sedan inbjudan igen.")
    assert by_reference["ORDER-5"][4].startswith("Skicka inte den här inbjudan igen.")
    assert by_reference["ORDER-6"][4].startswith("Inget att göra: den skickas automatiskt på nytt")
    assert by_reference["ORDER-3"][6:] == ["2026-10-02", "", "Produktomdöme", "4"]
    assert "ORDER-2" not in by_reference and "ORDER-8" not in by_reference  # delivered, queued


def test_the_action_list_speaks_the_replys_language_and_the_files_delimiter(desk):
    result, raw, rows = triage(desk, sv_export(delimiter=","), language="en")
    assert result.reply.language == "en"
    assert raw.decode("utf-8-sig").splitlines()[0].count(",") == 9
    assert rows[0][:6] == ["Email", "Name", "Reference number", "Status", "What to do",
                           "Can be sent again after the fix"]
    assert rows[1][3] == "Not delivered - SPF failure" and rows[1][5] == "yes"


def test_cells_that_would_run_as_formulas_are_neutralised(desk):
    hostile = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+1+1", "-2+3", "@SUM(A1:A2)", "\tTAB", "\rCR"]
    rows = [(f"{value}@x.se" if i % 2 else value, "Ej levererad – SPF-fel", "2026-10-01", "", value, value, value)
            for i, value in enumerate(hostile)]
    _result, _raw, written = triage(desk, csv_text(rows).encode())
    for row in written[1:]:
        for cell in (row[0], row[1], row[2], row[8]):
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), row
    assert written[1][2] == "'=HYPERLINK(\"http://evil.example\",\"x\")"
    assert written[3][1] == "'-2+3"


def test_an_unknown_status_is_counted_with_examples_and_recorded_as_a_gap(desk, caplog):
    rows = [("a@x.se", "Ej levererad – adressen i karantän", "2026-10-01", "", "Tjänst", "R1", "A"),
            ("b@x.se", "Ej levererad – adressen i karantän", "2026-10-01", "", "Tjänst", "R2", "B"),
            ("c@x.se", "Levererad", "2026-10-01", "", "Tjänst", "R3", "C")]
    with caplog.at_level("WARNING", logger="bot.knowledge_gaps"):
        result, _raw, written = triage(desk, csv_text(rows).encode())
    data = result.reply.data
    assert data["unrecognised"] == 2 and data["rows"] == 3 and data["failed"] == 0
    assert data["unrecognisedLabels"] == [{"label": "Ej levererad – adressen i karantän", "count": 2}]
    assert "”Ej levererad – adressen i karantän”: 2" in render_text(result.reply)
    assert "adressen i karantän" in caplog.text
    assert len(written) == 1  # only the heading: nothing known to have failed


def test_in_a_shared_channel_personal_data_in_the_message_is_masked(desk):
    rows = [("a@x.se", "see anna.svensson@example.se", "2026-10-01", "", "Tjänst", "R1", "A"),
            ("b@x.se", "Ej levererad – SPF-fel", "2026-10-01", "", "Tjänst", "R2", "B")]
    result, _raw, written = triage(desk, csv_text(rows).encode(), name="export for bo@example.se.csv", mask=True)
    text = render_text(result.reply) + str(result.reply.data)
    assert "anna.svensson@example.se" not in text and "a***@example.se" in text
    assert "bo@example.se" not in text and "b***@example.se" in text
    # The action list itself is the uploader's own data, for them alone: complete.
    assert written[1][0] == "b@x.se"


def test_the_reply_language_comes_from_the_labels_unless_chosen(desk):
    english = csv_text([("a@x.com", "Not delivered - SPF failure", "2026-10-01", "", "Service", "R1", "A")], ",",
                       EN_HEADER).encode()
    assert triage(desk, english, fallback="sv")[0].reply.language == "en"
    assert triage(desk, english, language="sv")[0].reply.language == "sv"
    assert triage(desk, sv_export(), fallback="en")[0].reply.language == "sv"


def test_an_unreadable_file_gets_one_sentence_and_no_action_list(desk):
    result, raw, _rows = triage(desk, b"PK\x03\x04" + b"[Content_Types].xml" + bytes(100), name="export.xlsx",
                                language="en")
    assert not result.ok and result.reply.kind is ReplyKind.ERROR
    assert result.reply.data["error"] == "spreadsheet"
    assert "CSV UTF-8" in render_text(result.reply)
    assert raw == b"" and result.actions == 0


def test_a_file_that_breaks_off_halfway_leaves_no_action_list(desk):
    class Broken(io.BytesIO):
        def read(self, size=-1):
            if self.tell() > 70_000:
                raise ConnectionResetError("download interrupted")
            return super().read(size)

    big = sv_export() + csv_text(SV_ROWS * 400, header=None).encode()
    out = io.BytesIO()
    result = desk.triage(Broken(big), "export.csv", actions=out, language="en")
    assert result.reply.data["error"] == "unreadable"
    assert out.getvalue() == b""
