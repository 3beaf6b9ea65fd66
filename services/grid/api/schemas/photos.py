"""Request and response schemas of photos (multipart upload, stored image and thumbnail)."""

from __future__ import annotations

import marshmallow as ma
from flask_smorest.fields import Upload

from services.chassis.schemas import Schema


class PhotoUploadSchema(Schema):
    file = Upload(
        required=True,
        metadata={"description": "A JPEG, PNG or WebP image of at most 1 000 000 bytes (checked by content)"},
    )


class PhotoSchema(Schema):
    id = ma.fields.String()
    url = ma.fields.String(metadata={"description": "The stored image (JPEG, no EXIF), through the gateway"})
    thumbnail_url = ma.fields.String(metadata={"description": "Its thumbnail (JPEG, at most 320 px)"})
    original_format = ma.fields.String(metadata={"enum": ["JPEG", "PNG", "WEBP"]})
    width = ma.fields.Integer()
    height = ma.fields.Integer()
    size = ma.fields.Integer(metadata={"description": "Bytes of the stored image"})
    created_at = ma.fields.DateTime()
