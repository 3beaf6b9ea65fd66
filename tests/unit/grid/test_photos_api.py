"""Photos: checked by content, re-encoded without EXIF (GPS), limited in size, with a thumbnail."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from tests.support.helpers import assert_problem
from tests.unit.grid.conftest import HGS_LAT, HGS_LON

GPS_IFD = 0x8825


def jpeg_with_gps(size: tuple[int, int] = (800, 600), orientation: int | None = None) -> bytes:
    """A JPEG carrying an EXIF GPS position (Shekou) and, if given, an orientation."""
    image = Image.new("RGB", size, (200, 40, 40))
    exif = Image.Exif()
    exif[0x010F] = "TestCam"  # Make
    if orientation is not None:
        exif[0x0112] = orientation
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (22.0, 29.0, 24.0), 3: "E", 4: (113.0, 54.0, 36.0)})
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def encoded(fmt: str, mode: str = "RGB", size: tuple[int, int] = (64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size).save(out, format=fmt)
    return out.getvalue()


def upload(client, headers, data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg"):
    return client.post(
        "/photos",
        data={"file": (io.BytesIO(data), name, content_type)},
        headers=headers,
        content_type="multipart/form-data",
    )


def test_a_jpeg_is_stored_without_its_exif_gps_and_with_a_thumbnail(client, worker):
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)  # the test's input has GPS
    response = upload(client, worker, original)
    assert response.status_code == 201, response.get_json()
    photo = response.get_json()
    assert photo["url"] == f"/api/grid/photos/{photo['id']}"
    assert (photo["original_format"], photo["width"], photo["height"]) == ("JPEG", 800, 600)
    stored = client.get(f"/photos/{photo['id']}", headers=worker)
    assert stored.status_code == 200 and stored.mimetype == "image/jpeg"
    image = Image.open(io.BytesIO(stored.data))
    assert image.format == "JPEG" and len(image.getexif()) == 0 and "exif" not in image.info
    thumbnail = Image.open(io.BytesIO(client.get(f"/photos/{photo['id']}/thumbnail", headers=worker).data))
    assert max(thumbnail.size) == 320 and len(thumbnail.getexif()) == 0


def test_the_exif_orientation_is_applied_before_it_is_dropped(client, worker):
    photo = upload(client, worker, jpeg_with_gps((80, 40), orientation=6)).get_json()
    assert (photo["width"], photo["height"]) == (40, 80)


@pytest.mark.parametrize(("fmt", "mode"), [("PNG", "RGBA"), ("WEBP", "RGB")])
def test_png_and_webp_are_accepted_and_stored_as_jpeg(client, worker, fmt, mode):
    photo = upload(client, worker, encoded(fmt, mode), name="x.bin", content_type="application/octet-stream")
    assert photo.status_code == 201 and photo.get_json()["original_format"] == fmt
    stored = client.get(f"/photos/{photo.get_json()['id']}", headers=worker)
    assert Image.open(io.BytesIO(stored.data)).format == "JPEG"


def test_a_file_that_is_not_an_image_is_refused_whatever_its_name(client, worker):
    body = assert_problem(
        upload(client, worker, b"%PDF-1.7 not a photo" * 10, name="photo.jpg"),
        422,
        type_suffix="unsupported-image",
    )
    assert body["detail"] == "The file is not a readable JPEG, PNG or WebP image."


def test_a_truncated_jpeg_is_refused(client, worker):
    body = assert_problem(upload(client, worker, jpeg_with_gps()[:300]), 422, type_suffix="unsupported-image")
    assert body["detail"] == "The file is not a readable JPEG, PNG or WebP image."


def test_an_image_of_another_type_is_refused_naming_it(client, worker):
    body = assert_problem(upload(client, worker, encoded("GIF", "P")), 422, type_suffix="unsupported-image")
    assert body["detail"] == "The file is a GIF image; only JPEG, PNG and WebP are accepted."


def test_a_photo_over_the_size_limit_is_refused(client, worker):
    body = assert_problem(
        upload(client, worker, b"\xff\xd8" + b"0" * 1_000_000), 413, type_suffix="photo-too-large"
    )
    assert body["detail"] == "The photo is larger than 1000000 bytes, the most accepted."


def test_a_photo_with_too_many_pixels_is_refused_before_decoding(client, worker):
    body = assert_problem(
        upload(client, worker, encoded("PNG", "1", (8000, 6000))), 413, type_suffix="photo-too-large"
    )
    assert body["detail"] == "The photo has 8000×6000 pixels; at most 40000000 pixels are accepted."


def test_an_upload_without_a_file_part_names_the_field(client, worker):
    response = client.post("/photos", data={"other": "x"}, headers=worker, content_type="multipart/form-data")
    body = assert_problem(response, 422, field="file")
    assert body["errors"]["file"] == ["Missing data for required field."]


def test_an_upload_as_json_is_refused(client, worker):
    body = assert_problem(client.post("/photos", json={"file": "x"}, headers=worker), 415)
    assert body["type"].endswith("unsupported-media-type")


def test_uploading_and_reading_photos_needs_a_token(client, worker):
    assert_problem(upload(client, {}, jpeg_with_gps()), 401)
    photo = upload(client, worker, jpeg_with_gps()).get_json()
    assert_problem(client.get(f"/photos/{photo['id']}"), 401)


def test_an_unknown_photo_is_not_found(client, worker):
    assert_problem(client.get("/photos/not-a-uuid", headers=worker), 404, detail_contains="no photo")
    assert_problem(client.get("/photos/00000000-0000-4000-8000-000000000000/thumbnail", headers=worker), 404)


def test_a_finding_and_a_case_refer_to_an_uploaded_photo(client, worker, resident, make_cell):
    make_cell("HGS-01")
    photo = upload(client, resident, jpeg_with_gps()).get_json()
    case = client.post(
        "/cases",
        json={
            "community": "huaguoshan",
            "category": "hazard_fire",
            "description": "Blocked fire exit",
            "lon": HGS_LON + 0.001,
            "lat": HGS_LAT + 0.001,
            "photos": [photo["url"]],
        },
        headers=resident,
    )
    assert case.status_code == 201 and case.get_json()["photos"] == [photo["url"]]
    refused = client.post(
        "/cases",
        json={
            "community": "huaguoshan",
            "category": "hazard_fire",
            "description": "Blocked fire exit",
            "lon": HGS_LON + 0.001,
            "lat": HGS_LAT + 0.001,
            "photos": ["/etc/passwd"],
        },
        headers=resident,
    )
    body = assert_problem(refused, 422, field="photos")
    assert body["errors"]["photos"] == {
        "0": ["Use an http(s) URL or the url of a photo uploaded to POST /photos."]
    }
