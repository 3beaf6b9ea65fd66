"""Tenders, committee decisions, bids and awards."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate as v

from services.chassis.schemas import Schema

from ...domain import FUNDING_LINES, METHODS, TENDER_STATUSES
from .catalogue import CODE, Community, positive_fen


class TenderCreateSchema(Schema):
    community = Community(required=True)
    fiscal_year = ma.fields.Integer(required=True, strict=True, validate=v.Range(2011, 2100))
    funding_line = ma.fields.String(load_default="services", validate=v.OneOf(FUNDING_LINES))
    title = ma.fields.String(required=True, validate=v.Length(min=2, max=200))
    description = ma.fields.String(validate=v.Length(max=2000))
    method = ma.fields.String(required=True, validate=v.OneOf(METHODS))
    single_source_reason = ma.fields.String(validate=v.Length(min=2, max=2000))
    invited_provider_ids = ma.fields.List(ma.fields.UUID(), validate=v.Length(max=20))
    package_codes = ma.fields.List(
        ma.fields.String(validate=CODE), required=True, validate=v.Length(min=1, max=15)
    )
    estimated_value_fen = positive_fen(required=True)
    bid_deadline = ma.fields.AwareDateTime()


class StepSchema(Schema):
    action = ma.fields.String()
    from_state = ma.fields.String()
    to_state = ma.fields.String()
    actor_role = ma.fields.String()
    actor_name = ma.fields.String(metadata={"description": "Staff only; null for residents"})
    reason = ma.fields.String()
    at = ma.fields.DateTime()


class TenderSchema(TenderCreateSchema):
    id = ma.fields.String(dump_only=True)
    number = ma.fields.String(dump_only=True)
    buyer = ma.fields.String(dump_only=True)
    status = ma.fields.String(dump_only=True)
    allowed_actions = ma.fields.List(ma.fields.String(), dump_only=True)
    created_at = ma.fields.DateTime(dump_only=True)
    approved_at = ma.fields.DateTime(dump_only=True)
    published_at = ma.fields.DateTime(dump_only=True)
    closed_at = ma.fields.DateTime(dump_only=True)
    awarded_bid_id = ma.fields.String(dump_only=True)
    award_reason = ma.fields.String(dump_only=True)
    awarded_at = ma.fields.DateTime(dump_only=True)
    award_value_fen = ma.fields.Integer(
        dump_only=True,
        metadata={"description": "The awarded bid's amount (public once the committee approved the award)"},
    )
    awarded_provider_id = ma.fields.String(dump_only=True)
    steps = ma.fields.List(ma.fields.Nested(StepSchema), dump_only=True)


class TenderQuerySchema(Schema):
    community = Community()
    status = ma.fields.String(validate=v.OneOf(TENDER_STATUSES))


class ReasonOnlySchema(Schema):
    reason = ma.fields.String(load_default="", validate=v.Length(max=2000))


class DecisionSchema(Schema):
    step = ma.fields.String(required=True, validate=v.OneOf(("tender", "award")))
    decision = ma.fields.String(required=True, validate=v.OneOf(("approve", "return")))
    reason = ma.fields.String(
        required=True,
        validate=v.Length(min=2, max=2000),
        metadata={"description": "Why (the committee's deliberation)"},
    )


class BidCreateSchema(Schema):
    provider_id = ma.fields.UUID(required=True)
    amount_fen = positive_fen(required=True)
    proposal = ma.fields.String(validate=v.Length(max=2000))


class BidSchema(BidCreateSchema):
    id = ma.fields.String(dump_only=True)
    tender_id = ma.fields.String(dump_only=True)
    score = ma.fields.Integer(dump_only=True)
    submitted_at = ma.fields.DateTime(dump_only=True)


class ScoreSchema(Schema):
    bid_id = ma.fields.UUID(required=True)
    score = ma.fields.Integer(required=True, strict=True, validate=v.Range(0, 100))


class AwardProposalSchema(Schema):
    bid_id = ma.fields.UUID(required=True)
    reason = ma.fields.String(required=True, validate=v.Length(min=2, max=2000))
    scores = ma.fields.List(ma.fields.Nested(ScoreSchema), validate=v.Length(max=50))
