"""Three-party contracts: draft, sign, amend, terminate (ETag / If-Match on every change)."""

from __future__ import annotations

import uuid
from typing import Any

from flask import request
from flask.views import MethodView

from services.chassis.auth import current_principal
from services.chassis.blueprint import Blueprint
from services.chassis.conditional import IF_MATCH
from services.chassis.web import paginate, transactional, uow

from ..models import Contract
from ..usecases import amendments, contracts, queries
from ..usecases.contract_steps import etag
from . import projections, schemas

blp = Blueprint("contracts", __name__, description="Three-party purchase contracts")

# What terms must hold beyond their schema (`usecases.terms`, `domain.money`).
TERMS_RULES = (
    "the period ends after it starts and lasts three years at most",
    "milestone shares are positive basis points summing to 10000",
)

# A change names the revision it read: 428 without If-Match, 412 when stale.
CONDITIONAL = {
    "parameters": [
        {
            "in": "header",
            "name": IF_MATCH,
            "required": True,
            "schema": {"type": "string"},
            "description": "The contract's ETag as you read it.",
        }
    ],
    "responses": {
        "412": {"description": "The contract changed since you read it."},
        "428": {"description": "If-Match is missing."},
    },
}


def _if_match() -> str | None:
    return request.headers.get(IF_MATCH)


def _respond(contract: Contract) -> tuple[dict[str, Any], dict[str, str]]:
    """The contract as the caller may see it, with its current ETag."""
    uow().flush()
    return projections.contract(uow(), current_principal(), contract), {"ETag": etag(contract)}


@blp.route("/contracts")
class Contracts(MethodView):
    @blp.arguments(schemas.ContractQuerySchema, location="query")
    @blp.response(200, schemas.ContractSchema(many=True))
    @blp.paginate()
    def get(self, args: dict[str, Any], pagination_parameters: Any) -> list[dict[str, Any]]:
        """List contracts of your communities (residents too: contracts are public)."""
        rows = paginate(queries.contracts(current_principal(), args), pagination_parameters)
        return [projections.contract(uow(), current_principal(), c) for c in rows]

    @transactional
    @blp.rules(*TERMS_RULES)
    @blp.arguments(schemas.ContractCreateSchema)
    @blp.response(201, schemas.ContractSchema)
    def post(self, data: dict[str, Any]) -> Any:
        """Draft the contract of an awarded purchase, with its payment milestones."""
        return _respond(contracts.create_contract(uow(), current_principal(), data))


@blp.route("/contracts/<uuid:contract_id>")
class ContractById(MethodView):
    @blp.response(200, schemas.ContractSchema)
    def get(self, contract_id: uuid.UUID) -> Any:
        """One contract with its milestones, signatures and amendments (sends an ETag)."""
        return _respond(queries.contract(uow(), current_principal(), contract_id))

    @transactional
    @blp.rules(*TERMS_RULES)
    @blp.arguments(schemas.ContractEditSchema)
    @blp.response(200, schemas.ContractSchema)
    @blp.doc(**CONDITIONAL)
    def patch(self, data: dict[str, Any], contract_id: uuid.UUID) -> Any:
        """Change a draft's terms before anyone signs (If-Match required)."""
        return _respond(contracts.edit_draft(uow(), current_principal(), str(contract_id), data, _if_match()))


@blp.route("/contracts/<uuid:contract_id>/history")
class ContractHistory(MethodView):
    @blp.response(200, schemas.StepSchema(many=True))
    def get(self, contract_id: uuid.UUID) -> list[dict[str, Any]]:
        """Every step of the contract: signatures, activation, amendments, termination."""
        contract = queries.contract(uow(), current_principal(), contract_id)
        return projections.contract_history(uow(), current_principal(), contract)


@blp.route("/contracts/<uuid:contract_id>/signatures")
class Signatures(MethodView):
    @transactional
    @blp.arguments(schemas.SignatureCreateSchema)
    @blp.response(200, schemas.ContractSchema)
    @blp.doc(**CONDITIONAL)
    def post(self, data: dict[str, Any], contract_id: uuid.UUID) -> Any:
        """Sign for your party the revision you read (If-Match); the third signature activates."""
        return _respond(
            contracts.sign(uow(), current_principal(), str(contract_id), data["party"], _if_match())
        )


@blp.route("/contracts/<uuid:contract_id>/amendments")
class Amendments(MethodView):
    @transactional
    @blp.rules("the amendment changes something; a new value leaves an open milestone to take it")
    @blp.arguments(schemas.AmendmentCreateSchema)
    @blp.response(200, schemas.ContractSchema)
    @blp.doc(**CONDITIONAL)
    def post(self, data: dict[str, Any], contract_id: uuid.UUID) -> Any:
        """Propose an amendment (value, end date); all three parties sign it again."""
        return _respond(
            amendments.propose_amendment(uow(), current_principal(), str(contract_id), data, _if_match())
        )


@blp.route("/contracts/<uuid:contract_id>/amendments/withdrawal")
class AmendmentWithdrawal(MethodView):
    @transactional
    @blp.arguments(schemas.ReasonSchema)
    @blp.response(200, schemas.ContractSchema)
    @blp.doc(**CONDITIONAL)
    def post(self, data: dict[str, Any], contract_id: uuid.UUID) -> Any:
        """Withdraw the pending amendment; the signed terms stay in force."""
        return _respond(
            amendments.withdraw_amendment(
                uow(), current_principal(), str(contract_id), data["reason"], _if_match()
            )
        )


@blp.route("/contracts/<uuid:contract_id>/termination")
class Termination(MethodView):
    @transactional
    @blp.arguments(schemas.ReasonSchema)
    @blp.response(200, schemas.ContractSchema)
    @blp.doc(**CONDITIONAL)
    def post(self, data: dict[str, Any], contract_id: uuid.UUID) -> Any:
        """Terminate the contract (subdistrict or committee), saying why; If-Match required."""
        return _respond(
            amendments.terminate(uow(), current_principal(), str(contract_id), data["reason"], _if_match())
        )
