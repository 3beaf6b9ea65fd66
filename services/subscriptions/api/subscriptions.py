"""HTTP resources of subscriptions: a department's own, their secrets, log and redelivery."""

from __future__ import annotations

import uuid
from typing import Any

from flask import current_app
from flask.views import MethodView

from services.chassis.auth import current_principal
from services.chassis.blueprint import Blueprint
from services.chassis.protection import PersonalDataCipher
from services.chassis.web import paginate, service_settings, transactional, uow

from ..settings import SubscriptionSettings
from ..usecases import deliveries, subscriptions
from .errors import documenter
from .provisioning import broker
from .schemas import (
    CreatedSubscriptionSchema,
    DeliveryQuerySchema,
    DeliverySchema,
    DepartmentQuerySchema,
    PasswordSchema,
    RedeliveryResultSchema,
    RedeliverySchema,
    SecretSchema,
    SubscriptionCreateSchema,
    SubscriptionSchema,
)

blp = Blueprint("subscriptions", __name__, description="Departments' webhook subscriptions")
documented = documenter(blp)
SHOWN = tuple(SubscriptionSchema().fields)


def cipher() -> PersonalDataCipher:
    return current_app.extensions["subscriptions.cipher"]  # type: ignore[no-any-return]


@blp.route("/subscriptions")
class Subscriptions(MethodView):
    @documented(401, 403, 422)
    @blp.arguments(DepartmentQuerySchema, location="query")
    @blp.response(200, SubscriptionSchema(many=True))
    @blp.paginate()
    def get(self, args: dict[str, Any], pagination_parameters: Any) -> Any:
        """The department's subscriptions (an administrator's: every department's, or one's)."""
        query = subscriptions.listing(current_principal(), args.get("department"))
        return paginate(query, pagination_parameters)

    @transactional
    @documented(401, 403, 422, 503)
    @blp.arguments(SubscriptionCreateSchema)
    @blp.response(201, CreatedSubscriptionSchema)
    @blp.rules(
        "A `webhook` subscription names its receiver's absolute `url` (https unless allowed); "
        "an `amqp` subscription names none.",
        "`event_types` and `communities` stay within the department's grants (403 otherwise).",
    )
    def post(self, data: dict[str, Any]) -> Any:
        """Subscribe to granted event types; the answer carries the signing secret, once."""
        settings = service_settings(SubscriptionSettings)
        subscription, shown = subscriptions.create(
            uow(), current_principal(), data, settings, cipher(), broker
        )
        credentials = {"secret": None, "amqp_user": None, "amqp_password": None, **shown}
        return {**{name: getattr(subscription, name) for name in SHOWN}, **credentials}


@blp.route("/subscriptions/<uuid:subscription_id>")
class SubscriptionById(MethodView):
    @documented(401, 403, 404)
    @blp.response(200, SubscriptionSchema)
    def get(self, subscription_id: uuid.UUID) -> Any:
        """One subscription of the department."""
        return subscriptions.get(uow(), current_principal(), str(subscription_id))

    @transactional
    @documented(401, 403, 404, 503)
    @blp.response(204)
    def delete(self, subscription_id: uuid.UUID) -> None:
        """Delete a subscription: nothing more is sent; its secrets, log, queue go with it."""
        subscriptions.remove(uow(), current_principal(), str(subscription_id), broker)


def _action(action: str, summary: str) -> type[MethodView]:
    class Action(MethodView):
        @transactional
        @documented(401, 403, 404, 409)
        @blp.response(200, SubscriptionSchema)
        def post(self, subscription_id: uuid.UUID) -> Any:
            return subscriptions.act(uow(), current_principal(), str(subscription_id), action)

    Action.post.__doc__ = summary
    Action.__name__ = f"Subscription{action.title()}"
    return Action


blp.route("/subscriptions/<uuid:subscription_id>/pause")(
    _action("pause", "Pause deliveries (kept, sent on resume).")
)
blp.route("/subscriptions/<uuid:subscription_id>/resume")(
    _action("resume", "Resume a paused or disabled subscription; what is pending is sent.")
)


@blp.route("/subscriptions/<uuid:subscription_id>/secret")
class Secret(MethodView):
    @transactional
    @documented(401, 403, 404)
    @blp.response(201, SecretSchema)
    def post(self, subscription_id: uuid.UUID) -> Any:
        """Rotate the signing secret: the new one is shown once; the old signs along for the overlap."""
        settings = service_settings(SubscriptionSettings)
        secret = subscriptions.rotate_secret(
            uow(), current_principal(), str(subscription_id), settings, cipher()
        )
        return {"secret": secret}


@blp.route("/subscriptions/<uuid:subscription_id>/password")
class Password(MethodView):
    @transactional
    @documented(401, 403, 404, 422, 503)
    @blp.response(201, PasswordSchema)
    def post(self, subscription_id: uuid.UUID) -> Any:
        """A new password for the department's broker user (AMQP), shown once."""
        user, password = subscriptions.rotate_password(
            uow(), current_principal(), str(subscription_id), broker
        )
        return {"amqp_user": user, "amqp_password": password}


@blp.route("/subscriptions/<uuid:subscription_id>/deliveries")
class Deliveries(MethodView):
    @documented(401, 403, 404, 422)
    @blp.arguments(DeliveryQuerySchema, location="query")
    @blp.response(200, DeliverySchema(many=True))
    @blp.paginate()
    def get(self, args: dict[str, Any], subscription_id: uuid.UUID, pagination_parameters: Any) -> Any:
        """The delivery log, newest first: status, attempts, latency, the receiver's answer."""
        query = deliveries.log(uow(), current_principal(), str(subscription_id), args.get("status"))
        return paginate(query, pagination_parameters)


@blp.route("/subscriptions/<uuid:subscription_id>/redeliveries")
class Redeliveries(MethodView):
    @transactional
    @documented(401, 403, 404, 422)
    @blp.arguments(RedeliverySchema)
    @blp.response(202, RedeliveryResultSchema)
    @blp.rules("Name one `event_id`, or a `since`/`until` range (`since` before `until`), not both.")
    def post(self, data: dict[str, Any], subscription_id: uuid.UUID) -> Any:
        """Send one event, or every event of a time range, again (same `webhook-id`)."""
        queued = deliveries.redeliver(
            uow(),
            current_principal(),
            str(subscription_id),
            data.get("event_id"),
            data.get("since"),
            data.get("until"),
        )
        return {"queued": queued}
