"""Request and response schemas of the inspection checklist and completed rounds."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from services.chassis.schemas import Schema

from ... import domain
from .common import CELL_CODE, COMMUNITY, PERIOD, lat_field, lon_field, photos_field


class ChecklistItemSchema(Schema):
    code = ma.fields.String(dump_only=True)
    area = ma.fields.String(required=True, validate=validate.Length(min=2, max=40))
    title = ma.fields.String(required=True, validate=validate.Length(min=2, max=200))
    case_category = ma.fields.String(required=True, validate=validate.OneOf(domain.CATEGORIES))
    default_severity = ma.fields.String(required=True, validate=validate.OneOf(domain.SEVERITIES))
    position = ma.fields.Integer(validate=validate.Range(min=0, max=10_000))
    active = ma.fields.Boolean()


class PlanSchema(Schema):
    planned_rounds = ma.fields.Integer(required=True, strict=True, validate=validate.Range(min=0, max=100))


class RoundRateSchema(Schema):
    cell_code = ma.fields.String()
    community = ma.fields.String()
    period = ma.fields.String()
    planned = ma.fields.Integer()
    completed = ma.fields.Integer()
    rate = ma.fields.Float(allow_none=True, metadata={"description": "completed / planned"})


class RoundQuerySchema(Schema):
    community = ma.fields.String(required=True, validate=COMMUNITY)
    period = ma.fields.String(required=True, validate=PERIOD)


class AnswerSchema(Schema):
    code = ma.fields.String(required=True, validate=validate.Length(min=1, max=40))
    result = ma.fields.String(required=True, validate=validate.OneOf(("ok", "finding")))
    note = ma.fields.String(validate=validate.Length(min=2, max=2000))
    severity = ma.fields.String(validate=validate.OneOf(domain.SEVERITIES))
    lon = lon_field()
    lat = lat_field()
    photos = photos_field()
    case_id = ma.fields.String(dump_only=True, allow_none=True)

    @ma.validates_schema
    def _both(self, data: dict, **_: object) -> None:
        if ("lon" in data) != ("lat" in data):
            raise ma.ValidationError("Give both lon and lat.", "lat" if "lon" in data else "lon")


class InspectionCreateSchema(Schema):
    cell_code = ma.fields.String(required=True, validate=CELL_CODE)
    started_at = ma.fields.AwareDateTime(default_timezone=None)
    items = ma.fields.List(
        ma.fields.Nested(AnswerSchema), required=True, validate=validate.Length(min=1, max=200)
    )


class InspectionSummarySchema(Schema):
    id = ma.fields.String()
    community = ma.fields.String()
    cell_code = ma.fields.String()
    worker_sub = ma.fields.String()
    period = ma.fields.String()
    started_at = ma.fields.DateTime()
    completed_at = ma.fields.DateTime()
    items_count = ma.fields.Integer()
    findings_count = ma.fields.Integer()


class InspectionSchema(InspectionSummarySchema):
    items = ma.fields.List(ma.fields.Dict())


class InspectionQuerySchema(Schema):
    community = ma.fields.String(validate=COMMUNITY)
    cell_code = ma.fields.String(validate=CELL_CODE)
    period = ma.fields.String(validate=PERIOD)
