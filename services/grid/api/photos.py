"""HTTP resources of photos: upload (multipart), the stored image and its thumbnail."""

from __future__ import annotations

from typing import Any

from flask import Response, request
from flask.views import MethodView

from services.chassis.app import ProblemSchema, accepts
from services.chassis.auth import current_principal
from services.chassis.blueprint import Blueprint
from services.chassis.errors import PROBLEM_JSON, Unprocessable
from services.chassis.web import transactional, uow

from ..models import Photo
from ..usecases import photos
from .schemas.photos import PhotoSchema, PhotoUploadSchema

blp = Blueprint("photos", __name__, description="Photos of findings, cases and Open311 reports")

IMAGE = {"content": {"image/jpeg": {"schema": {"type": "string", "format": "binary"}}}}


def problem(status: int, description: str) -> Any:
    """Document an error status answered as problem+json."""
    return blp.alt_response(status, schema=ProblemSchema, content_type=PROBLEM_JSON, description=description)


def photo_view(photo: Photo) -> dict[str, Any]:
    base = f"/api/grid/photos/{photo.id}"
    return {
        "id": photo.id,
        "url": base,
        "thumbnail_url": f"{base}/thumbnail",
        "original_format": photo.original_format,
        "width": photo.width,
        "height": photo.height,
        "size": photo.size,
        "created_at": photo.created_at,
    }


@blp.route("/photos")
class Photos(MethodView):
    @accepts("multipart/form-data")
    @transactional
    @blp.arguments(PhotoUploadSchema, location="files")
    @blp.response(201, PhotoSchema)
    @problem(401, "No bearer token")
    @blp.rules(
        "The file is a readable JPEG, PNG or WebP image, whatever its name or declared type "
        "(422 `unsupported-image`).",
        "At most 1 000 000 bytes and 40 megapixels (413 `photo-too-large`).",
        "No other part than `file` (422).",
        answered="413 or 422",
    )
    @problem(413, "`photo-too-large`: over 1 000 000 bytes or 40 megapixels")
    @problem(415, "`unsupported-media-type`: the body is not multipart/form-data")
    @problem(422, "`unsupported-image`: not a readable JPEG, PNG or WebP image; a part other than `file`")
    def post(self, data: dict[str, Any]) -> Any:
        """Upload a photo (any signed-in person); stored re-encoded without EXIF, with a thumbnail."""
        others = sorted((set(request.form) | set(request.files)) - {"file"})
        if others:
            raise Unprocessable(
                "Send the photo as the one part `file`.", errors={name: ["Unknown part."] for name in others}
            )
        photo = photos.upload(uow(), current_principal(), data["file"].read(photos.MAX_BYTES + 1))
        return photo_view(photo)


def _image(body: bytes) -> Response:
    response = Response(body, mimetype="image/jpeg")
    response.headers["Cache-Control"] = "private, max-age=86400, immutable"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@blp.route("/photos/<photo_id>")
class PhotoImage(MethodView):
    @blp.doc(responses={"200": {"description": "The stored image (JPEG, no metadata)", **IMAGE}})
    @problem(401, "No bearer token")
    @problem(404, "No such photo")
    def get(self, photo_id: str) -> Any:
        """The stored photo (any signed-in person holding its address)."""
        current_principal()
        return _image(photos.get_photo(uow(), photo_id).image)


@blp.route("/photos/<photo_id>/thumbnail")
class PhotoThumbnail(MethodView):
    @blp.doc(responses={"200": {"description": "The thumbnail (JPEG, at most 320 px)", **IMAGE}})
    @problem(401, "No bearer token")
    @problem(404, "No such photo")
    def get(self, photo_id: str) -> Any:
        """The photo's thumbnail."""
        current_principal()
        return _image(photos.get_photo(uow(), photo_id).thumbnail)
