"""Conditional GET on every JSON read of a service: a weak ETag of the body, 304 when it is current."""

from __future__ import annotations

import json

from flask import Response

from services.chassis import conditional
from tests.support.helpers import bearer

NOTE = {"community": "huaguoshan", "title": "Lift out of order"}


def _add(client, token, title):
    response = client.post("/notes", json={**NOTE, "title": title}, headers=bearer(token("center_staff")))
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def test_a_json_read_carries_a_weak_etag_and_no_cache(client, token):
    _add(client, token, "a")
    response = client.get("/notes")
    assert response.status_code == 200
    assert response.headers["ETag"].startswith('W/"') and len(response.headers["ETag"]) == len('W/""') + 32
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.get_json()[0]["title"] == "a"


def test_a_read_with_a_token_is_private(client, token):
    response = client.get("/notes", headers=bearer(token("center_staff")))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-cache"


def test_the_current_tag_in_if_none_match_gets_304_without_a_body(client, token):
    _add(client, token, "a")
    first = client.get("/notes")
    again = client.get("/notes", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["Cache-Control"] == "no-cache"
    assert "Content-Type" not in again.headers
    listed = client.get("/notes", headers={"If-None-Match": f'"other", {first.headers["ETag"]}'})
    assert listed.status_code == 304
    assert client.get("/notes", headers={"If-None-Match": "*"}).status_code == 304


def test_a_stale_or_foreign_tag_gets_the_body(client, token):
    _add(client, token, "a")
    old = client.get("/notes").headers["ETag"]
    assert client.get("/notes", headers={"If-None-Match": '"something-else"'}).status_code == 200
    _add(client, token, "b")
    changed = client.get("/notes", headers={"If-None-Match": old})
    assert changed.status_code == 200
    assert [note["title"] for note in changed.get_json()] == ["a", "b"]
    assert changed.headers["ETag"] != old


def test_the_page_totals_are_part_of_the_tag(client, token):
    _add(client, token, "a")
    first = client.get("/notes?page_size=1")
    _add(client, token, "b")  # page 1 shows the same note, but the list has grown
    second = client.get("/notes?page_size=1", headers={"If-None-Match": first.headers["ETag"]})
    assert second.status_code == 200
    assert json.loads(second.headers["X-Pagination"])["total"] == 2


def test_writes_problems_and_records_with_their_own_etag_are_left_alone(client, token):
    staff = bearer(token("center_staff"))
    created = client.post("/notes", json=NOTE, headers=staff)
    assert created.status_code == 201 and "ETag" not in created.headers
    missing = client.get("/notes/00000000-0000-0000-0000-000000000000", headers=staff)
    assert missing.status_code == 404 and "ETag" not in missing.headers
    record = client.get(f"/notes/{created.get_json()['id']}", headers=staff)
    assert record.status_code == 200
    assert not record.headers["ETag"].startswith("W/")  # flask-smorest's own tag, for If-Match
    assert "Cache-Control" not in record.headers


def test_no_store_and_non_json_answers_get_no_tag(app):
    with app.test_request_context("/anything", headers={"If-None-Match": "*"}):
        from flask import request

        secret = Response('{"a":1}', mimetype="application/json", headers={"Cache-Control": "no-store"})
        assert "ETag" not in conditional.revalidate(request, secret).headers
        text = Response("a,b\n", mimetype="text/csv")
        assert conditional.revalidate(request, text).status_code == 200
        assert "ETag" not in text.headers
    with app.test_request_context("/anything", method="POST", headers={"If-None-Match": "*"}):
        from flask import request

        posted = conditional.revalidate(request, Response("{}", mimetype="application/json"))
        assert posted.status_code == 200 and "ETag" not in posted.headers


def test_the_304_is_counted_as_such(client, token):
    _add(client, token, "a")
    tag = client.get("/notes").headers["ETag"]
    client.get("/notes", headers={"If-None-Match": tag})
    metrics = client.get("/metrics").get_data(as_text=True)
    assert 'http_requests_total{method="GET",route="/notes",status="304"} 1.0' in metrics
