"""The notifications API's bodies (the contract; never derived from the tables)."""

from __future__ import annotations

import marshmallow as ma

from services.chassis.config import COMMUNITIES
from services.chassis.schemas import Schema

from ..domain import CHANNELS, CONTACT_KINDS, LANGUAGES, PURPOSES

HHMM = ma.validate.Regexp(r"^([01][0-9]|2[0-3]):[0-5][0-9]$", error="HH:MM, 00:00 to 23:59.")


class ContactCreateSchema(Schema):
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(tuple(CONTACT_KINDS)))
    value = ma.fields.String(
        required=True,
        validate=ma.validate.Length(min=1, max=254),
        metadata={"description": "mobile: 11 digits (+86 allowed); email: an address; wechat: the openid"},
    )


class ContactSchema(Schema):
    id = ma.fields.String(required=True)
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(tuple(CONTACT_KINDS)))
    value_masked = ma.fields.String(required=True)
    verified = ma.fields.Boolean(required=True)
    verified_at = ma.fields.AwareDateTime(required=True, allow_none=True)
    code_expires_at = ma.fields.AwareDateTime(required=True, allow_none=True)
    created_at = ma.fields.AwareDateTime(required=True)


class VerifySchema(Schema):
    code = ma.fields.String(required=True, validate=ma.validate.Regexp(r"^[0-9]{6}$", error="Six digits."))


class ConsentCreateSchema(Schema):
    purpose = ma.fields.String(required=True, validate=ma.validate.OneOf(tuple(PURPOSES)))
    language = ma.fields.String(required=True, validate=ma.validate.OneOf(LANGUAGES))


class ConsentSchema(Schema):
    id = ma.fields.String(required=True)
    purpose = ma.fields.String(required=True)
    language = ma.fields.String(required=True)
    wording = ma.fields.String(
        required=True, metadata={"description": "the exact text shown when consent was given"}
    )
    given_at = ma.fields.AwareDateTime(required=True)
    withdrawn_at = ma.fields.AwareDateTime(required=True, allow_none=True)


class PurposeSchema(Schema):
    purpose = ma.fields.String(required=True)
    wording = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String(), required=True)


class PreferenceSchema(Schema):
    language = ma.fields.String(required=True, validate=ma.validate.OneOf(LANGUAGES))
    channels = ma.fields.List(
        ma.fields.String(validate=ma.validate.OneOf(CHANNELS)),
        required=True,
        validate=ma.validate.Length(max=4),
    )
    muted = ma.fields.List(
        ma.fields.String(validate=ma.validate.Length(min=1, max=40)),
        load_default=list,
        validate=ma.validate.Length(max=20),
        metadata={"description": "trigger names not to be sent (unknown names are refused)"},
    )
    quiet_start = ma.fields.String(load_default=None, allow_none=True, validate=HHMM)
    quiet_end = ma.fields.String(load_default=None, allow_none=True, validate=HHMM)


class WatchCreateSchema(Schema):
    target_kind = ma.fields.String(required=True, validate=ma.validate.OneOf(("ticket", "case")))
    target_id = ma.fields.UUID(required=True)
    ahead = ma.fields.Integer(
        load_default=3,
        validate=ma.validate.Range(min=0, max=20),
        metadata={"description": "tickets only: tell me when at most this many are ahead"},
    )


class WatchSchema(Schema):
    id = ma.fields.String(required=True)
    target_kind = ma.fields.String(required=True)
    target_id = ma.fields.String(required=True)
    ahead = ma.fields.Integer(required=True, allow_none=True)
    ahead_told = ma.fields.Boolean(required=True)
    created_at = ma.fields.AwareDateTime(required=True)


class SubscriptionCreateSchema(Schema):
    community = ma.fields.String(required=True, validate=ma.validate.OneOf(COMMUNITIES))
    trigger = ma.fields.String(
        required=True,
        validate=ma.validate.Length(min=1, max=40),
        metadata={"description": "contract.signature_waiting or round.scoring_open (others are refused)"},
    )


class SubscriptionSchema(Schema):
    id = ma.fields.String(required=True)
    community = ma.fields.String(required=True)
    trigger = ma.fields.String(required=True)
    created_at = ma.fields.AwareDateTime(required=True)


class TicketQueueSchema(Schema):
    ticket_id = ma.fields.String(required=True)
    number = ma.fields.String(required=True)
    status = ma.fields.String(required=True)
    ahead = ma.fields.Integer(required=True, allow_none=True)
    estimated_wait_seconds = ma.fields.Integer(required=True, allow_none=True)


class InboxMessageSchema(Schema):
    id = ma.fields.String(required=True)
    trigger = ma.fields.String(required=True)
    text = ma.fields.String(required=True)
    created_at = ma.fields.AwareDateTime(required=True)
    read_at = ma.fields.AwareDateTime(required=True, allow_none=True)


class UnreadSchema(Schema):
    unread = ma.fields.Integer(required=True)


class DeadLetterSchema(Schema):
    id = ma.fields.String(required=True)
    trigger = ma.fields.String(required=True)
    channel = ma.fields.String(required=True)
    attempts = ma.fields.Integer(required=True)
    last_error = ma.fields.String(required=True, allow_none=True)
    created_at = ma.fields.AwareDateTime(required=True)
