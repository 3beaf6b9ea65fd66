"""HTTP resources of the autonomy fund: rounds, proposals, screening, ballots (public to read)."""

from __future__ import annotations

import uuid
from typing import Any

from flask.views import MethodView

from services.chassis.auth import current_principal, public
from services.chassis.blueprint import Blueprint
from services.chassis.web import paginate, transactional, uow

from ..models import FundRound
from ..usecases import fund
from ..usecases.common import get
from . import projections
from .schemas import (
    BallotCreateSchema,
    BallotSchema,
    CommunityQuerySchema,
    ProposalCreateSchema,
    ProposalSchema,
    RoundCreateSchema,
    RoundSchema,
    ScreeningSchema,
)

blp = Blueprint("fund", __name__, description="The community autonomy fund: residents propose and vote")


@blp.route("/fund/rounds")
class Rounds(MethodView):
    @public
    @blp.arguments(CommunityQuerySchema, location="query")
    @blp.response(200, RoundSchema(many=True))
    @blp.paginate()
    def get(self, args: dict[str, Any], pagination_parameters: Any) -> Any:
        """Rounds with their proposals, votes and grants (no sign-in)."""
        page = paginate(fund.rounds(args.get("community")), pagination_parameters)
        return [projections.fund_round(uow(), r) for r in page]

    @transactional
    @blp.arguments(RoundCreateSchema)
    @blp.response(201, RoundSchema)
    def post(self, data: dict[str, Any]) -> Any:
        """Open a round: balance, cap per project, choices per ballot, voting window (committee)."""
        return projections.fund_round(uow(), fund.open_round(uow(), current_principal(), data))


@blp.route("/fund/rounds/<uuid:round_id>")
class RoundById(MethodView):
    @public
    @blp.response(200, RoundSchema)
    def get(self, round_id: uuid.UUID) -> Any:
        """One round: the public page of its proposals, votes and grants."""
        return projections.fund_round(uow(), get(uow(), FundRound, round_id, what="自治金轮次"))


@blp.route("/fund/rounds/<uuid:round_id>/proposals")
class Proposals(MethodView):
    @transactional
    @blp.arguments(ProposalCreateSchema)
    @blp.response(201, ProposalSchema)
    def post(self, data: dict[str, Any], round_id: uuid.UUID) -> Any:
        """Propose a small project (a resident of the community; within the cap)."""
        proposal = fund.propose(uow(), current_principal(), str(round_id), data)
        return {**projections.columns(proposal), "votes": 0}


@blp.route("/fund/proposals/<uuid:proposal_id>/screening")
class Screening(MethodView):
    @transactional
    @blp.arguments(ScreeningSchema)
    @blp.response(200, ProposalSchema)
    def put(self, data: dict[str, Any], proposal_id: uuid.UUID) -> Any:
        """Screen a proposal: eligible or not, with the reason (committee, before voting)."""
        proposal = fund.screen(uow(), current_principal(), str(proposal_id), data["eligible"], data["reason"])
        return {**projections.columns(proposal), "votes": 0}


@blp.route("/fund/rounds/<uuid:round_id>/ballots")
class Ballots(MethodView):
    @transactional
    @blp.arguments(BallotCreateSchema)
    @blp.response(201, BallotSchema)
    def post(self, data: dict[str, Any], round_id: uuid.UUID) -> Any:
        """Vote once in the window for up to the round's number of eligible projects."""
        chosen = [str(p) for p in data["proposal_ids"]]
        return fund.cast_ballot(uow(), current_principal(), str(round_id), chosen)
