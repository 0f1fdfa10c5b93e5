"""The gaps report as a table for people, CSV for spreadsheets, JSON for programs (operator output, English)."""

from __future__ import annotations

import csv
import io
import json

from bot.conversation.gaps import GapsReport


def as_json(report: GapsReport) -> str:
    return json.dumps(report.to_json(), ensure_ascii=False, indent=2)


def as_csv(report: GapsReport) -> str:
    """One row per finding: section, key, count, detail."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["section", "key", "count", "detail"])
    for group in report.unanswered:
        writer.writerow(["unanswered", group.example, group.count, " | ".join(group.examples[1:])])
    if report.unanswered_other:
        writer.writerow(["unanswered", "(rare wordings)", report.unanswered_other, ""])
    for item in report.feedback:
        picked = "; ".join(f"{status}={count}" for status, count in item.picked.items())
        writer.writerow(["feedback_down", item.status, item.down, picked])
        writer.writerow(["feedback_up", item.status, item.up, ""])
    for code, count in report.unknown_codes:
        writer.writerow(["unknown_code", code, count, ""])
    writer.writerow(["handoffs", "", report.handoffs, ""])
    return out.getvalue()


def as_table(report: GapsReport) -> str:
    lines = [f"Knowledge gaps since {report.since.isoformat()}", ""]
    lines.append("Unanswered questions (grouped by wording)")
    if not report.unanswered:
        lines.append("  none")
    for group in report.unanswered:
        lines.append(f"  {group.count:>6}  {group.example}")
        for other in group.examples[1:]:
            lines.append(f"          also: {other}")
    if report.unanswered_other:
        lines.append(f"  {report.unanswered_other:>6}  (rarer wordings, not grouped)")
    lines += ["", "Feedback by status (most 👎 first)"]
    if not report.feedback:
        lines.append("  none")
    for item in report.feedback:
        picked = ", ".join(f"{status} ×{count}" for status, count in item.picked.items())
        lines.append(f"  {item.status:<32} 👍 {item.up:>5}  👎 {item.down:>5}" + (f"  picked instead: {picked}"
                                                                                if picked else ""))
        for note in item.notes:
            lines.append(f"          note: {note}")
    lines += ["", "Status codes the knowledge base lacks"]
    if not report.unknown_codes:
        lines.append("  none")
    for code, count in report.unknown_codes:
        lines.append(f"  {count:>6}  {code}")
    lines += ["", f"Hand-offs to a person: {report.handoffs}"]
    return "\n".join(lines) + "\n"
