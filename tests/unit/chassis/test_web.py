"""Request ids, metrics, readiness, ETags and Idempotency-Key on the chassis."""

import json
import logging

import pytest
from sqlalchemy import text

from tests.support.helpers import assert_problem, bearer, key_settings
from tests.unit.chassis import toy

NOTE = {"community": "huaguoshan", "title": "Lift out of order"}


@pytest.fixture
def staff(token):
    return bearer(token("center_staff", sub="staff-1"))


def _count(app, table):
    with app.extensions["community"].database.engine.connect() as connection:
        return connection.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar()


def test_request_id_is_generated_returned_and_logged(client, caplog):
    caplog.set_level(logging.INFO)
    response = client.get("/healthz")
    request_id = response.headers["X-Request-ID"]
    assert len(request_id) == 32
    from services.chassis.observability import JsonFormatter

    lines = [json.loads(JsonFormatter().format(r)) for r in caplog.records if r.name == "toy.access"]
    assert lines[-1]["request_id"] == request_id
    assert lines[-1]["service"] == "toy"


def test_callers_request_id_is_kept_and_reaches_the_event(app, client, staff):
    response = client.post("/notes", json=NOTE, headers={**staff, "X-Request-ID": "desk-42-abc"})
    assert response.headers["X-Request-ID"] == "desk-42-abc"
    with app.extensions["community"].database.engine.connect() as connection:
        body = connection.execute(text("SELECT body FROM outbox")).scalar()
    assert json.loads(body)["correlationid"] == "desk-42-abc"


def test_unsafe_request_id_is_replaced(client):
    response = client.get("/healthz", headers={"X-Request-ID": "<script>alert(1)</script>"})
    assert response.headers["X-Request-ID"] != "<script>alert(1)</script>"
    assert len(response.headers["X-Request-ID"]) == 32


def test_metrics_count_requests_by_route_and_status(client, staff):
    client.post("/notes", json=NOTE, headers=staff)
    client.get("/no/such")
    text_body = client.get("/metrics").get_data(as_text=True)
    assert 'http_requests_total{method="POST",route="/notes",status="201"} 1.0' in text_body
    assert 'http_requests_total{method="GET",route="<unmatched>",status="404"} 1.0' in text_body
    assert "http_request_duration_seconds_bucket" in text_body


def test_a_services_metrics_are_refused_to_any_token_but_an_operators(client, token):
    refused = assert_problem(client.get("/metrics", headers=bearer(token("resident"))), 403)
    assert "operators" in refused["detail"]
    assert_problem(client.get("/metrics", headers=bearer(token("center_staff"))), 403)
    assert client.get("/metrics", headers=bearer(token("admin"))).status_code == 200
    assert client.get("/metrics").status_code == 200  # the in-cluster scraper shows no token


def test_readyz_is_503_problem_when_the_database_is_gone(tmp_path, key_dir):
    app = toy.make_app(tmp_path, key_settings(key_dir))
    runtime = app.extensions["community"]
    runtime.database.engine.dispose()
    (tmp_path / "toy.db").unlink()
    (tmp_path / "toy.db").mkdir()  # a folder where the file was: the database cannot open
    body = assert_problem(app.test_client().get("/readyz"), 503, type_suffix="not-ready")
    assert body["checks"] == {"database": "OperationalError"}


def test_readyz_is_ready_while_the_broker_is_unreachable(tmp_path, key_dir):
    # A web process only writes to its outbox: a broker outage must not take it out of rotation.
    unreachable = "amqp://guest:guest@127.0.0.1:9//"
    app = toy.make_app(tmp_path, key_settings(key_dir), amqp_url=unreachable)
    response = app.test_client().get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ready", "service": "toy", "checks": {"database": "ok"}}


def test_429_is_a_problem_with_retry_after(client):
    response = client.get("/limited")
    assert_problem(response, 429)
    assert response.headers["Retry-After"] == "7"


