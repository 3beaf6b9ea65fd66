"""HTTP resources of public notices (公示), residents' objections and the committee's answers."""

from __future__ import annotations

import uuid
from typing import Any

from flask.views import MethodView

from services.chassis.auth import current_principal, public
from services.chassis.blueprint import Blueprint
from services.chassis.web import paginate, transactional, uow

from ..models import Notice
from ..usecases import notices
from ..usecases.common import get
from . import projections
from .schemas import AnswerSchema, CommunityQuerySchema, NoticeSchema, ObjectionCreateSchema, ObjectionSchema

blp = Blueprint("notices", __name__, description="Public notices, objections and answers (public to read)")


@blp.route("/notices")
class Notices(MethodView):
    @public
    @blp.arguments(CommunityQuerySchema, location="query")
    @blp.response(200, NoticeSchema(many=True))
    @blp.paginate()
    def get(self, args: dict[str, Any], pagination_parameters: Any) -> Any:
        """Notices, newest first, with objections and answers (no sign-in)."""
        page = paginate(notices.list_notices(args.get("community")), pagination_parameters)
        return [projections.notice(uow(), n) for n in page]


@blp.route("/notices/<uuid:notice_id>")
class NoticeById(MethodView):
    @public
    @blp.response(200, NoticeSchema)
    def get(self, notice_id: uuid.UUID) -> Any:
        """One notice with its objections and answers (no sign-in)."""
        return projections.notice(uow(), get(uow(), Notice, notice_id, what="公示"))


@blp.route("/notices/<uuid:notice_id>/objections")
class Objections(MethodView):
    @transactional
    @blp.arguments(ObjectionCreateSchema)
    @blp.response(201, ObjectionSchema)
    def post(self, data: dict[str, Any], notice_id: uuid.UUID) -> Any:
        """Object while the notice runs (a resident of the community, once)."""
        return notices.object_to(uow(), current_principal(), str(notice_id), data["text"])


@blp.route("/objections/<uuid:objection_id>/answer")
class Answer(MethodView):
    @transactional
    @blp.arguments(AnswerSchema)
    @blp.response(200, ObjectionSchema)
    def put(self, data: dict[str, Any], objection_id: uuid.UUID) -> Any:
        """The committee answers an objection (a sitting member, once)."""
        return notices.answer(uow(), current_principal(), str(objection_id), data["answer"])


@blp.route("/notices/<uuid:notice_id>/conclusion")
class Conclusion(MethodView):
    @transactional
    @blp.response(200, NoticeSchema)
    def post(self, notice_id: uuid.UUID) -> Any:
        """Conclude a notice after its period with every objection answered (the worker does it too)."""
        return projections.notice(uow(), notices.conclude(uow(), current_principal(), str(notice_id)))
