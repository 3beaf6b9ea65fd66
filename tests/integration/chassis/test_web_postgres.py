"""Idempotency keys under real concurrency on PostgreSQL."""

import threading
from urllib.parse import urlsplit

from flask import request
from sqlalchemy import text

from services.chassis.app import create_app
from tests.support.fixtures import TcpProxy
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


def _behind_proxy(toy_runtime, postgres_databases):
    url = postgres_databases.empty("toy")
    target = urlsplit(url)
    proxy = TcpProxy(target.hostname or "127.0.0.1", target.port or 5432)
    return proxy, toy_runtime(database_url=proxy.url_for(url))


def test_a_database_restart_costs_no_request(toy_runtime, postgres_databases, token):
    proxy, runtime = _behind_proxy(toy_runtime, postgres_databases)
    client = _app(runtime).test_client()
    staff = bearer(token("center_staff"))
    try:
        assert client.post("/notes", json=NOTE, headers=staff).status_code == 201  # a pooled connection
        proxy.cut()  # the server goes away and comes back: every open connection is gone
        proxy.restore()
        assert client.post("/notes", json=NOTE, headers=staff).status_code == 201
        assert client.get("/readyz").status_code == 200
    finally:
        proxy.close()


def test_a_transaction_whose_connection_was_lost_runs_once_more_on_a_fresh_one(
    toy_runtime, postgres_databases, token
):
    proxy, runtime = _behind_proxy(toy_runtime, postgres_databases)
    runtime.database.engine.pool._pre_ping = (
        False  # the lost connection is found by the view's first statement
    )
    client = _app(runtime).test_client()
    staff = bearer(token("center_staff"))
    try:
        assert client.post("/notes", json=NOTE, headers=staff).status_code == 201
        proxy.cut()
        proxy.restore()
        response = client.post("/notes", json=dict(NOTE, title="after the restart"), headers=staff)
        assert response.status_code == 201, response.get_json()
        with runtime.database.engine.connect() as connection:
            titles = connection.execute(text("SELECT title FROM notes ORDER BY title")).scalars().all()
        assert titles == ["Flooded basement", "after the restart"]  # applied once
    finally:
        proxy.close()


def test_a_read_whose_connection_is_lost_after_its_answer_still_answers(
    toy_runtime, postgres_databases, token
):
    """The database goes away after a read was answered, before its transaction was ended:
    the answer stands (it was a 500 from the ending rollback), and the next read gets a
    fresh connection."""
    proxy, runtime = _behind_proxy(toy_runtime, postgres_databases)
    app = _app(runtime)
    cut_once = []

    @app.after_request
    def restart_the_database(response):  # after the view, before the teardown ends its transaction
        if request.method == "GET" and not cut_once:
            cut_once.append(True)
            proxy.cut()
            proxy.restore()
        return response

    client = app.test_client()
    try:
        assert client.post("/notes", json=NOTE, headers=bearer(token("center_staff"))).status_code == 201
        answered = client.get("/notes")
        assert cut_once and answered.status_code == 200
        assert [note["title"] for note in answered.get_json()] == ["Flooded basement"]
        again = client.get("/notes")
        assert again.status_code == 200 and again.get_json() == answered.get_json()
    finally:
        proxy.close()
