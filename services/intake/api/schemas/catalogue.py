"""Request and response bodies of the catalogue (business types, windows, calendar) and the
query parameters shared by the intake API (the contract; never the table layout)."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate as v

from services.chassis.config import COMMUNITIES, DEPARTMENTS
from services.chassis.schemas import PageQuerySchema, Schema

from ...domain.attributes import DATATYPES

CODE = v.Regexp(r"^[a-z][a-z0-9_]{0,39}$", error="Use lower-case letters, digits and _.")
Community = lambda **kw: ma.fields.String(validate=v.OneOf(COMMUNITIES), **kw)  # noqa: E731


class AttributeValueSchema(Schema):
    key = ma.fields.String(required=True, validate=v.Length(min=1, max=40))
    name = ma.fields.String(required=True, validate=v.Length(min=1, max=100))


class AttributeDefinitionSchema(Schema):
    """An Open311-style form field of a business type."""

    code = ma.fields.String(required=True, validate=CODE)
    datatype = ma.fields.String(required=True, validate=v.OneOf(DATATYPES))
    required = ma.fields.Boolean(load_default=False)
    order = ma.fields.Integer(load_default=0, validate=v.Range(min=0, max=1000))
    description = ma.fields.String(required=True, validate=v.Length(min=1, max=200))
    description_en = ma.fields.String(validate=v.Length(max=200))
    personal = ma.fields.Boolean(
        load_default=False, metadata={"description": "Identifies a person: masked, never in events"}
    )
    values = ma.fields.List(
        ma.fields.Nested(AttributeValueSchema),
        load_default=list,
        dump_default=list,
        validate=v.Length(max=50),
    )


class BusinessTypeSchema(Schema):
    id = ma.fields.String(dump_only=True)
    community = Community(required=True)
    code = ma.fields.String(required=True, validate=CODE)
    name_zh = ma.fields.String(required=True, validate=v.Length(min=1, max=100))
    name_en = ma.fields.String(required=True, validate=v.Length(min=1, max=150))
    department = ma.fields.String(required=True, validate=v.OneOf(sorted(DEPARTMENTS)))
    typical_minutes = ma.fields.Integer(required=True, strict=True, validate=v.Range(min=1, max=480))
    needs_follow_up = ma.fields.Boolean(load_default=False)
    sla_days = ma.fields.Integer(required=True, strict=True, validate=v.Range(min=0, max=120))
    ticket_prefix = ma.fields.String(
        load_default="A",
        validate=v.Regexp(r"^[A-UW-Z]$", error="One capital letter except V (priority tickets)."),
    )
    attributes = ma.fields.List(
        ma.fields.Nested(AttributeDefinitionSchema), load_default=list, validate=v.Length(max=40)
    )
    required_documents = ma.fields.List(
        ma.fields.String(validate=v.Length(min=1, max=100)),
        load_default=list,
        validate=v.Length(max=30),
        metadata={"description": "The materials to bring (办事指南), in order"},
    )
    active = ma.fields.Boolean(dump_only=True)
    version = ma.fields.Integer(dump_only=True)


class BusinessTypePatchSchema(BusinessTypeSchema):
    class Meta:
        exclude = ("community", "code")

    def on_bind_field(self, field_name: str, field_obj: ma.fields.Field) -> None:
        field_obj.required = False
        field_obj.load_default = ma.missing
        super().on_bind_field(field_name, field_obj)

    active = ma.fields.Boolean()


class BusinessTypeQuerySchema(PageQuerySchema):
    community = Community(required=True)
    department = ma.fields.String(validate=v.OneOf(sorted(DEPARTMENTS)))


class WindowSchema(Schema):
    id = ma.fields.String(dump_only=True)
    community = Community(required=True)
    number = ma.fields.Integer(required=True, strict=True, validate=v.Range(min=1, max=999))
    label = ma.fields.String(validate=v.Length(max=100))
    status = ma.fields.String(load_default="closed", validate=v.OneOf(("open", "paused", "closed")))
    mode = ma.fields.String(required=True, validate=v.OneOf(("generalist", "dedicated")))
    skills = ma.fields.List(ma.fields.String(validate=CODE), load_default=list, validate=v.Length(max=100))
    staff_on_duty = ma.fields.String(allow_none=True, validate=v.Length(max=200))
    current_ticket_id = ma.fields.String(dump_only=True, allow_none=True)
    version = ma.fields.Integer(dump_only=True)


class WindowPatchSchema(Schema):
    label = ma.fields.String(validate=v.Length(min=1, max=100))
    status = ma.fields.String(validate=v.OneOf(("open", "paused", "closed")))
    mode = ma.fields.String(validate=v.OneOf(("generalist", "dedicated")))
    skills = ma.fields.List(ma.fields.String(validate=CODE), validate=v.Length(max=100))
    staff_on_duty = ma.fields.String(allow_none=True, validate=v.Length(max=200))


class CommunityQuerySchema(Schema):
    community = Community(required=True)


class CalendarDaySchema(Schema):
    day = ma.fields.Date(dump_only=True)
    kind = ma.fields.String(required=True, validate=v.OneOf(("holiday", "workday")))
    name = ma.fields.String(required=True, validate=v.Length(min=1, max=100))
    source = ma.fields.String(dump_only=True)


class CalendarQuerySchema(Schema):
    year = ma.fields.Integer(required=True, validate=v.Range(min=2000, max=2100))


class PeriodQuerySchema(Schema):
    community = Community(required=True)
    date_from = ma.fields.Date(required=True, data_key="from")
    date_to = ma.fields.Date(required=True, data_key="to")

    @ma.validates_schema
    def _ordered(self, data: dict, **_: object) -> None:
        if data["date_to"] < data["date_from"]:
            raise ma.ValidationError("Must not be before 'from'.", "to")
        if (data["date_to"] - data["date_from"]).days > 366:
            raise ma.ValidationError("At most 366 days.", "to")
