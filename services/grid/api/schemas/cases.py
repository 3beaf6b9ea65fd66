"""Request and response schemas of cases (the API contract)."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from services.chassis.config import DEPARTMENTS
from services.chassis.schemas import Schema

from ... import domain
from .common import CELL_CODE, COMMUNITY, lat_field, lon_field, photos_field


class CaseReportSchema(Schema):
    community = ma.fields.String(required=True, validate=COMMUNITY)
    category = ma.fields.String(required=True, validate=validate.OneOf(domain.CATEGORIES))
    severity = ma.fields.String(
        validate=validate.OneOf(domain.SEVERITIES),
        metadata={"description": "Staff only; residents get the category's default"},
    )
    description = ma.fields.String(required=True, validate=validate.Length(min=5, max=2000))
    lon = lon_field()
    lat = lat_field()
    address = ma.fields.String(validate=validate.Length(min=3, max=300))
    photos = photos_field()
    source = ma.fields.String(
        validate=validate.OneOf(("resident", "department")),
        metadata={"description": "Staff reporting on behalf of someone"},
    )

    @ma.validates_schema
    def _location(self, data: dict, **_: object) -> None:
        if ("lon" in data) != ("lat" in data):
            raise ma.ValidationError("Give both lon and lat.", "lat" if "lon" in data else "lon")
        if "lon" not in data and "address" not in data:
            raise ma.ValidationError("Give a location (lon and lat) or an address.", "lon")


class TransitionSchema(Schema):
    note = ma.fields.String(validate=validate.Length(min=2, max=2000))
    department = ma.fields.String(validate=validate.OneOf(DEPARTMENTS))
    duplicate_of = ma.fields.String(validate=validate.Length(min=3, max=40))
    severity = ma.fields.String(validate=validate.OneOf(domain.SEVERITIES))
    cell_code = ma.fields.String(validate=CELL_CODE)


class NoteSchema(Schema):
    note = ma.fields.String(required=True, validate=validate.Length(min=2, max=2000))


class NearbySchema(Schema):
    case_id = ma.fields.String()
    case_number = ma.fields.String()
    status = ma.fields.String()


class CaseSchema(Schema):
    """A case; personal fields are null in the public view (`public: true`)."""

    id = ma.fields.String()
    number = ma.fields.String()
    community = ma.fields.String()
    cell_code = ma.fields.String(allow_none=True)
    category = ma.fields.String()
    category_name = ma.fields.String()
    severity = ma.fields.String()
    status = ma.fields.String()
    status_label = ma.fields.String()
    closed_kind = ma.fields.String(allow_none=True)
    source = ma.fields.String()
    source_ref = ma.fields.String(allow_none=True)
    external_number = ma.fields.String(allow_none=True)
    inspection_id = ma.fields.String(allow_none=True)
    description = ma.fields.String(allow_none=True)
    address = ma.fields.String(allow_none=True)
    lon = ma.fields.Float(allow_none=True)
    lat = ma.fields.Float(allow_none=True)
    photos = ma.fields.List(ma.fields.String(), allow_none=True)
    department = ma.fields.String(allow_none=True)
    department_name = ma.fields.String(allow_none=True)
    referral_reason = ma.fields.String(allow_none=True)
    escalation_level = ma.fields.String()
    duplicate_of = ma.fields.String(allow_none=True)
    reporter_contact = ma.fields.Dict(allow_none=True)
    mine = ma.fields.Boolean()
    reported_at = ma.fields.DateTime()
    due_at = ma.fields.DateTime()
    overdue = ma.fields.Boolean()
    accepted_at = ma.fields.DateTime(allow_none=True)
    resolved_at = ma.fields.DateTime(allow_none=True)
    verified_at = ma.fields.DateTime(allow_none=True)
    closed_at = ma.fields.DateTime(allow_none=True)
    reopen_count = ma.fields.Integer()
    updated_at = ma.fields.DateTime()
    public = ma.fields.Boolean()
    possible_duplicates = ma.fields.List(ma.fields.Nested(NearbySchema))


class CaseQuerySchema(Schema):
    community = ma.fields.String(validate=COMMUNITY)
    cell_code = ma.fields.String(validate=CELL_CODE)
    status = ma.fields.String(
        validate=validate.Length(max=200),
        metadata={"description": "open, closed, or statuses separated by commas"},
    )
    category = ma.fields.String(validate=validate.OneOf(domain.CATEGORIES))
    severity = ma.fields.String(validate=validate.OneOf(domain.SEVERITIES))
    source = ma.fields.String(validate=validate.OneOf(domain.SOURCES))
    department = ma.fields.String(validate=validate.OneOf(DEPARTMENTS))
    overdue = ma.fields.Boolean()
    mine = ma.fields.Boolean()

    @ma.validates("status")
    def _statuses(self, value: str, **_: object) -> None:
        parts = [p for p in value.split(",") if p]
        if parts in (["open"], ["closed"]):
            return
        bad = [p for p in parts if p not in domain.STATUSES]
        if bad or not parts:
            raise ma.ValidationError(f"Use open, closed, or statuses among: {', '.join(domain.STATUSES)}.")


class HistorySchema(Schema):
    at = ma.fields.DateTime()
    actor_sub = ma.fields.String()
    actor_role = ma.fields.String()
    action = ma.fields.String()
    from_status = ma.fields.String(allow_none=True)
    to_status = ma.fields.String()
    note = ma.fields.String(allow_none=True)


class ContactSchema(Schema):
    reporter_contact = ma.fields.Dict()


class ContactRevealSchema(Schema):
    purpose = ma.fields.String(required=True, validate=validate.Length(min=5, max=500))
