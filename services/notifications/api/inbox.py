"""HTTP resources of the in-app inbox and, for operators, the dead letters."""

from __future__ import annotations

import uuid
from typing import Any

from flask.views import MethodView

from services.chassis import clock
from services.chassis.auth import current_principal
from services.chassis.blueprint import Blueprint
from services.chassis.web import paginate, transactional, uow

from ..usecases import deliveries
from .common import errors
from .schemas import DeadLetterSchema, InboxMessageSchema, UnreadSchema

blp = Blueprint("inbox", __name__, description="The in-app inbox; dead letters and their replay")


@blp.route("/inbox")
class Inbox(MethodView):
    @blp.response(200, InboxMessageSchema(many=True))
    @blp.paginate()
    @errors(blp, 401, 422)
    def get(self, pagination_parameters: Any) -> Any:
        """My messages, newest first."""
        return paginate(deliveries.inbox(uow(), current_principal()), pagination_parameters)


@blp.route("/inbox/unread")
class Unread(MethodView):
    @blp.response(200, UnreadSchema)
    @errors(blp, 401)
    def get(self) -> Any:
        """How many of my messages are unread."""
        return {"unread": deliveries.unread(uow(), current_principal())}


@blp.route("/inbox/<uuid:message_id>/read")
class Read(MethodView):
    @transactional
    @blp.response(200, InboxMessageSchema)
    @errors(blp, 401, 404)
    def post(self, message_id: uuid.UUID) -> Any:
        """Mark one of my messages read."""
        return deliveries.mark_read(uow(), current_principal(), str(message_id), clock.now())


@blp.route("/dead-letters")
class DeadLetters(MethodView):
    @blp.response(200, DeadLetterSchema(many=True))
    @blp.paginate()
    @errors(blp, 401, 403, 422)
    def get(self, pagination_parameters: Any) -> Any:
        """Messages given up on after the last attempt, with the error (operators)."""
        return paginate(deliveries.dead_letters(uow(), current_principal()), pagination_parameters)


@blp.route("/dead-letters/<uuid:delivery_id>/replay")
class Replay(MethodView):
    @transactional
    @blp.response(200, DeadLetterSchema)
    @errors(blp, 401, 403, 404)
    def post(self, delivery_id: uuid.UUID) -> Any:
        """Send a dead letter again from its first attempt (operators)."""
        return deliveries.replay(uow(), current_principal(), str(delivery_id), clock.now())
