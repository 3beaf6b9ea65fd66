"""Sent outbox rows, old inbox rows and old idempotency keys are pruned; unsent rows never."""

from datetime import timedelta

from sqlalchemy import insert, select, update

from services.chassis import clock
from services.chassis.outbox import prune
from tests.support.helpers import key_settings
from tests.unit.chassis import toy


def test_prune_removes_what_is_old_and_done_and_keeps_the_rest(tmp_path, key_dir):
    runtime = toy.make_runtime(
        f"sqlite:///{tmp_path}/p.db", "memory://", "p", tmp_path, key_settings(key_dir)
    )
    events = [toy.add_note(runtime, f"n{i}") for i in range(4)]
    outbox, inbox = runtime.database.table("outbox"), runtime.database.table("inbox")
    keys = runtime.database.table("idempotency_keys")
    long_ago, now = clock.now() - timedelta(days=40), clock.now()
    with runtime.database.engine.begin() as connection:
        sent_at = {events[0]["id"]: long_ago, events[1]["id"]: now - timedelta(hours=1)}
        for event_id, when in sent_at.items():  # [2] stays unsent although old
            connection.execute(update(outbox).where(outbox.c.event_id == event_id).values(sent_at=when))
        connection.execute(
            update(outbox).where(outbox.c.event_id == events[2]["id"]).values(created_at=long_ago)
        )
        connection.execute(
            insert(inbox),
            [
                {"event_id": "old", "handler": "h", "event_type": "t", "processed_at": long_ago},
                {"event_id": "new", "handler": "h", "event_type": "t", "processed_at": now},
            ],
        )
        connection.execute(
            insert(keys),
            [
                {
                    "principal": "p",
                    "key": k,
                    "method": "POST",
                    "path": "/notes",
                    "request_hash": "x",
                    "created_at": when,
                }
                for k, when in (("old", long_ago), ("new", now))
            ],
        )
    assert prune(runtime.database, retention_hours=72) == 1
    with runtime.database.engine.connect() as connection:
        left = set(connection.execute(select(outbox.c.event_id)).scalars())
        assert left == {e["id"] for e in events[1:]}
        assert set(connection.execute(select(inbox.c.event_id)).scalars()) == {"new"}
        assert set(connection.execute(select(keys.c.key)).scalars()) == {"new"}
    runtime.database.dispose()
