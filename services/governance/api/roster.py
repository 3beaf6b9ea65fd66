"""HTTP resources of the roster and the declaration register."""

from __future__ import annotations

import uuid
from typing import Any

from flask.views import MethodView

from services.chassis.auth import current_principal
from services.chassis.blueprint import Blueprint
from services.chassis.web import transactional, uow

from ..usecases import policy, roster
from .schemas import (
    InterestCreateSchema,
    InterestSchema,
    MemberCreateSchema,
    MemberSchema,
    RequiredCommunityQuerySchema,
)

blp = Blueprint("roster", __name__, description="The committee's roster with terms, and declared interests")


@blp.route("/members")
class Members(MethodView):
    @blp.arguments(RequiredCommunityQuerySchema, location="query")
    @blp.response(200, MemberSchema(many=True))
    def get(self, args: dict[str, Any]) -> Any:
        """The committee's members of a community, with positions and terms."""
        policy.require_register_reader(current_principal(), args["community"])
        return roster.members(uow(), args["community"])

    @transactional
    @blp.arguments(MemberCreateSchema)
    @blp.response(201, MemberSchema)
    def post(self, data: dict[str, Any]) -> Any:
        """Record a member's seat and term (the subdistrict office, after the election)."""
        return roster.appoint(uow(), current_principal(), data)


@blp.route("/members/<uuid:member_id>/interests")
class Interests(MethodView):
    @transactional
    @blp.arguments(InterestCreateSchema)
    @blp.response(201, InterestSchema)
    def post(self, data: dict[str, Any], member_id: uuid.UUID) -> Any:
        """Declare an interest (the member, or the roster keeper for them)."""
        return roster.declare_interest(uow(), current_principal(), str(member_id), data)


@blp.route("/interests")
class Register(MethodView):
    @blp.arguments(RequiredCommunityQuerySchema, location="query")
    @blp.response(200, InterestSchema(many=True))
    def get(self, args: dict[str, Any]) -> Any:
        """The declaration register (committee, subdistrict officer, evaluator)."""
        return roster.register(uow(), current_principal(), args["community"])
