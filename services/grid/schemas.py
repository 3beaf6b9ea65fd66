"""Request and response schemas of cells, cases and inspections (the API contract)."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from services.chassis.config import COMMUNITIES, DEPARTMENTS
from services.chassis.schemas import Schema

from . import domain

PERIOD = validate.Regexp(r"^[0-9]{4}-(0[1-9]|1[0-2])$", error="Use YYYY-MM.")
CELL_CODE = validate.Regexp(
    r"^[A-Z][A-Z0-9-]{1,39}$", error="Upper-case letters, digits and dashes, e.g. HGS-01."
)
COMMUNITY = validate.OneOf(COMMUNITIES)
LON = validate.Range(min=-180, max=180)
LAT = validate.Range(min=-90, max=90)


def lon_field(**kwargs: object) -> ma.fields.Float:
    return ma.fields.Float(validate=LON, allow_nan=False, **kwargs)


def lat_field(**kwargs: object) -> ma.fields.Float:
    return ma.fields.Float(validate=LAT, allow_nan=False, **kwargs)


# -- cells ----------------------------------------------------------------------------


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
        ma.fields.String(), dump_only=True, metadata={"description": "Shown to staff only"}
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


# -- cases ----------------------------------------------------------------------------


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
    photos = ma.fields.List(
        ma.fields.Url(schemes={"https", "http"}, validate=validate.Length(max=500)),
        validate=validate.Length(max=10),
    )
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
    distance_m = ma.fields.Float()


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


# -- checklist and inspections --------------------------------------------------------


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
    photos = ma.fields.List(ma.fields.Url(schemes={"https", "http"}), validate=validate.Length(max=10))
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
