"""The subscriptions API's bodies (the contract; never derived from the tables)."""

from __future__ import annotations

import marshmallow as ma

from services.chassis.config import COMMUNITIES
from services.chassis.schemas import Schema

from ..domain import DELIVERY_STATUSES, MODES, PATTERN, STATUSES

DEPARTMENT = ma.fields.String(validate=[ma.validate.Length(min=1, max=80)])
EVENT_PATTERN = ma.fields.String(
    validate=[ma.validate.Length(min=1, max=200), ma.validate.Regexp(PATTERN)],
    metadata={"description": "an event type or topic pattern: `*` one word, `#` any words"},
)


class DepartmentQuerySchema(Schema):
    department = ma.fields.String(
        validate=ma.validate.Length(min=1, max=80),
        metadata={"description": "an administrator's choice of department (a department sees its own)"},
    )


class GrantCreateSchema(Schema):
    department = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=80))
    pattern = ma.fields.String(
        required=True, validate=[ma.validate.Length(min=1, max=200), ma.validate.Regexp(PATTERN)]
    )


class GrantSchema(Schema):
    id = ma.fields.String(required=True)
    department = ma.fields.String(required=True)
    pattern = ma.fields.String(required=True)
    granted_by = ma.fields.String(required=True)
    granted_at = ma.fields.AwareDateTime(required=True)


class SubscriptionCreateSchema(Schema):
    department = DEPARTMENT
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=100))
    event_types = ma.fields.List(EVENT_PATTERN, required=True, validate=ma.validate.Length(min=1, max=50))
    communities = ma.fields.List(
        ma.fields.String(validate=ma.validate.OneOf(COMMUNITIES)),
        load_default=list,
        validate=ma.validate.Length(max=len(COMMUNITIES)),
        metadata={"description": "empty: every community"},
    )
    mode = ma.fields.String(required=True, validate=ma.validate.OneOf(MODES))
    url = ma.fields.Url(
        schemes={"http", "https"},
        require_tld=False,
        validate=ma.validate.Length(max=2000),
        metadata={"description": "webhooks: https (http only where allowed), public addresses only"},
    )


class SubscriptionSchema(Schema):
    id = ma.fields.String(required=True)
    department = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    event_types = ma.fields.List(ma.fields.String(), required=True)
    communities = ma.fields.List(ma.fields.String(), required=True)
    mode = ma.fields.String(required=True, validate=ma.validate.OneOf(MODES))
    url = ma.fields.String(required=True, allow_none=True)
    queue = ma.fields.String(
        required=True, allow_none=True, metadata={"description": "AMQP: the queue to read"}
    )
    status = ma.fields.String(required=True, validate=ma.validate.OneOf(STATUSES))
    version = ma.fields.Integer(required=True)
    created_at = ma.fields.AwareDateTime(required=True)
    failing_since = ma.fields.AwareDateTime(required=True, allow_none=True)
    disabled_at = ma.fields.AwareDateTime(required=True, allow_none=True)


class CreatedSubscriptionSchema(SubscriptionSchema):
    secret = ma.fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "webhooks: the signing secret (`whsec_…`), shown this once only"},
    )
    amqp_user = ma.fields.String(
        required=True, allow_none=True, metadata={"description": "AMQP: the broker user"}
    )
    amqp_password = ma.fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "AMQP: the user's password, shown once when this made the user (else null)"},
    )


class SecretSchema(Schema):
    secret = ma.fields.String(required=True, metadata={"description": "the new secret, shown this once only"})


class PasswordSchema(Schema):
    amqp_user = ma.fields.String(required=True)
    amqp_password = ma.fields.String(required=True, metadata={"description": "shown this once only"})


class DeliveryQuerySchema(Schema):
    status = ma.fields.String(validate=ma.validate.OneOf(DELIVERY_STATUSES))


class DeliverySchema(Schema):
    id = ma.fields.Integer(required=True)
    event_id = ma.fields.String(required=True)
    event_type = ma.fields.String(required=True)
    subject = ma.fields.String(required=True)
    community = ma.fields.String(required=True, allow_none=True)
    event_time = ma.fields.AwareDateTime(required=True)
    status = ma.fields.String(required=True, validate=ma.validate.OneOf(DELIVERY_STATUSES))
    attempts = ma.fields.Integer(required=True)
    next_attempt_at = ma.fields.AwareDateTime(required=True)
    delivered_at = ma.fields.AwareDateTime(required=True, allow_none=True)
    latency_ms = ma.fields.Integer(required=True, allow_none=True)
    last_status = ma.fields.Integer(required=True, allow_none=True)
    last_error = ma.fields.String(required=True, allow_none=True)


class RedeliverySchema(Schema):
    event_id = ma.fields.String(validate=ma.validate.Length(min=1, max=100))
    since = ma.fields.AwareDateTime()
    until = ma.fields.AwareDateTime()

    @ma.validates_schema
    def _one_event_or_a_range(self, data: dict[str, object], **_: object) -> None:
        if ("event_id" in data) == ("since" in data or "until" in data):
            raise ma.ValidationError("Name one event_id, or a since/until range.", "_schema")


class RedeliveryResultSchema(Schema):
    queued = ma.fields.Integer(required=True)
