"""Contracts, milestones, signatures, amendments and their history."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate as v

from services.chassis.schemas import Schema

from .catalogue import Community, positive_fen
from .procurement import StepSchema

StepSchema = StepSchema  # re-exported: the contract history uses the same shape
STATUSES = ("draft", "signing", "active", "amending", "completed", "terminated", "cancelled")


class MilestoneInSchema(Schema):
    name = ma.fields.String(required=True, validate=v.Length(min=2, max=200))
    kind = ma.fields.String(required=True, validate=v.OneOf(("signing", "scheduled", "evaluation")))
    due_date = ma.fields.Date()
    share_bp = ma.fields.Integer(
        required=True,
        strict=True,
        validate=v.Range(1, 10_000),
        metadata={"description": "Share in basis points (3000 = 30 %)"},
    )
    evaluation_year = ma.fields.Integer(strict=True, validate=v.Range(2011, 2100))


class MilestoneSchema(MilestoneInSchema):
    id = ma.fields.String(dump_only=True)
    seq = ma.fields.Integer(dump_only=True)
    amount_fen = ma.fields.Integer(dump_only=True)
    payable_fen = ma.fields.Integer(dump_only=True)
    paid_fen = ma.fields.Integer(dump_only=True)
    withheld_fen = ma.fields.Integer(dump_only=True)
    status = ma.fields.String(dump_only=True)
    grade = ma.fields.String(dump_only=True)
    decided_at = ma.fields.DateTime(dump_only=True)


class ContractCreateSchema(Schema):
    tender_id = ma.fields.UUID(required=True)
    title = ma.fields.String(validate=v.Length(min=2, max=200))
    period_start = ma.fields.Date(required=True)
    period_end = ma.fields.Date(required=True)
    milestones = ma.fields.List(
        ma.fields.Nested(MilestoneInSchema), required=True, validate=v.Length(min=1, max=12)
    )
    fail_withhold_bp = ma.fields.Integer(
        strict=True,
        validate=v.Range(0, 10_000),
        metadata={
            "description": "Share of the evaluation milestone withheld on grade fail (default 10000: all)"
        },
    )


class ContractEditSchema(Schema):
    title = ma.fields.String(validate=v.Length(min=2, max=200))
    period_start = ma.fields.Date()
    period_end = ma.fields.Date()
    milestones = ma.fields.List(ma.fields.Nested(MilestoneInSchema), validate=v.Length(min=1, max=12))
    fail_withhold_bp = ma.fields.Integer(strict=True, validate=v.Range(0, 10_000))
    reason = ma.fields.String(validate=v.Length(max=2000))


class SignatureSchema(Schema):
    revision = ma.fields.Integer()
    party = ma.fields.String()
    signer_name = ma.fields.String(metadata={"description": "Staff only; null for residents"})
    signed_at = ma.fields.DateTime()


class AmendmentSchema(Schema):
    id = ma.fields.String()
    revision = ma.fields.Integer()
    reason = ma.fields.String()
    changes = ma.fields.Dict()
    status = ma.fields.String()
    proposed_at = ma.fields.DateTime()
    decided_at = ma.fields.DateTime()


class ContractSchema(Schema):
    id = ma.fields.String()
    number = ma.fields.String()
    community = ma.fields.String()
    tender_id = ma.fields.String()
    provider_id = ma.fields.String()
    provider_name = ma.fields.String()
    buyer = ma.fields.String()
    funding_line = ma.fields.String()
    title = ma.fields.String()
    value_fen = ma.fields.Integer()
    allocated_fen = ma.fields.Integer()
    paid_fen = ma.fields.Integer()
    withheld_fen = ma.fields.Integer()
    period_start = ma.fields.Date()
    period_end = ma.fields.Date()
    package_codes = ma.fields.List(ma.fields.String())
    deliverables = ma.fields.List(ma.fields.Dict())
    fail_withhold_bp = ma.fields.Integer()
    status = ma.fields.String()
    revision = ma.fields.Integer()
    version = ma.fields.Integer()
    allowed_actions = ma.fields.List(ma.fields.String())
    parties_signed = ma.fields.List(
        ma.fields.String(), metadata={"description": "Parties that signed the revision being signed"}
    )
    milestones = ma.fields.List(ma.fields.Nested(MilestoneSchema))
    signatures = ma.fields.List(ma.fields.Nested(SignatureSchema))
    amendments = ma.fields.List(ma.fields.Nested(AmendmentSchema))
    created_at = ma.fields.DateTime()
    activated_at = ma.fields.DateTime()
    terminated_at = ma.fields.DateTime()
    termination_reason = ma.fields.String()
    completed_at = ma.fields.DateTime()


class ContractQuerySchema(Schema):
    community = Community()
    status = ma.fields.String(validate=v.OneOf(STATUSES))
    provider_id = ma.fields.UUID()


class SignatureCreateSchema(Schema):
    party = ma.fields.String(required=True, validate=v.OneOf(("subdistrict", "committee", "provider")))


class AmendmentCreateSchema(Schema):
    reason = ma.fields.String(required=True, validate=v.Length(min=2, max=2000))
    value_fen = positive_fen()
    period_end = ma.fields.Date()


class ReasonSchema(Schema):
    reason = ma.fields.String(required=True, validate=v.Length(min=2, max=2000))
