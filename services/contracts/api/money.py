"""Money: allocations to the committee, payments by the committee, accounts, ledger."""

from __future__ import annotations

import uuid
from typing import Any

from flask.views import MethodView

from services.chassis.auth import current_principal
from services.chassis.blueprint import Blueprint
from services.chassis.web import paginate, transactional, uow

from ..models import Account, LedgerEntry
from ..usecases import budgets, payments, queries
from . import projections, schemas

blp = Blueprint("money", __name__, description="Allocations, payments and the ledger")


@blp.route("/budgets/<uuid:budget_id>/allocations")
class BudgetAllocations(MethodView):
    @transactional(idempotency="required")
    @blp.arguments(schemas.BudgetAllocationSchema)
    @blp.response(201, schemas.EntrySchema)
    def post(self, data: dict[str, Any], budget_id: uuid.UUID) -> LedgerEntry:
        """Allocate a tranche of the committee's quota or autonomy fund (Idempotency-Key)."""
        return budgets.allocate_to_line(uow(), current_principal(), str(budget_id), data)


@blp.route("/contracts/<uuid:contract_id>/allocations")
class ContractAllocations(MethodView):
    @transactional(idempotency="required")
    @blp.arguments(schemas.AllocationCreateSchema)
    @blp.response(201, schemas.EntrySchema)
    def post(self, data: dict[str, Any], contract_id: uuid.UUID) -> LedgerEntry:
        """Pass-through: allocate a contract's money to the committee (Idempotency-Key)."""
        return payments.allocate_to_contract(uow(), current_principal(), str(contract_id), data)


@blp.route("/contracts/<uuid:contract_id>/milestones/<uuid:milestone_id>/payments")
class MilestonePayments(MethodView):
    @transactional(idempotency="required")
    @blp.rules("milestone_id is a milestone of this contract, and the payment fits what is left of it")
    @blp.arguments(schemas.PaymentCreateSchema)
    @blp.response(201, schemas.PaymentSchema)
    def post(self, data: dict[str, Any], contract_id: uuid.UUID, milestone_id: uuid.UUID) -> dict[str, Any]:
        """The residents' committee pays the provider for a milestone (Idempotency-Key)."""
        payment = payments.pay(uow(), current_principal(), str(contract_id), str(milestone_id), data)
        return projections.payment(current_principal(), payment)


@blp.route("/payments")
class Payments(MethodView):
    @blp.arguments(schemas.PaymentQuerySchema, location="query")
    @blp.response(200, schemas.PaymentSchema(many=True))
    @blp.paginate()
    def get(self, args: dict[str, Any], pagination_parameters: Any) -> list[dict[str, Any]]:
        """Payments made by your communities' committees, newest first (public to residents)."""
        rows = paginate(queries.payments(current_principal(), args), pagination_parameters)
        return [projections.payment(current_principal(), p) for p in rows]


@blp.route("/payments/<uuid:payment_id>")
class PaymentById(MethodView):
    @blp.response(200, schemas.PaymentSchema)
    def get(self, payment_id: uuid.UUID) -> dict[str, Any]:
        """One payment."""
        payment = queries.payment(uow(), current_principal(), payment_id)
        return projections.payment(current_principal(), payment)


@blp.route("/accounts")
class Accounts(MethodView):
    @blp.arguments(schemas.AccountQuerySchema, location="query")
    @blp.response(200, schemas.AccountSchema(many=True))
    @blp.paginate()
    def get(self, args: dict[str, Any], pagination_parameters: Any) -> list[Account]:
        """Balances of the committees' accounts and autonomy funds (money passing through)."""
        return paginate(queries.accounts(current_principal(), args), pagination_parameters)


@blp.route("/accounts/<uuid:account_id>/entries")
class AccountEntries(MethodView):
    @blp.response(200, schemas.EntrySchema(many=True))
    @blp.paginate()
    def get(self, account_id: uuid.UUID, pagination_parameters: Any) -> list[LedgerEntry]:
        """Ledger entries of a committee account or autonomy fund, newest first."""
        entries = queries.account_entries(uow(), current_principal(), account_id)
        return paginate(entries, pagination_parameters)
