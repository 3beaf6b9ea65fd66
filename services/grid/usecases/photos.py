"""Use cases of photos: an upload checked by its content, re-encoded without metadata, stored.

Pillow decides what a file is (never its name or declared type): it must open and verify
as JPEG, PNG or WebP. The stored image is a fresh JPEG encoding of the pixels (turned
upright by the EXIF orientation first), so no EXIF — GPS position, camera, time — and no
other metadata survives; the thumbnail is made the same way.
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from services.chassis import clock
from services.chassis.auth import Principal
from services.chassis.errors import NotFound, Problem
from services.chassis.unit_of_work import UnitOfWork

from ..models import Photo

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
MAX_BYTES = 1_000_000  # within the platform's 1 MiB request body (MAX_BODY_BYTES)
MAX_PIXELS = 40_000_000  # a 40-megapixel photo; larger is refused before decoding
LONG_SIDE = 2048  # stored images are scaled down to this long side
THUMBNAIL_SIDE = 320
# The address of an uploaded photo, as findings, cases and Open311 reports refer to it.
PHOTO_PATH = r"/api/grid/photos/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
QUALITY = 85


class PhotoTooLarge(Problem):
    problem_status = 413
    problem_type = "photo-too-large"


class UnsupportedImage(Problem):
    """The part is multipart as required, but its bytes are no image we read (whatever its
    name or declared type): unprocessable content, 422."""

    problem_status = 422
    problem_type = "unsupported-image"


@dataclass(frozen=True)
class Encoded:
    """A re-encoded image and its thumbnail (JPEG bytes, no metadata)."""

    original_format: str
    width: int
    height: int
    image: bytes
    thumbnail: bytes


def encode(raw: bytes) -> Encoded:
    """Check `raw` by content and re-encode it; 413/415 problems say what is wrong."""
    if len(raw) > MAX_BYTES:
        raise PhotoTooLarge(f"The photo is larger than {MAX_BYTES} bytes, the most accepted.")
    if not raw:
        raise UnsupportedImage("The file is empty; send a JPEG, PNG or WebP image.")
    try:
        with Image.open(io.BytesIO(raw)) as probe:
            found = probe.format
            width, height = probe.size
            if found in ACCEPTED_FORMATS and width * height <= MAX_PIXELS:
                probe.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise UnsupportedImage("The file is not a readable JPEG, PNG or WebP image.") from None
    if found not in ACCEPTED_FORMATS:
        raise UnsupportedImage(
            f"The file is a {found} image; only JPEG, PNG and WebP are accepted.", found_format=found
        )
    if width * height > MAX_PIXELS:
        raise PhotoTooLarge(
            f"The photo has {width}×{height} pixels; at most {MAX_PIXELS} pixels are accepted."
        )
    try:
        with Image.open(io.BytesIO(raw)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)
    except (OSError, SyntaxError, ValueError):
        raise UnsupportedImage("The file is not a readable JPEG, PNG or WebP image.") from None
    pixels = _rgb(upright)
    pixels.thumbnail((LONG_SIDE, LONG_SIDE))
    thumb = pixels.copy()
    thumb.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
    return Encoded(found, pixels.width, pixels.height, _jpeg(pixels), _jpeg(thumb))


def _rgb(image: Image.Image) -> Image.Image:
    """The pixels alone, as RGB (transparency flattened onto white)."""
    if image.mode in ("RGBA", "LA", "P"):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return image.convert("RGB")


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=QUALITY, optimize=True)  # no exif= given: none written
    return out.getvalue()


def upload(uow: UnitOfWork, principal: Principal, raw: bytes) -> Photo:
    """Store a checked, re-encoded photo for the caller (any signed-in person)."""
    encoded = encode(raw)
    photo = Photo(
        id=str(uuid.uuid4()),
        uploader_sub=principal.sub,
        original_format=encoded.original_format,
        width=encoded.width,
        height=encoded.height,
        size=len(encoded.image),
        image=encoded.image,
        thumbnail=encoded.thumbnail,
        created_at=clock.now(),
    )
    uow.session.add(photo)
    uow.flush()
    return photo


def get_photo(uow: UnitOfWork, photo_id: str) -> Photo:
    photo = uow.session.get(Photo, photo_id) if _is_uuid(photo_id) else None
    if photo is None:
        raise NotFound(f"There is no photo {photo_id!r}.")
    return photo


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True
