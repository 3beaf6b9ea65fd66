"""HTTP resources of watches ("text me when I'm 3 ahead") and a ticket's place in the queue."""

from __future__ import annotations

import uuid
from typing import Any

from flask.views import MethodView

from services.chassis import clock
from services.chassis.auth import current_principal
from services.chassis.blueprint import Blueprint
from services.chassis.web import transactional, uow

from ..usecases import queue, work
from .common import errors, settings
from .schemas import (
    SubscriptionCreateSchema,
    SubscriptionSchema,
    TicketQueueSchema,
    WatchCreateSchema,
    WatchSchema,
)

blp = Blueprint(
    "watches", __name__, description="Opt-ins on tickets and cases, and a ticket's estimated wait"
)


@blp.route("/watches")
class Watches(MethodView):
    @blp.response(200, WatchSchema(many=True))
    @errors(blp, 401)
    def get(self) -> Any:
        """My watches."""
        return queue.watches(uow(), current_principal())

    @transactional
    @blp.arguments(WatchCreateSchema)
    @blp.response(201, WatchSchema)
    @errors(blp, 400, 401, 409, 422)
    def post(self, data: dict[str, Any]) -> Any:
        """Be told about a ticket (N ahead, called, missed) or a case; needs consent to its purpose."""
        return queue.watch(uow(), current_principal(), data, clock.now())


@blp.route("/watches/<uuid:watch_id>")
class Watch(MethodView):
    @transactional
    @blp.response(204)
    @errors(blp, 401, 404)
    def delete(self, watch_id: uuid.UUID) -> None:
        """Stop watching."""
        queue.unwatch(uow(), current_principal(), str(watch_id))


@blp.route("/tickets/<uuid:ticket_id>/queue")
class TicketQueue(MethodView):
    @blp.response(200, TicketQueueSchema)
    @errors(blp, 401, 404)
    def get(self, ticket_id: uuid.UUID) -> Any:
        """A ticket's place: how many wait ahead and the estimated wait in seconds."""
        mean = settings().mean_service_seconds
        return queue.ticket_queue(uow(), current_principal(), str(ticket_id), mean, clock.now())


@blp.route("/subscriptions")
class Subscriptions(MethodView):
    @blp.response(200, SubscriptionSchema(many=True))
    @errors(blp, 401)
    def get(self) -> Any:
        """My work reminders (staff)."""
        return work.subscriptions(uow(), current_principal())

    @transactional
    @blp.arguments(SubscriptionCreateSchema)
    @blp.response(201, SubscriptionSchema)
    @errors(blp, 400, 401, 403, 422)
    @blp.rules("`trigger` names a staff trigger (contract.signature_waiting, round.scoring_open).")
    def post(self, data: dict[str, Any]) -> Any:
        """Be reminded of a kind of work waiting in a community where I am staff."""
        return work.subscribe(uow(), current_principal(), data, clock.now())


@blp.route("/subscriptions/<uuid:subscription_id>")
class Subscription(MethodView):
    @transactional
    @blp.response(204)
    @errors(blp, 401, 404)
    def delete(self, subscription_id: uuid.UUID) -> None:
        """Stop a work reminder."""
        work.unsubscribe(uow(), current_principal(), str(subscription_id))
