"""Request and response bodies of tickets, cases, feedback and the hall display."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate as v

from services.chassis.config import DEPARTMENTS
from services.chassis.schemas import PageQuerySchema, Schema

from ...domain import CaseStatus, TicketStatus
from .catalogue import CODE, Community

PHONE = v.Regexp(r"^\+?[0-9][0-9 -]{5,19}$", error="Not a valid phone number.")
SEVERITIES = ("low", "medium", "high", "critical")


class TicketCreateSchema(Schema):
    community = Community(required=True)
    business_type = ma.fields.String(required=True, validate=v.Length(min=1, max=40))
    channel = ma.fields.String(required=True, validate=v.OneOf(("walk_in", "portal", "phone")))
    priority = ma.fields.Boolean(load_default=False)
    priority_reason = ma.fields.String(validate=v.OneOf(("elderly", "disabled", "pregnant")))
    attributes = ma.fields.Dict(keys=ma.fields.String(validate=v.Length(max=40)), load_default=dict)
    contact_phone = ma.fields.String(validate=PHONE)
    owner_sub = ma.fields.String(
        validate=v.Length(max=200), metadata={"description": "Staff only: the resident's account"}
    )

    @ma.validates_schema
    def _reason_with_priority(self, data: dict, **_: object) -> None:
        if data.get("priority") and not data.get("priority_reason"):
            raise ma.ValidationError("Say why (elderly, disabled, pregnant).", "priority_reason")
        if data.get("priority_reason") and not data.get("priority"):
            raise ma.ValidationError("Only for priority tickets.", "priority_reason")


class TicketSchema(Schema):
    id = ma.fields.String()
    community = ma.fields.String()
    number = ma.fields.String()
    local_date = ma.fields.Date()
    business_type = ma.fields.String()
    original_business_type = ma.fields.String()
    channel = ma.fields.String()
    priority = ma.fields.Boolean()
    priority_reason = ma.fields.String(allow_none=True)
    owner_sub = ma.fields.String(allow_none=True)
    contact_phone = ma.fields.String(
        allow_none=True, metadata={"description": "Masked unless yours (staff: POST .../reveal)"}
    )
    attributes = ma.fields.Dict()
    status = ma.fields.String()
    issued_at = ma.fields.AwareDateTime()
    called_at = ma.fields.AwareDateTime(allow_none=True)
    serving_at = ma.fields.AwareDateTime(allow_none=True)
    finished_at = ma.fields.AwareDateTime(allow_none=True)
    window_id = ma.fields.String(allow_none=True)
    wait_seconds = ma.fields.Integer(allow_none=True)
    service_seconds = ma.fields.Integer(allow_none=True)
    transfers = ma.fields.Integer()
    waiting_ahead = ma.fields.Integer(allow_none=True)


class StepSchema(Schema):
    action = ma.fields.String()
    from_status = ma.fields.String(allow_none=True)
    to_status = ma.fields.String()
    at = ma.fields.AwareDateTime()
    staff_sub = ma.fields.String(allow_none=True)
    actor = ma.fields.String(allow_none=True)
    window_id = ma.fields.String(allow_none=True)
    note = ma.fields.String(allow_none=True)


class TicketDetailSchema(TicketSchema):
    steps = ma.fields.List(ma.fields.Nested(StepSchema))


class TicketQuerySchema(PageQuerySchema):
    community = Community()
    status = ma.fields.String(validate=v.OneOf([s.value for s in TicketStatus]))
    business_type = ma.fields.String(validate=CODE)
    window_id = ma.fields.UUID()
    channel = ma.fields.String(validate=v.OneOf(("walk_in", "portal", "phone")))
    since = ma.fields.AwareDateTime()
    until = ma.fields.AwareDateTime()
    mine = ma.fields.Boolean()


class NoteSchema(Schema):
    note = ma.fields.String(validate=v.Length(max=200))


class TransferSchema(Schema):
    business_type = ma.fields.String(required=True, validate=v.Length(min=1, max=40))
    attributes = ma.fields.Dict(keys=ma.fields.String(validate=v.Length(max=40)), load_default=dict)


class CallTicketSchema(Schema):
    ticket_id = ma.fields.UUID(required=True)


class CallResultSchema(Schema):
    ticket = ma.fields.Nested(TicketSchema, allow_none=True)
    window_number = ma.fields.Integer()
    still_waiting = ma.fields.Integer()


class DisplayRowSchema(Schema):
    window_number = ma.fields.Integer()
    window_label = ma.fields.String()
    status = ma.fields.String()
    ticket_number = ma.fields.String(allow_none=True)
    ticket_status = ma.fields.String(allow_none=True)
    called_at = ma.fields.AwareDateTime(allow_none=True)


class CaseCreateSchema(Schema):
    community = Community(required=True)
    ticket_id = ma.fields.UUID()
    business_type = ma.fields.String(validate=v.Length(min=1, max=40))
    summary = ma.fields.String(required=True, validate=v.Length(min=1, max=2000))
    owner_sub = ma.fields.String(validate=v.Length(max=200))
    contact_phone = ma.fields.String(validate=PHONE)

    @ma.validates_schema
    def _source(self, data: dict, **_: object) -> None:
        if not data.get("ticket_id") and not data.get("business_type"):
            raise ma.ValidationError("Give a ticket_id or a business_type.", "business_type")


class CaseSchema(Schema):
    id = ma.fields.String()
    number = ma.fields.String()
    community = ma.fields.String()
    business_type = ma.fields.String()
    ticket_id = ma.fields.String(allow_none=True)
    owner_sub = ma.fields.String(allow_none=True)
    contact_phone = ma.fields.String(allow_none=True)
    summary = ma.fields.String(metadata={"description": "Shown only to the resident and staff"})
    status = ma.fields.String()
    opened_at = ma.fields.AwareDateTime()
    due_at = ma.fields.AwareDateTime()
    overdue = ma.fields.Boolean()
    resolved_at = ma.fields.AwareDateTime(allow_none=True)
    closed_at = ma.fields.AwareDateTime(allow_none=True)
    on_time = ma.fields.Boolean(allow_none=True)
    resolution = ma.fields.String(allow_none=True)
    referral_target = ma.fields.String(allow_none=True)
    referral_category = ma.fields.String(allow_none=True)
    referral_severity = ma.fields.String(allow_none=True)
    lon = ma.fields.Float(allow_none=True)
    lat = ma.fields.Float(allow_none=True)
    referred_at = ma.fields.AwareDateTime(allow_none=True)
    grid_case_id = ma.fields.String(allow_none=True)
    grid_case_number = ma.fields.String(allow_none=True)


class CaseDetailSchema(CaseSchema):
    steps = ma.fields.List(ma.fields.Nested(StepSchema))


class CaseQuerySchema(PageQuerySchema):
    community = Community()
    status = ma.fields.String(validate=v.OneOf([s.value for s in CaseStatus]))
    business_type = ma.fields.String(validate=CODE)
    referral_target = ma.fields.String(validate=v.OneOf(("grid", *sorted(DEPARTMENTS))))
    overdue = ma.fields.Boolean()
    mine = ma.fields.Boolean()


class AwaitDepartmentSchema(Schema):
    department = ma.fields.String(required=True, validate=v.OneOf(sorted(DEPARTMENTS)))


class ReferSchema(Schema):
    target = ma.fields.String(required=True, validate=v.OneOf(("grid", *sorted(DEPARTMENTS))))
    category = ma.fields.String(validate=v.Length(min=1, max=40))
    severity = ma.fields.String(validate=v.OneOf(SEVERITIES))
    lon = ma.fields.Float(validate=v.Range(min=-180, max=180), allow_nan=False)
    lat = ma.fields.Float(validate=v.Range(min=-90, max=90), allow_nan=False)

    @ma.validates_schema
    def _grid_hints(self, data: dict, **_: object) -> None:
        if data["target"] == "grid":
            for name in ("category", "severity"):
                if not data.get(name):
                    raise ma.ValidationError("Required when referring to grid.", name)
        if ("lon" in data) != ("lat" in data):
            raise ma.ValidationError("Give both lon and lat, or neither.", "lat")


class ResolveSchema(Schema):
    resolution = ma.fields.String(required=True, validate=v.Length(min=1, max=2000))
    resolved_by = ma.fields.String(load_default="desk", validate=v.OneOf(("desk", "department")))


class FeedbackCreateSchema(Schema):
    target_kind = ma.fields.String(required=True, validate=v.OneOf(("ticket", "case")))
    target_id = ma.fields.UUID(required=True)
    score = ma.fields.Integer(required=True, strict=True, validate=v.Range(min=1, max=5))
    comment = ma.fields.String(validate=v.Length(max=1000))


class FeedbackSchema(Schema):
    id = ma.fields.String()
    community = ma.fields.String()
    target_kind = ma.fields.String()
    target_id = ma.fields.String()
    business_type = ma.fields.String()
    window_id = ma.fields.String(allow_none=True)
    score = ma.fields.Integer()
    comment = ma.fields.String(allow_none=True)
    channel = ma.fields.String()
    recorded_at = ma.fields.AwareDateTime()


class FeedbackQuerySchema(PageQuerySchema):
    community = Community()
    target_kind = ma.fields.String(validate=v.OneOf(("ticket", "case")))
    business_type = ma.fields.String(validate=CODE)
    score = ma.fields.Integer(validate=v.Range(min=1, max=5))


class RevealedSchema(Schema):
    id = ma.fields.String()
    contact_phone = ma.fields.String(allow_none=True)
    attributes = ma.fields.Dict(metadata={"description": "Tickets only: every value in clear"})
    masked = ma.fields.Boolean()
