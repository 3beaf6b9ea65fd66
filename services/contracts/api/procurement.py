"""Tenders, the committee's decisions, bids and awards."""

from __future__ import annotations

import uuid
from typing import Any

from flask import request
from flask.views import MethodView

from services.chassis.auth import current_principal
from services.chassis.blueprint import Blueprint
from services.chassis.conditional import IF_MATCH
from services.chassis.web import paginate, service_settings, transactional, uow

from ..models import Bid
from ..settings import CommitteeRuleSettings
from ..usecases import procurement, queries
from . import projections, schemas

blp = Blueprint("procurement", __name__, description="Purchases of services")


@blp.route("/tenders")
class Tenders(MethodView):
    @blp.arguments(schemas.TenderQuerySchema, location="query")
    @blp.response(200, schemas.TenderSchema(many=True))
    @blp.paginate()
    def get(self, args: dict[str, Any], pagination_parameters: Any) -> list[dict[str, Any]]:
        """List purchases of your communities, newest first."""
        rows = paginate(queries.tenders(current_principal(), args), pagination_parameters)
        return [projections.tender(uow(), current_principal(), t) for t in rows]

    @transactional
    @blp.rules(
        "the community has a budget for the fiscal year, and the packages are its own",
        "a single-source purchase gives its reason; invited providers exist and are active",
    )
    @blp.arguments(schemas.TenderCreateSchema)
    @blp.response(201, schemas.TenderSchema)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Draft a purchase (the buyer: subdistrict officer, or the committee with its budget)."""
        tender = procurement.create_tender(uow(), current_principal(), data)
        return projections.tender(uow(), current_principal(), tender)


@blp.route("/tenders/<uuid:tender_id>")
class TenderById(MethodView):
    @blp.response(200, schemas.TenderSchema)
    def get(self, tender_id: uuid.UUID) -> Any:
        """One purchase with every step: who, when, why (sends an ETag, for decisions)."""
        tender = queries.tender(uow(), current_principal(), tender_id)
        return _respond(tender)


def _respond(tender: Any) -> tuple[dict[str, Any], dict[str, str]]:
    """The purchase as the caller may see it, with its current ETag."""
    return projections.tender(uow(), current_principal(), tender), {"ETag": procurement.etag(uow(), tender)}


# A committee decision names the revision it read: 428 without If-Match, 412 when stale or `*`.
CONDITIONAL = {
    "parameters": [
        {
            "in": "header",
            "name": IF_MATCH,
            "required": True,
            "schema": {"type": "string"},
            "description": "The purchase's ETag as you read it (`*` is refused).",
        }
    ],
    "responses": {
        "412": {"description": "The purchase changed since you read it (or If-Match was `*`)."},
        "428": {"description": "If-Match is missing."},
    },
}


def _action(name: str, summary: str, schema: Any, call: Any, conditional: bool = False) -> None:
    """Register POST /tenders/<id>/<name> doing `call(uow, principal, id, data)`."""

    @transactional
    @blp.arguments(schema)
    @blp.response(200, schemas.TenderSchema)
    @blp.doc(**(CONDITIONAL if conditional else {}))
    def post(self: Any, data: dict[str, Any], tender_id: uuid.UUID) -> Any:
        tender = call(uow(), current_principal(), str(tender_id), data)
        return _respond(tender)

    post.__doc__ = summary
    blp.route(f"/tenders/<uuid:tender_id>/{name}", endpoint=f"tender_{name}")(
        type(f"Tender{name.title()}", (MethodView,), {"post": post})
    )


_action(
    "submission",
    "Put a draft purchase before the residents' committee.",
    schemas.ReasonOnlySchema,
    lambda u, p, t, d: procurement.submit(u, p, t, d["reason"]),
)
_action(
    "decisions",
    "The residents' committee approves or returns the tender or the award.",
    schemas.DecisionSchema,
    lambda u, p, t, d: procurement.decide(
        u,
        p,
        t,
        d,
        request.headers.get(IF_MATCH),
        service_settings(CommitteeRuleSettings).single_member_communities,
    ),
    conditional=True,
)
_action(
    "publication",
    "Publish an approved purchase for bids.",
    schemas.ReasonOnlySchema,
    lambda u, p, t, d: procurement.publish(u, p, t),
)
_action(
    "closing",
    "Close bidding (open tenders: after the deadline).",
    schemas.ReasonOnlySchema,
    lambda u, p, t, d: procurement.close_bidding(u, p, t),
)
_action(
    "award",
    "Score the bids and propose the award to the committee.",
    schemas.AwardProposalSchema,
    procurement.propose_award,
)
_action(
    "cancellation",
    "Cancel a purchase before its contract (buyer or committee).",
    schemas.ReasonSchema,
    lambda u, p, t, d: procurement.cancel(u, p, t, d["reason"]),
)


@blp.route("/tenders/<uuid:tender_id>/bids")
class Bids(MethodView):
    @blp.response(200, schemas.BidSchema(many=True))
    def get(self, tender_id: uuid.UUID) -> list[Bid]:
        """Bids: sealed until bidding closes (a provider always sees its own)."""
        return procurement.visible_bids(uow(), current_principal(), str(tender_id))

    @transactional
    @blp.rules("the provider is active and bids once")
    @blp.arguments(schemas.BidCreateSchema)
    @blp.response(201, schemas.BidSchema)
    def post(self, data: dict[str, Any], tender_id: uuid.UUID) -> Bid:
        """Bid on a published purchase (a provider's signatory)."""
        return procurement.submit_bid(uow(), current_principal(), str(tender_id), data)