def test_stale_if_match_is_412_and_missing_if_match_is_428(client, staff):
    created = client.post("/notes", json=NOTE, headers=staff).get_json()
    url = f"/notes/{created['id']}"
    etag = client.get(url, headers=staff).headers["ETag"]
    assert_problem(client.put(url, json={"title": "x"}, headers=staff), 428)
    ok = client.put(url, json={"title": "Lift fixed"}, headers={**staff, "If-Match": etag})
    assert ok.status_code == 200 and ok.get_json()["title"] == "Lift fixed"
    stale = client.put(url, json={"title": "again"}, headers={**staff, "If-Match": etag})
    assert_problem(stale, 412)
    assert client.get(url, headers=staff).get_json()["title"] == "Lift fixed"


def test_idempotency_key_replays_the_first_response(app, client, staff):
    headers = {**staff, "Idempotency-Key": "ticket-7f3a"}
    first = client.post("/notes", json=NOTE, headers=headers)
    second = client.post("/notes", json=NOTE, headers=headers)
    assert first.status_code == second.status_code == 201
    assert second.get_json() == first.get_json()
    assert second.headers["Idempotent-Replayed"] == "true"
    assert _count(app, "notes") == 1 and _count(app, "outbox") == 1


def test_idempotency_key_reused_for_another_body_is_422(app, client, staff):
    headers = {**staff, "Idempotency-Key": "k-1"}
    client.post("/notes", json=NOTE, headers=headers)
    response = client.post("/notes", json={**NOTE, "title": "other"}, headers=headers)
    assert_problem(response, 422, type_suffix="idempotency-key-reused")
    assert _count(app, "notes") == 1


def test_idempotency_keys_are_per_caller(app, client, token):
    a = bearer(token("center_staff", sub="a"), **{"Idempotency-Key": "same"})
    b = bearer(token("center_staff", sub="b"), **{"Idempotency-Key": "same"})
    assert client.post("/notes", json=NOTE, headers=a).status_code == 201
    assert client.post("/notes", json=NOTE, headers=b).status_code == 201
    assert _count(app, "notes") == 2


def test_failed_request_does_not_burn_its_idempotency_key(app, client, staff):
    headers = {**staff, "Idempotency-Key": "retry-me"}
    assert_problem(client.post("/notes", json={**NOTE, "title": "refuse"}, headers=headers), 409)
    assert _count(app, "idempotency_keys") == 0


def test_invalid_idempotency_key_is_400(client, staff):
    response = client.post("/notes", json=NOTE, headers={**staff, "Idempotency-Key": "x" * 201})
    assert_problem(response, 400, type_suffix="idempotency-key-invalid")


@pytest.mark.parametrize(
    "header, allowed",
    [
        ('"a.3"', True),
        ("*", True),
        ('"x.1", "a.3"', True),
        ('"x.1" ,"a.3"', True),
        ('"a.2"', False),
        ('W/"a.3"', False),
        ('"x.1", "y.2"', False),
        ("", False),
    ],
)
def test_if_match_allows_star_or_the_current_tag_among_a_list(header, allowed):
    from services.chassis.conditional import matches as if_match_allows

    assert if_match_allows(header, '"a.3"') is allowed


def test_a_write_without_if_match_is_428_and_with_a_stale_tag_412():
    from services.chassis.conditional import require_match, version_tag
    from services.chassis.errors import PreconditionFailed, PreconditionRequired

    current = version_tag("cell", "0a1b2c3d-rest", 4)
    assert current == '"cell-0a1b2c3d-4"'
    with pytest.raises(PreconditionRequired, match="Send If-Match with the cell's ETag"):
        require_match(None, current, what="cell")
    with pytest.raises(PreconditionFailed, match="changed since you read it"):
        require_match('"cell-0a1b2c3d-3"', current, what="cell")
    require_match(f'"x", {current}', current, what="cell")
    require_match("*", current, what="cell")
    with pytest.raises(PreconditionFailed, match="`\\*` is not accepted"):
        require_match("*", current, what="contract", allow_any=False)


def test_a_content_tag_is_the_same_for_the_same_representation():
    from services.chassis.conditional import content_tag

    assert content_tag({"a": 1, "b": [1, 2]}) == content_tag({"b": [1, 2], "a": 1})
    assert content_tag({"a": 1}) != content_tag({"a": 2})
