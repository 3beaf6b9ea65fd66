"""The queries and guards whose SQL differs by dialect, on PostgreSQL."""

from datetime import timedelta
from urllib.parse import urlencode

import pytest
from sqlalchemy import text

from services.chassis import clock
from tests.integration.grid.conftest import HGS_LAT, HGS_LON
from tests.support.helpers import bearer

pytestmark = [pytest.mark.postgres, pytest.mark.rabbitmq]


def test_history_is_append_only_on_postgres(grid, make_cell, report):
    make_cell("HGS-01")
    report()
    for statement in ("UPDATE case_history SET note = 'x'", "DELETE FROM case_history"):
        with pytest.raises(Exception, match="append-only"):
            with grid.runtime.database.engine.begin() as connection:
                connection.execute(text(statement))
    assert grid.count("case_history") == 1


def test_special_care_filter_and_masks_on_postgres(grid, client, make_cell, worker):
    make_cell("HGS-01")
    building = client.post(
        "/buildings",
        json={"cell_code": "HGS-01", "address": "A 座", "floors": 6, "use": "residential"},
        headers=worker,
    ).get_json()
    for number, flags in (
        ("11010519491231002X", ["disability", "elderly_alone"]),
        ("44030519900101123X", ["low_income"]),
    ):
        response = client.post(
            "/persons",
            json={
                "cell_code": "HGS-01",
                "name": "某人",
                "id_number": number,
                "residency": "floating",
                "special_care": flags,
            },
            headers=worker,
        )
        assert response.status_code == 201, response.get_json()
    listed = client.get("/persons?cell_code=HGS-01&special_care=elderly_alone", headers=worker).get_json()
    assert [p["id_number"] for p in listed] == ["1101**********002X"]
    assert building["cell_code"] == "HGS-01"


def test_duplicates_and_open311_dates_on_postgres(grid, client, make_cell, report, token):
    make_cell("HGS-01")
    first = report().get_json()
    assert report().get_json()["possible_duplicates"][0]["case_id"] == first["id"]
    officer = bearer(token("subdistrict_officer", community="huaguoshan"))
    key = client.post(
        "/open311-clients", json={"name": "app", "communities": ["huaguoshan"]}, headers=officer
    ).get_json()["api_key"]
    posted = client.post(
        "/open311/v2/requests.json",
        data=urlencode(
            {
                "jurisdiction_id": "huaguoshan",
                "api_key": key,
                "service_code": "hazard_gas",
                "lat": HGS_LAT + 0.001,
                "long": HGS_LON + 0.001,
            }
        ),
        content_type="application/x-www-form-urlencoded",
    )
    assert posted.status_code == 201
    start = (clock.now() - timedelta(hours=1)).isoformat()
    found = client.get(
        "/open311/v2/requests.json",
        query_string={
            "jurisdiction_id": "huaguoshan",
            "start_date": start,
            "status": "open",
            "service_code": "hazard_gas",
        },
    ).get_json()
    assert [r["service_request_id"] for r in found] == [posted.get_json()[0]["service_request_id"]]


def test_a_photo_is_stored_in_postgres_and_replayed_by_its_key(grid, client, worker):
    import io

    from PIL import Image

    original = io.BytesIO()
    exif = Image.Exif()
    exif.get_ifd(0x8825).update({1: "N", 2: (22.0, 29.0, 24.0)})
    Image.new("RGB", (640, 480), (10, 120, 200)).save(original, format="JPEG", exif=exif)

    boundary = "field-fixed-boundary"  # as the field app builds it: the same bytes on every try
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="photo"\r\n'
            "Content-Type: image/jpeg\r\n\r\n"
        ).encode()
        + original.getvalue()
        + f"\r\n--{boundary}--\r\n".encode()
    )

    def upload():
        return client.post(
            "/photos",
            data=body,
            headers={**worker, "Idempotency-Key": "photo-pg-1"},
            content_type=f"multipart/form-data; boundary={boundary}",
        )

    first, again = upload(), upload()
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true" and again.get_json() == first.get_json()
    assert grid.count("photos") == 1
    stored = Image.open(
        io.BytesIO(client.get(first.get_json()["url"].removeprefix("/api/grid"), headers=worker).data)
    )
    assert stored.size == (640, 480) and len(stored.getexif()) == 0
