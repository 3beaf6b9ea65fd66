"""Three-party contracts: draft, sign, amend, terminate (ETag / If-Match on every change)."""

from __future__ import annotations

import uuid
from typing import Any

from flask.views import MethodView

from services.chassis.auth import current_principal
from services.chassis.web import paginate, transactional, uow

from .. import schemas
from ..handlers import amendments, contracts, queries
from ..handlers.common import get, require_reader
from ..models import Contract
from . import ContractsBlueprint, views

blp = ContractsBlueprint("contracts", __name__, description="Three-party purchase contracts")


def _precondition(contract: Contract) -> None:
    blp.check_etag(contracts.etag_data(contract))


def _respond(contract: Contract) -> dict[str, Any]:
    uow().flush()
    blp.set_etag(contracts.etag_data(contract))
    return views.contract(uow(), current_principal(), contract)


@blp.route("/contracts")
class Contracts(MethodView):
    @blp.arguments(schemas.ContractQuerySchema, location="query")
    @blp.response(200, schemas.ContractSchema(many=True))
    @blp.paginate()
    def get(self, args: dict[str, Any], pagination_parameters: Any) -> list[dict[str, Any]]:
        """List contracts of your communities (residents too: contracts are public)."""
        rows = paginate(queries.contracts(current_principal(), args), pagination_parameters)
        return [views.contract(uow(), current_principal(), c) for c in rows]

    @transactional(idempotency="optional")
    @blp.arguments(schemas.ContractCreateSchema)
    @blp.response(201, schemas.ContractSchema)
    def post(self, data: dict[str, Any]) -> Any:
        """Draft the contract of an awarded purchase, with its payment milestones."""
        contract = contracts.create_contract(uow(), current_principal(), data)
        uow().flush()
        etag = blp._generate_etag(contracts.etag_data(contract))
        return views.contract(uow(), current_principal(), contract), {"ETag": f'"{etag}"'}


@blp.route("/contracts/<uuid:contract_id>")
class ContractById(MethodView):
    @blp.etag
    @blp.response(200, schemas.ContractSchema)
    def get(self, contract_id: uuid.UUID) -> dict[str, Any]:
        """One contract with its milestones, signatures and amendments (sends an ETag)."""
        contract = get(uow(), Contract, contract_id, what="contract")
        require_reader(current_principal(), contract.community, contract.provider_id)
        return _respond(contract)

    @transactional
    @blp.etag
    @blp.arguments(schemas.ContractEditSchema)
    @blp.response(200, schemas.ContractSchema)
    def patch(self, data: dict[str, Any], contract_id: uuid.UUID) -> dict[str, Any]:
        """Change a draft's terms before anyone signs (If-Match required)."""
        return _respond(
            contracts.edit_draft(uow(), current_principal(), str(contract_id), data, _precondition)
        )


@blp.route("/contracts/<uuid:contract_id>/history")
class ContractHistory(MethodView):
    @blp.response(200, schemas.StepSchema(many=True))
    def get(self, contract_id: uuid.UUID) -> list[dict[str, Any]]:
        """Every step of the contract: signatures, activation, amendments, termination."""
        contract = get(uow(), Contract, contract_id, what="contract")
        require_reader(current_principal(), contract.community, contract.provider_id)
        return views.contract_history(uow(), current_principal(), contract)


@blp.route("/contracts/<uuid:contract_id>/signatures")
class Signatures(MethodView):
    @transactional
    @blp.etag
    @blp.arguments(schemas.SignatureCreateSchema)
    @blp.response(200, schemas.ContractSchema)
    def post(self, data: dict[str, Any], contract_id: uuid.UUID) -> dict[str, Any]:
        """Sign for your party the revision you read (If-Match); the third signature activates."""
        return _respond(
            contracts.sign(uow(), current_principal(), str(contract_id), data["party"], _precondition)
        )


@blp.route("/contracts/<uuid:contract_id>/amendments")
class Amendments(MethodView):
    @transactional
    @blp.etag
    @blp.arguments(schemas.AmendmentCreateSchema)
    @blp.response(200, schemas.ContractSchema)
    def post(self, data: dict[str, Any], contract_id: uuid.UUID) -> dict[str, Any]:
        """Propose an amendment (value, end date); all three parties sign it again."""
        contract = get(uow(), Contract, contract_id, what="contract")
        amendments.propose_amendment(uow(), current_principal(), contract.id, data, _precondition)
        return _respond(contract)


@blp.route("/contracts/<uuid:contract_id>/amendments/withdrawal")
class AmendmentWithdrawal(MethodView):
    @transactional
    @blp.etag
    @blp.arguments(schemas.ReasonSchema)
    @blp.response(200, schemas.ContractSchema)
    def post(self, data: dict[str, Any], contract_id: uuid.UUID) -> dict[str, Any]:
        """Withdraw the pending amendment; the signed terms stay in force."""
        return _respond(
            amendments.withdraw_amendment(
                uow(), current_principal(), str(contract_id), data["reason"], _precondition
            )
        )


@blp.route("/contracts/<uuid:contract_id>/termination")
class Termination(MethodView):
    @transactional
    @blp.etag
    @blp.arguments(schemas.ReasonSchema)
    @blp.response(200, schemas.ContractSchema)
    def post(self, data: dict[str, Any], contract_id: uuid.UUID) -> dict[str, Any]:
        """Terminate the contract (subdistrict or committee), saying why; If-Match required."""
        return _respond(
            amendments.terminate(uow(), current_principal(), str(contract_id), data["reason"], _precondition)
        )
