"""Input hygiene in the chassis: what every endpoint refuses before it reaches a use case."""

import json
from decimal import Decimal

import marshmallow as ma
import pytest
from sqlalchemy import text

from services.chassis import hygiene
from services.chassis.errors import problem_response
from services.chassis.schemas import Schema
from tests.support.helpers import assert_problem, bearer, key_settings
from tests.unit.chassis import toy

NOTE = {"community": "huaguoshan", "title": "Lift out of order"}


@pytest.fixture
def staff(token):
    return bearer(token("center_staff", sub="staff-1"))


@pytest.fixture
def roomy(tmp_path, key_dir):
    """The toy service taking bodies of up to 1 MB."""
    app = toy.make_app(tmp_path, key_settings(key_dir), max_body_bytes=1_000_000)
    return app, app.test_client()


def _notes(app):
    with app.extensions["community"].database.engine.connect() as connection:
        return connection.execute(text("SELECT COUNT(*) FROM notes")).scalar()


def _post_raw(client, staff, raw: str):
    return client.post("/notes", data=raw.encode(), content_type="application/json", headers=staff)


@pytest.mark.parametrize(
    ("title", "said"),
    [("Lift \\ud800 out", "surrogate (U+D800)"), ("Lift \\u0007 out", "control character U+0007")],
)
def test_a_lone_surrogate_or_a_control_in_a_json_string_is_a_400_naming_where(
    app, client, staff, title, said
):
    raw = json.dumps({**NOTE, "title": "@"}).replace("@", title)
    body = assert_problem(_post_raw(client, staff, raw), 400, type_suffix="body-refused")
    assert "$.title" in body["detail"] and said in body["detail"]
    assert _notes(app) == 0


def test_a_refused_text_inside_a_list_or_a_key_is_refused_too(app, client, staff):
    raw = json.dumps({**NOTE, "tags": ["ok", "@"]}).replace("@", "\\udfff")
    assert "$.tags[1]" in assert_problem(_post_raw(client, staff, raw), 400)["detail"]
    raw = json.dumps({**NOTE, "@": 1}).replace("@", "\\u001b")
    assert (
        "a key contains the control character" in assert_problem(_post_raw(client, staff, raw), 400)["detail"]
    )
    assert _notes(app) == 0


def test_tab_cr_and_lf_are_text(client, staff):
    response = client.post("/notes", json={**NOTE, "body": "one\ttwo\r\nthree"}, headers=staff)
    assert response.status_code == 201


def test_an_integer_of_5000_digits_is_a_400(roomy, staff):
    app, client = roomy
    raw = json.dumps({**NOTE, "pages": 0}).replace("0", "9" * 5000)
    assert "4300 digits" in assert_problem(_post_raw(client, staff, raw), 400)["detail"]
    assert _notes(app) == 0


@pytest.mark.parametrize("depth", [33, 100_000])
def test_deeply_nested_json_is_a_400(roomy, staff, depth):
    app, client = roomy
    raw = json.dumps({**NOTE, "tags": "@"}).replace('"@"', "[" * depth + "]" * depth)
    assert "nested deeper than 32" in assert_problem(_post_raw(client, staff, raw), 400)["detail"]
    assert _notes(app) == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("due", "0001-01-01"),
        ("due", "9999-12-31"),
        ("remind_at", "0001-01-01T00:00:00+08:00"),
        ("remind_at", "9999-12-31T23:59:59-08:00"),
        ("cost", "1e10000000"),
    ],
)
def test_days_moments_and_decimals_out_of_bounds_are_422_on_the_field(app, client, staff, field, value):
    body = assert_problem(client.post("/notes", json={**NOTE, field: value}, headers=staff), 422)
    assert field in body["errors"]
    assert _notes(app) == 0


def test_a_control_character_in_a_query_is_a_422_on_the_field():
    class Query(Schema):
        community = ma.fields.String()

    with pytest.raises(ma.ValidationError) as refused:
        Query().load({"community": "hua\x00guoshan"})
    assert "U+0000" in refused.value.messages["community"][0]


def test_the_bounds_are_the_calendar_the_platform_keeps():
    class Dated(Schema):
        day = ma.fields.Date()
        at = ma.fields.DateTime()
        days = ma.fields.List(ma.fields.Date())

    loaded = Dated().load({"day": "1900-01-01", "at": "2200-12-31T23:59:59+08:00", "days": ["2026-12-04"]})
    assert loaded["day"].year == 1900
    with pytest.raises(ma.ValidationError) as refused:
        Dated().load({"day": "1899-12-31", "at": "2201-01-01T00:00:00Z", "days": ["0001-01-01"]})
    assert set(refused.value.messages) == {"day", "at", "days"}


def test_an_echoed_lone_surrogate_does_not_break_the_problem_response(app):
    with app.test_request_context("/notes"):
        response = problem_response(404, detail="No note called 'a\ud800b'.")
    assert json.loads(response.get_data(as_text=True))["detail"] == "No note called 'a\ufffdb'."


def test_numeric_text_is_checked_by_shape_before_conversion():
    assert hygiene.bounded_fraction(" 1/3 ") * 3 == 1
    assert hygiene.bounded_fraction("2e-1") == hygiene.bounded_fraction("0.2")
    for hostile in ("1e10000000", "9" * 100, "1/1e999", "0x10", "nan", "1_000"):
        with pytest.raises(ValueError):
            hygiene.bounded_fraction(hostile)
    assert hygiene.decimal_fault(Decimal("1e10000000")) is not None
    assert hygiene.decimal_fault(Decimal("123.45")) is None
