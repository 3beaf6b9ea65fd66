"""Service packages and providers."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate as v

from services.chassis.config import COMMUNITIES
from services.chassis.reveals import AuditQuerySchema
from services.chassis.schemas import Schema

from ...domain.money import MAX_FEN
from ...usecases.policy import SUBDISTRICT_AUDIT

CODE = v.Regexp(r"^[a-z][a-z0-9_]{1,39}$", error="Use 2-40 lower-case letters, digits or _.")
Community = lambda **kw: ma.fields.String(validate=v.OneOf(COMMUNITIES), **kw)  # noqa: E731


def positive_fen(**kwargs: object) -> ma.fields.Integer:
    """An amount in fen of at least 1 (integers only: 12.5 or "12" are refused)."""
    return ma.fields.Integer(strict=True, validate=v.Range(min=1, max=MAX_FEN), **kwargs)


KINDS = ("social_service_agency", "community_social_organization")


class DeliverableSchema(Schema):
    code = ma.fields.String(required=True, validate=CODE)
    description = ma.fields.String(required=True, validate=v.Length(min=2, max=200))
    quantity = ma.fields.Integer(required=True, strict=True, validate=v.Range(min=1, max=100_000))
    unit = ma.fields.String(required=True, validate=v.Length(min=1, max=20))
    period = ma.fields.String(required=True, validate=v.OneOf(("month", "quarter", "year")))


class PackageCreateSchema(Schema):
    community = Community(required=True)
    code = ma.fields.String(required=True, validate=CODE)
    name = ma.fields.String(required=True, validate=v.Length(min=2, max=100))
    description = ma.fields.String(validate=v.Length(max=2000))
    deliverables = ma.fields.List(
        ma.fields.Nested(DeliverableSchema), required=True, validate=v.Length(min=1, max=20)
    )


class PackageSchema(PackageCreateSchema):
    id = ma.fields.String(dump_only=True)
    active = ma.fields.Boolean(dump_only=True)
    created_at = ma.fields.DateTime(dump_only=True)


class PackageQuerySchema(Schema):
    community = Community()
    active = ma.fields.Boolean()


class ProviderCreateSchema(Schema):
    name = ma.fields.String(required=True, validate=v.Length(min=2, max=200))
    uscc = ma.fields.String(
        required=True,
        validate=v.Length(min=1, max=40),
        metadata={"description": "Unified social credit code (GB 32100)"},
    )
    kind = ma.fields.String(required=True, validate=v.OneOf(KINDS))
    community = Community(metadata={"description": "Home community of a community organization"})
    bank_name = ma.fields.String(validate=v.Length(max=200))
    bank_account = ma.fields.String(validate=v.Regexp(r"^[0-9]{8,30}$"))
    contact_name = ma.fields.String(validate=v.Length(max=100))
    contact_phone = ma.fields.String(validate=v.Regexp(r"^\+?[0-9-]{7,20}$"))


class StatusChangeSchema(Schema):
    from_status = ma.fields.String()
    to_status = ma.fields.String()
    reason = ma.fields.String()
    actor_name = ma.fields.String()
    at = ma.fields.DateTime()


class ProviderSchema(ProviderCreateSchema):
    # As read: absent values are null, and bank details and contacts may come masked.
    community = ma.fields.String(dump_only=True, allow_none=True)
    bank_name = ma.fields.String(dump_only=True, allow_none=True)
    bank_account = ma.fields.String(dump_only=True, allow_none=True)
    contact_name = ma.fields.String(dump_only=True, allow_none=True)
    contact_phone = ma.fields.String(dump_only=True, allow_none=True)
    id = ma.fields.String(dump_only=True)
    status = ma.fields.String(dump_only=True)
    created_at = ma.fields.DateTime(dump_only=True)
    private_visible = ma.fields.Boolean(
        dump_only=True,
        metadata={
            "description": "False: bank details are masked. The contact person is unmasked for "
            "the provider itself only; others with the right read it through the audited reveal"
        },
    )
    history = ma.fields.List(ma.fields.Nested(StatusChangeSchema), dump_only=True)


class ProviderContactSchema(Schema):
    id = ma.fields.String()
    contact_name = ma.fields.String(allow_none=True)
    contact_phone = ma.fields.String(allow_none=True)
    masked = ma.fields.Boolean()


class ProviderQuerySchema(Schema):
    kind = ma.fields.String(validate=v.OneOf(KINDS))
    status = ma.fields.String(validate=v.OneOf(("active", "suspended", "barred")))
    community = Community()
    q = ma.fields.String(validate=v.Length(max=50))


class ProviderStatusSchema(Schema):
    status = ma.fields.String(required=True, validate=v.OneOf(("active", "suspended", "barred")))
    reason = ma.fields.String(required=True, validate=v.Length(min=2, max=2000))


class ProviderAuditQuerySchema(AuditQuerySchema):
    community = ma.fields.String(
        required=True,
        validate=v.OneOf((*COMMUNITIES, SUBDISTRICT_AUDIT)),
        metadata={"description": "A community, or `subdistrict` for providers of the whole subdistrict"},
    )
