"""The governance API's bodies (the contract; never derived from the tables)."""

from __future__ import annotations

import marshmallow as ma

from services.chassis.schemas import PageQuerySchema, Schema, fen

from ..domain import CHOICES, INTEREST_KINDS, POSITIONS, RULES, SUBJECT_KINDS

COMMUNITY = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=40))


def text(max_length: int, **kwargs: object) -> ma.fields.String:
    return ma.fields.String(validate=ma.validate.Length(min=1, max=max_length), **kwargs)  # type: ignore[arg-type]


class MemberCreateSchema(Schema):
    community = COMMUNITY
    person_sub = text(200, required=True, metadata={"description": "the signed-in identity holding the seat"})
    name = text(100, required=True)
    position = ma.fields.String(required=True, validate=ma.validate.OneOf(POSITIONS))
    term_start = ma.fields.Date(required=True)
    term_end = ma.fields.Date(required=True)


class MemberSchema(Schema):
    id = ma.fields.String()
    community = ma.fields.String()
    name = ma.fields.String()
    position = ma.fields.String()
    term_start = ma.fields.Date()
    term_end = ma.fields.Date()


class InterestCreateSchema(Schema):
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(INTEREST_KINDS))
    party = text(100, required=True, metadata={"description": "a provider's credit code, or the party named"})
    description = ma.fields.String(load_default="", validate=ma.validate.Length(max=500))


class InterestSchema(Schema):
    id = ma.fields.String()
    member_id = ma.fields.String()
    kind = ma.fields.String()
    party = ma.fields.String()
    description = ma.fields.String()
    declared_at = ma.fields.AwareDateTime()


class MeetingCreateSchema(Schema):
    community = COMMUNITY
    title = text(200, required=True)
    starts_at = ma.fields.AwareDateTime(required=True)
    place = text(200, required=True, metadata={"description": "a room, or 线上 with a link"})


class AttendanceSchema(Schema):
    member_ids = ma.fields.List(ma.fields.UUID(), required=True, validate=ma.validate.Length(max=100))


class ItemCreateSchema(Schema):
    title = text(200, required=True)
    subject_kind = ma.fields.String(required=True, validate=ma.validate.OneOf(SUBJECT_KINDS))
    subject_id = ma.fields.UUID(load_default=None, allow_none=True)
    parties = ma.fields.List(text(100), load_default=list, validate=ma.validate.Length(max=50))
    rule = ma.fields.String(load_default="simple", validate=ma.validate.OneOf(RULES))


class ItemSchema(Schema):
    id = ma.fields.String()
    meeting_id = ma.fields.String()
    title = ma.fields.String()
    subject_kind = ma.fields.String()
    subject_id = ma.fields.String(allow_none=True)
    parties = ma.fields.List(ma.fields.String())
    rule = ma.fields.String()
    status = ma.fields.String()
    votes_for = ma.fields.Integer()
    votes_against = ma.fields.Integer()
    abstentions = ma.fields.Integer()
    eligible = ma.fields.Integer()
    eligible_present = ma.fields.Integer()
    recused_member_ids = ma.fields.List(ma.fields.String())
    closed_at = ma.fields.AwareDateTime(allow_none=True)


class MeetingSchema(Schema):
    id = ma.fields.String()
    community = ma.fields.String()
    title = ma.fields.String()
    starts_at = ma.fields.AwareDateTime()
    place = ma.fields.String()
    present_member_ids = ma.fields.List(ma.fields.String())
    items = ma.fields.List(ma.fields.Nested(ItemSchema))


class VoteCreateSchema(Schema):
    choice = ma.fields.String(required=True, validate=ma.validate.OneOf(CHOICES))


class VoteSchema(Schema):
    item_id = ma.fields.String()
    member_id = ma.fields.String()
    choice = ma.fields.String()
    cast_at = ma.fields.AwareDateTime()


class ObjectionCreateSchema(Schema):
    text = text(2000, required=True)


class AnswerSchema(Schema):
    answer = text(2000, required=True)


class ObjectionSchema(Schema):
    """An objection as the public reads it: the text and the answer, not who objected."""

    id = ma.fields.String()
    text = ma.fields.String()
    lodged_at = ma.fields.AwareDateTime()
    answer = ma.fields.String(allow_none=True)
    answered_at = ma.fields.AwareDateTime(allow_none=True)


class NoticeSchema(Schema):
    id = ma.fields.String()
    community = ma.fields.String()
    resolution_id = ma.fields.String()
    subject_kind = ma.fields.String()
    subject_id = ma.fields.String(allow_none=True)
    title = ma.fields.String()
    posted_at = ma.fields.AwareDateTime()
    ends_at = ma.fields.AwareDateTime()
    concluded_at = ma.fields.AwareDateTime(allow_none=True)
    objections = ma.fields.List(ma.fields.Nested(ObjectionSchema))


class RoundCreateSchema(Schema):
    community = COMMUNITY
    title = text(200, required=True)
    balance_fen = fen(required=True)
    cap_fen = fen(required=True)
    max_choices = ma.fields.Integer(required=True, strict=True, validate=ma.validate.Range(min=1, max=20))
    voting_opens_at = ma.fields.AwareDateTime(required=True)
    voting_closes_at = ma.fields.AwareDateTime(required=True)


class ProposalCreateSchema(Schema):
    title = text(200, required=True)
    description = text(2000, required=True)
    place = text(200, required=True)
    estimate_fen = fen(required=True)


class ScreeningSchema(Schema):
    eligible = ma.fields.Boolean(required=True)
    reason = text(500, required=True)


class BallotCreateSchema(Schema):
    proposal_ids = ma.fields.List(ma.fields.UUID(), required=True, validate=ma.validate.Length(min=1, max=20))


class BallotSchema(Schema):
    round_id = ma.fields.String()
    proposal_ids = ma.fields.List(ma.fields.String())
    cast_at = ma.fields.AwareDateTime()


class ProposalSchema(Schema):
    id = ma.fields.String()
    title = ma.fields.String()
    description = ma.fields.String()
    place = ma.fields.String()
    estimate_fen = ma.fields.Integer()
    eligible = ma.fields.Boolean(allow_none=True)
    screening_reason = ma.fields.String(allow_none=True)
    votes = ma.fields.Integer()
    granted = ma.fields.Boolean()


class RoundSchema(Schema):
    id = ma.fields.String()
    community = ma.fields.String()
    title = ma.fields.String()
    balance_fen = ma.fields.Integer()
    cap_fen = ma.fields.Integer()
    max_choices = ma.fields.Integer()
    voting_opens_at = ma.fields.AwareDateTime()
    voting_closes_at = ma.fields.AwareDateTime()
    granted_by_resolution_id = ma.fields.String(allow_none=True)
    proposals = ma.fields.List(ma.fields.Nested(ProposalSchema))


class CommunityQuerySchema(PageQuerySchema):
    pass


class RequiredCommunityQuerySchema(Schema):
    community = COMMUNITY
