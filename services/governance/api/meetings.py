"""HTTP resources of meetings, agenda items, votes and resolutions."""

from __future__ import annotations

import uuid
from typing import Any

from flask.views import MethodView

from services.chassis.auth import current_principal
from services.chassis.blueprint import Blueprint
from services.chassis.web import service_settings, transactional, uow

from ..settings import GovernanceSettings
from ..usecases import meetings, policy
from . import projections
from .schemas import (
    AttendanceSchema,
    ItemCreateSchema,
    ItemSchema,
    MeetingCreateSchema,
    MeetingSchema,
    VoteCreateSchema,
    VoteSchema,
)

blp = Blueprint(
    "meetings", __name__, description="Committee meetings: attendance, motions, votes, resolutions"
)


@blp.route("/meetings")
class Meetings(MethodView):
    @transactional
    @blp.arguments(MeetingCreateSchema)
    @blp.response(201, MeetingSchema)
    def post(self, data: dict[str, Any]) -> Any:
        """Call a meeting (a sitting member of the committee)."""
        return projections.meeting(uow(), meetings.schedule(uow(), current_principal(), data))


@blp.route("/meetings/<uuid:meeting_id>")
class MeetingById(MethodView):
    @blp.response(200, MeetingSchema)
    def get(self, meeting_id: uuid.UUID) -> Any:
        """A meeting with its attendance and its items' outcomes (anyone of the community)."""
        found = meetings.meeting(uow(), str(meeting_id))
        policy.require_in_community(current_principal(), found.community)
        return projections.meeting(uow(), found)


@blp.route("/meetings/<uuid:meeting_id>/attendance")
class Attendance(MethodView):
    @transactional
    @blp.arguments(AttendanceSchema)
    @blp.response(200, MeetingSchema)
    def put(self, data: dict[str, Any], meeting_id: uuid.UUID) -> Any:
        """Record who is present (sitting members only)."""
        ids = [str(m) for m in data["member_ids"]]
        return projections.meeting(
            uow(), meetings.record_attendance(uow(), current_principal(), str(meeting_id), ids)
        )


@blp.route("/meetings/<uuid:meeting_id>/items")
class Items(MethodView):
    @transactional
    @blp.arguments(ItemCreateSchema)
    @blp.response(201, ItemSchema)
    def post(self, data: dict[str, Any], meeting_id: uuid.UUID) -> Any:
        """Put a motion on the agenda (its subject and the parties interests are checked against)."""
        return meetings.add_item(uow(), current_principal(), str(meeting_id), data)


@blp.route("/items/<uuid:item_id>/votes")
class Votes(MethodView):
    @blp.response(200, VoteSchema(many=True))
    def get(self, item_id: uuid.UUID) -> Any:
        """Who voted how on an item (member ids; anyone of the community)."""
        found = meetings.item(uow(), str(item_id))
        policy.require_in_community(current_principal(), found.community)
        return meetings.votes_of(uow(), found.id)

    @transactional
    @blp.arguments(VoteCreateSchema)
    @blp.response(201, VoteSchema)
    def post(self, data: dict[str, Any], item_id: uuid.UUID) -> Any:
        """Vote for, against or abstain through your seat (refused when you must recuse)."""
        return meetings.vote(uow(), current_principal(), str(item_id), data["choice"])


@blp.route("/items/<uuid:item_id>/outcome")
class Outcome(MethodView):
    @transactional
    @blp.response(200, ItemSchema)
    def post(self, item_id: uuid.UUID) -> Any:
        """Close the vote: refused without quorum; passed or rejected by the item's rule."""
        settings = service_settings(GovernanceSettings)
        return meetings.close(uow(), current_principal(), str(item_id), settings)
