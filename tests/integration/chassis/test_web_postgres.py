"""Idempotency keys under real concurrency on PostgreSQL."""

import threading

from sqlalchemy import text

from services.chassis.app import create_app
from tests.support.helpers import bearer
from tests.unit.chassis import toy

NOTE = {"community": "huaguoshan", "title": "Flooded basement"}


def _app(runtime):
    app = create_app("toy", runtime=runtime, metadata=toy.Base.metadata, blueprints=[toy.blp])
    app.testing = True
    return app


def _run_together(count, call):
    barrier = threading.Barrier(count)
    results = [None] * count

    def worker(index):
        barrier.wait()
        results[index] = call(index)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


def test_same_idempotency_key_sent_ten_times_at_once_creates_one_note(toy_runtime, token):
    runtime = toy_runtime()
    app = _app(runtime)
    headers = bearer(token("center_staff", sub="desk-1"), **{"Idempotency-Key": "once-only"})
    responses = _run_together(10, lambda _: app.test_client().post("/notes", json=NOTE, headers=headers))
    assert [r.status_code for r in responses] == [201] * 10
    assert len({r.get_json()["id"] for r in responses}) == 1
    assert sum(r.headers.get("Idempotent-Replayed") == "true" for r in responses) == 9
    with runtime.database.engine.connect() as connection:
        assert connection.execute(text("SELECT COUNT(*) FROM notes")).scalar() == 1
        assert connection.execute(text("SELECT COUNT(*) FROM outbox")).scalar() == 1


def test_different_keys_at_once_each_create_a_note(toy_runtime, token):
    runtime = toy_runtime()
    app = _app(runtime)
    staff = token("center_staff", sub="desk-2")
    responses = _run_together(
        8,
        lambda i: app.test_client().post(
            "/notes", json=NOTE, headers=bearer(staff, **{"Idempotency-Key": f"k-{i}"})
        ),
    )
    assert [r.status_code for r in responses] == [201] * 8
    with runtime.database.engine.connect() as connection:
        assert connection.execute(text("SELECT COUNT(*) FROM notes")).scalar() == 8
