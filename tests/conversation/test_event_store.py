"""The event store on SQLite and PostgreSQL: migrations, writes, retention, and the gaps report from a seeded store."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, inspect, select

from bot.conversation.gaps import gaps_report
from bot.conversation.gaps_output import as_csv, as_table
from bot.conversation.schema import events
from bot.conversation.store import current_revision, migrate, open_engine, open_store
from bot.core.ports import Event, EventKind

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def seed(store) -> None:
    def at(days: float) -> datetime:
        return NOW - timedelta(days=days)

    rows = [Event(EventKind.UNANSWERED, "slack", at=at(1), text=t) for t in (
        "why are no invitations sent on fridays", "Why are no invitations sent on Fridays?",
        "why are no invitation sent on friday", "can I change the logo in the email",
        "why are no invitations sent on fridays")]
    rows += [Event(EventKind.FEEDBACK, "slack", at=at(2), status="spf_failure", vote="down")] * 3
    rows += [Event(EventKind.FEEDBACK, "teams", at=at(2), status="spf_failure", vote="up")]
    rows += [Event(EventKind.FEEDBACK, "slack", at=at(2), status="spf_failure", picked="custom_sender_address")] * 2
    rows += [Event(EventKind.FEEDBACK, "slack", at=at(2), status="queued", vote="down"),
             Event(EventKind.FEEDBACK, "slack", at=at(2), status="spf_failure", text="it was the reply-to")]
    rows += [Event(EventKind.UNKNOWN_CODE, "slack", at=at(3), code="delivery_deferred",
                   invitation_id="5f1e9c2a7b3d4e5f6a7b0042")] * 4
    rows += [Event(EventKind.HANDOFF, "slack", at=at(1)), Event(EventKind.HANDOFF, "slack", at=at(30))]
    store.write(rows)


def test_a_fresh_database_is_migrated_to_the_newest_schema(store_url):
    store = open_store(store_url)
    assert current_revision(store.engine) == "0002"
    columns = {c["name"] for c in inspect(store.engine).get_columns("events")}
    assert {"text_key", "kind", "at", "invitation_id"} <= columns
    # Opening again (a restart, a second instance) changes nothing.
    open_store(store_url).close()
    store.close()


def test_an_upgrade_from_the_previous_schema_keeps_every_event(store_url):
    engine = open_engine(store_url)
    migrate(engine, "0001")
    assert current_revision(engine) == "0001"
    old = [{"at": NOW, "kind": "unanswered", "platform": "slack", "text": f"Varför – fråga {i}?"} for i in range(7)]
    with engine.begin() as connection:
        for row in old:  # only the old schema's columns
            connection.execute(insert(events).values(row))
    migrate(engine)
    assert current_revision(engine) == "0002"
    with engine.connect() as connection:
        rows = connection.execute(select(events.c.text, events.c.text_key).order_by(events.c.id)).all()
    assert [r[0] for r in rows] == [r["text"] for r in old]
    assert rows[0][1] == "varför fråga 0"
    engine.dispose()


def test_events_are_written_and_old_ones_deleted_after_the_retention_period(store_url):
    store = open_store(store_url, retention_days=90)
    store.write([Event(EventKind.HANDOFF, "slack", at=NOW - timedelta(days=91)),
                 Event(EventKind.HANDOFF, "slack", at=NOW - timedelta(days=89))])
    assert store.count() == 2
    assert store.purge(now=NOW) == 1
    assert store.count() == 1
    store.close()


def test_the_gaps_report_from_a_seeded_store(store_url):
    store = open_store(store_url)
    seed(store)
    report = gaps_report(store.engine, NOW - timedelta(days=7))
    data = report.to_json()
    assert data["since"] == "2026-11-20"
    top = data["unanswered"][0]
    assert top["count"] == 4 and "fridays" in top["example"].lower()
    assert data["unanswered"][1]["count"] == 1
    spf = data["feedback"][0]
    assert spf["status"] == "spf_failure" and spf["down"] == 3 and spf["up"] == 1
    assert spf["picked"] == {"custom_sender_address": 2} and spf["notes"] == ["it was the reply-to"]
    assert data["unknownCodes"] == [{"code": "delivery_deferred", "count": 4}]
    assert data["handoffs"] == 1
    json.dumps(data)
    assert "delivery_deferred" in as_table(report) and as_csv(report).startswith("section,key,count,detail")
    store.close()
