"""Request and response schemas of the Open311 client applications (native API)."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from services.chassis.config import COMMUNITIES
from services.chassis.schemas import Schema


class ClientCreateSchema(Schema):
    name = ma.fields.String(required=True, validate=validate.Length(min=2, max=200))
    communities = ma.fields.List(
        ma.fields.String(validate=validate.OneOf(COMMUNITIES)),
        required=True,
        validate=validate.Length(min=1, max=7),
    )


class ClientSchema(Schema):
    id = ma.fields.String()
    name = ma.fields.String()
    communities = ma.fields.List(ma.fields.String())
    created_by = ma.fields.String()
    created_at = ma.fields.DateTime()
    revoked_at = ma.fields.DateTime(allow_none=True)
    api_key = ma.fields.String(metadata={"description": "Shown once, at creation"})
