"""Request and response schemas of grid cells, the point lookup and planned rounds."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from services.chassis.schemas import Schema

from .common import CELL_CODE, COMMUNITY, lat_field, lon_field


class CellCreateSchema(Schema):
    code = ma.fields.String(required=True, validate=CELL_CODE)
    community = ma.fields.String(required=True, validate=COMMUNITY)
    name = ma.fields.String(required=True, validate=validate.Length(min=1, max=200))
    boundary = ma.fields.Dict(required=True, metadata={"description": "GeoJSON Polygon (WGS 84)"})
    workers = ma.fields.List(
        ma.fields.String(validate=validate.Length(min=1, max=200)),
        validate=validate.Length(max=50),
        metadata={"description": "Token subjects of assigned grid workers"},
    )


class CellUpdateSchema(Schema):
    name = ma.fields.String(validate=validate.Length(min=1, max=200))
    boundary = ma.fields.Dict()
    workers = ma.fields.List(
        ma.fields.String(validate=validate.Length(min=1, max=200)), validate=validate.Length(max=50)
    )


class CellSchema(Schema):
    id = ma.fields.String(dump_only=True)
    code = ma.fields.String(dump_only=True)
    community = ma.fields.String(dump_only=True)
    name = ma.fields.String(dump_only=True)
    boundary = ma.fields.Dict(dump_only=True)
    area_m2 = ma.fields.Float(dump_only=True)
    workers = ma.fields.List(
        ma.fields.String(),
        dump_only=True,
        allow_none=True,
        metadata={"description": "Shown to staff only (null for others)"},
    )
    version = ma.fields.Integer(dump_only=True)
    updated_at = ma.fields.DateTime(dump_only=True)


class CellQuerySchema(Schema):
    community = ma.fields.String(validate=COMMUNITY)


class LocateQuerySchema(Schema):
    lon = lon_field(required=True)
    lat = lat_field(required=True)
    community = ma.fields.String(validate=COMMUNITY)


class CellRefSchema(Schema):
    id = ma.fields.String()
    code = ma.fields.String()
    community = ma.fields.String()
