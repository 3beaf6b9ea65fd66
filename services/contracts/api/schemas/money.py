"""Budgets, allocations, payments, ledger accounts and the OCDS query."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate as v

from services.chassis.schemas import Schema, fen

from ...domain import FUNDING_LINES
from .catalogue import Community, positive_fen

LINE = v.OneOf(FUNDING_LINES)


class BudgetCreateSchema(Schema):
    community = Community(required=True)
    fiscal_year = ma.fields.Integer(required=True, strict=True, validate=v.Range(2011, 2100))
    mode = ma.fields.String(required=True, validate=v.OneOf(("pass_through", "committee_budget")))
    services_fen = fen(
        required=True,
        metadata={
            "description": "Purchased services: planned spending (pass_through) or the committee's "
            "fixed quota 定额预算 (committee_budget)"
        },
    )
    autonomy_fund_fen = fen(required=True, metadata={"description": "Community autonomy fund 社区自治基金"})


class BudgetLineSchema(Schema):
    line = ma.fields.String()
    account_id = ma.fields.String()
    planned_fen = ma.fields.Integer()
    allocated_fen = ma.fields.Integer()
    committed_fen = ma.fields.Integer()
    paid_fen = ma.fields.Integer()


class BudgetSchema(Schema):
    id = ma.fields.String()
    community = ma.fields.String()
    fiscal_year = ma.fields.Integer()
    mode = ma.fields.String()
    created_at = ma.fields.DateTime()
    lines = ma.fields.List(ma.fields.Nested(BudgetLineSchema))


class BudgetQuerySchema(Schema):
    community = Community()
    fiscal_year = ma.fields.Integer(strict=False, validate=v.Range(2011, 2100))


class BudgetAllocationSchema(Schema):
    funding_line = ma.fields.String(required=True, validate=LINE)
    amount_fen = positive_fen(required=True)
    memo = ma.fields.String(validate=v.Length(max=500))


class AllocationCreateSchema(Schema):
    amount_fen = positive_fen(required=True)
    memo = ma.fields.String(validate=v.Length(max=500))


class EntrySchema(Schema):
    id = ma.fields.Integer()
    kind = ma.fields.String()
    debit_account_id = ma.fields.String(metadata={"description": "The account receiving"})
    credit_account_id = ma.fields.String(metadata={"description": "The account giving"})
    amount_fen = ma.fields.Integer()
    community = ma.fields.String()
    contract_id = ma.fields.String()
    milestone_id = ma.fields.String()
    memo = ma.fields.String()
    created_at = ma.fields.DateTime()


class PaymentCreateSchema(Schema):
    amount_fen = positive_fen(required=True)
    memo = ma.fields.String(validate=v.Length(max=500))


class PaymentSchema(Schema):
    id = ma.fields.String()
    number = ma.fields.String()
    community = ma.fields.String()
    contract_id = ma.fields.String()
    milestone_id = ma.fields.String()
    amount_fen = ma.fields.Integer()
    memo = ma.fields.String()
    paid_at = ma.fields.DateTime()
    paid_by_name = ma.fields.String(metadata={"description": "Staff only; null for residents"})


class PaymentQuerySchema(Schema):
    community = Community()
    contract_id = ma.fields.UUID()


class AccountSchema(Schema):
    id = ma.fields.String()
    kind = ma.fields.String()
    community = ma.fields.String()
    balance_fen = ma.fields.Integer()


class AccountQuerySchema(Schema):
    community = Community()


class OcdsQuerySchema(Schema):
    community = Community()
    since = ma.fields.AwareDateTime()
