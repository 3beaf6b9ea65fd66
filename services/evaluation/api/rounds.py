"""HTTP API of evaluation rounds: open, score, close, cancel, progress and published results."""

from __future__ import annotations

import uuid
from typing import Any

from flask import request
from flask.views import MethodView

from services.chassis.auth import current_principal
from services.chassis.blueprint import Blueprint
from services.chassis.conditional import IF_MATCH
from services.chassis.web import paginate, transactional, uow

from ..models import Round, RoundScore
from ..usecases import rounds
from . import projections
from .schemas import (
    CloseSchema,
    MyScoreSchema,
    ResultSchema,
    RoundOpenSchema,
    RoundQuerySchema,
    RoundSchema,
    ScoreSheetSchema,
)

blp = Blueprint(
    "rounds",
    __name__,
    description="Evaluation rounds: parties score, the round closes with a published result",
)


def _with_progress(evaluation: Round) -> Round:
    evaluation.progress = rounds.progress(uow(), current_principal(), evaluation)  # type: ignore[attr-defined]
    return evaluation


@blp.route("/rounds")
class Rounds(MethodView):
    @blp.arguments(RoundQuerySchema, location="query")
    @blp.response(200, RoundSchema(many=True))
    @blp.paginate()
    def get(self, filters: dict[str, Any], pagination_parameters: Any) -> list[Round]:
        """List rounds of your communities (residents and staff see the closed ones)."""
        return paginate(rounds.list_rounds(current_principal(), filters), pagination_parameters)

    @transactional
    @blp.arguments(RoundOpenSchema)
    @blp.response(201, RoundSchema)
    def post(self, data: dict[str, Any]) -> Round:
        """Open a round on a scheme's latest version, freezing it (committee or subdistrict)."""
        return _with_progress(rounds.open_round(uow(), current_principal(), data))


@blp.route("/rounds/<uuid:round_id>")
class RoundById(MethodView):
    @blp.response(200, RoundSchema)
    def get(self, round_id: uuid.UUID) -> Any:
        """One round, with scoring progress for the parties while it is open (sends an ETag,
        which closing names)."""
        evaluation = rounds.visible_round(uow(), current_principal(), str(round_id))
        return _with_progress(evaluation), {"ETag": rounds.etag(uow(), evaluation)}


@blp.route("/rounds/<uuid:round_id>/scores")
class Scores(MethodView):
    @transactional
    @blp.rules(
        "each indicator is one of the round's scheme scored by your party, at most once",
        "a score has at most two decimals",
    )
    @blp.arguments(ScoreSheetSchema)
    @blp.response(200, MyScoreSchema(many=True))
    def post(self, data: dict[str, Any], round_id: uuid.UUID) -> list[RoundScore]:
        """Submit or revise your scores as your party (revisable until the round closes)."""
        return rounds.submit_scores(uow(), current_principal(), str(round_id), data)


@blp.route("/rounds/<uuid:round_id>/scores/mine")
class MyScores(MethodView):
    @blp.response(200, MyScoreSchema(many=True))
    def get(self, round_id: uuid.UUID) -> list[RoundScore]:
        """Your own submitted scores in this round."""
        evaluation = rounds.visible_round(uow(), current_principal(), str(round_id))
        return rounds.my_scores(uow(), current_principal(), evaluation)


@blp.route("/rounds/<uuid:round_id>/propose-close")
class ProposeClose(MethodView):
    @transactional
    @blp.response(200, RoundSchema)
    def post(self, round_id: uuid.UUID) -> Round:
        """Propose closing a contract's round after its period (another manager closes it)."""
        return _with_progress(rounds.propose_close(uow(), current_principal(), str(round_id)))


@blp.route("/rounds/<uuid:round_id>/close")
class CloseRound(MethodView):
    @transactional
    @blp.arguments(CloseSchema)
    @blp.response(200, ResultSchema)
    @blp.if_match("round", allow_any=False)
    def post(self, data: dict[str, Any], round_id: uuid.UUID) -> dict[str, Any]:
        """Close the round on the scores you read (If-Match): compute, store and publish its
        result (committee or subdistrict; a contract's round after its period, by a second
        manager or a committee resolution)."""
        closed = rounds.close_round(
            uow(), current_principal(), str(round_id), request.headers.get(IF_MATCH), data.get("resolution")
        )
        return projections.result(closed)


@blp.route("/rounds/<uuid:round_id>/cancel")
class CancelRound(MethodView):
    @transactional
    @blp.response(200, RoundSchema)
    def post(self, round_id: uuid.UUID) -> Round:
        """Cancel a round opened by mistake (before it closes)."""
        return _with_progress(rounds.cancel_round(uow(), current_principal(), str(round_id)))


@blp.route("/rounds/<uuid:round_id>/result")
class RoundResult(MethodView):
    @blp.response(200, ResultSchema)
    def get(self, round_id: uuid.UUID) -> dict[str, Any]:
        """The published result: scores per indicator and party, grade, sensitivity."""
        return projections.result(rounds.published_result(uow(), current_principal(), str(round_id)))
