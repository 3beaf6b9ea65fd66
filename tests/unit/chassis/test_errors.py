"""Every error path of the chassis answers with an exact RFC 9457 problem body."""

import json

import pytest

from tests.support.helpers import assert_problem, bearer, key_settings
from tests.unit.chassis import toy


@pytest.fixture
def staff(token):
    return bearer(token("center_staff", community="huaguoshan"))


def test_unknown_path_is_404_problem(client):
    body = assert_problem(client.get("/no/such/thing"), 404)
    assert body == {
        "type": "about:blank",
        "title": "Not Found",
        "status": 404,
        "detail": body["detail"],
        "instance": "/no/such/thing",
        "request_id": body["request_id"],
    }


def test_wrong_method_is_405_with_allow(client, staff):
    response = client.delete("/notes", headers=staff)
    assert_problem(response, 405)
    assert "POST" in response.headers["Allow"]


def test_malformed_json_is_400(client, staff):
    response = client.post("/notes", data="{not json", headers={**staff, "Content-Type": "application/json"})
    body = assert_problem(response, 400)
    assert "JSON" in body["detail"]


def test_wrong_content_type_is_415(client, staff):
    response = client.post("/notes", data="title=x", headers={**staff, "Content-Type": "text/plain"})
    body = assert_problem(response, 415, type_suffix="unsupported-media-type")
    assert "application/json" in body["detail"]


def test_unknown_field_is_422_by_field(client, staff):
    response = client.post(
        "/notes", json={"community": "huaguoshan", "title": "a", "colour": "red"}, headers=staff
    )
    body = assert_problem(response, 422, type_suffix="validation-failed", field="colour")
    assert body["errors"]["colour"] == ["Unknown field."]


def test_missing_and_wrongly_typed_fields_are_422(client, staff):
    response = client.post("/notes", json={"community": "huaguoshan", "pages": "many"}, headers=staff)
    body = assert_problem(response, 422, field="title")
    assert body["errors"]["title"] == ["Missing data for required field."]
    assert body["errors"]["pages"] == ["Not a valid integer."]


def test_over_long_string_is_422(client, staff):
    response = client.post("/notes", json={"community": "huaguoshan", "title": "x" * 51}, headers=staff)
    body = assert_problem(response, 422, field="title")
    assert "50" in body["errors"]["title"][0]


def test_over_long_string_without_declared_limit_is_422(client, staff):
    response = client.post(
        "/notes", json={"community": "huaguoshan", "title": "ok", "body": "y" * 2001}, headers=staff
    )
    body = assert_problem(response, 422, field="body")
    assert "2000" in body["errors"]["body"][0]


def test_huge_body_is_413(client, staff):
    response = client.post(
        "/notes",
        data=json.dumps({"title": "x" * 10_000}),
        headers={**staff, "Content-Type": "application/json"},
    )
    assert_problem(response, 413)


def test_bad_uuid_in_path_is_404(client, staff):
    assert_problem(client.get("/notes/not-a-uuid", headers=staff), 404)


def test_domain_exception_maps_to_its_status(client, staff):
    response = client.post("/notes", json={"community": "huaguoshan", "title": "refuse"}, headers=staff)
    body = assert_problem(response, 409, type_suffix="refused")
    assert body["detail"] == "This title is refused."


def test_unexpected_error_is_500_without_internals(client):
    response = client.get("/boom")
    body = assert_problem(response, 500)
    assert "secret" not in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)
    assert body["detail"] == "An unexpected error occurred; it has been logged."


def test_failed_request_changes_nothing(app, client, staff):
    client.post("/notes", json={"community": "huaguoshan", "title": "refuse"}, headers=staff)
    client.post("/notes", json={"community": "huaguoshan", "title": "x" * 51}, headers=staff)
    runtime = app.extensions["community"]
    with runtime.database.engine.connect() as connection:
        from sqlalchemy import text

        assert connection.execute(text("SELECT COUNT(*) FROM notes")).scalar() == 0
        assert connection.execute(text("SELECT COUNT(*) FROM outbox")).scalar() == 0


def test_instance_carries_the_public_prefix_behind_the_gateway(client):
    body = assert_problem(client.get("/no/such", headers={"X-Forwarded-Prefix": "/api/toy"}), 404)
    assert body["instance"] == "/api/toy/no/such"


def test_a_page_number_beyond_any_list_is_422(tmp_path, key_dir, token):
    from services.chassis.app import Runtime, create_app
    from services.chassis.blueprint import MAX_PAGE, Blueprint
    from services.chassis.config import Settings
    from services.chassis.web import paginate

    blp = Blueprint("listing", __name__)

    @blp.route("/notes")
    @blp.response(200, toy.NoteSchema(many=True))
    @blp.paginate()
    def notes(pagination_parameters):
        """List notes."""
        from sqlalchemy import select

        return paginate(select(toy.Note).order_by(toy.Note.id), pagination_parameters)

    settings = Settings.from_env(
        "toy",
        {
            "data_dir": tmp_path,
            "amqp_url": "memory://",
            "database_url": f"sqlite:///{tmp_path}/p.db",
            **key_settings(key_dir),
        },
    )
    runtime = Runtime(settings, toy.Base.metadata)
    toy.Base.metadata.create_all(runtime.database.engine)
    client = create_app("toy", runtime=runtime, metadata=toy.Base.metadata, blueprints=[blp]).test_client()
    headers = bearer(token("center_staff"))
    assert client.get(f"/notes?page={MAX_PAGE}", headers=headers).status_code == 200
    body = assert_problem(
        client.get("/notes?page=72212744806853459968", headers=headers), 422, field="query.page"
    )
    assert body["errors"]["query.page"] == [f"Must be at most {MAX_PAGE}."]
