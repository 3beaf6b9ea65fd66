"""Service packages, providers and budgets."""

from __future__ import annotations

import uuid
from typing import Any

from flask import current_app, g
from flask.views import MethodView

from services.chassis import clock
from services.chassis.auth import current_principal
from services.chassis.blueprint import Blueprint
from services.chassis.protection import PersonalDataCipher
from services.chassis.reveals import AuditSchema, RevealSchema, audit_query
from services.chassis.web import paginate, transactional, uow

from ..models import PersonalDataAccess, Provider, ServicePackage
from ..usecases import budgets, catalogue, personal_data, policy, queries
from . import projections, schemas

blp = Blueprint("catalogue", __name__, description="Service packages, providers, budgets")


def cipher() -> PersonalDataCipher:
    return current_app.extensions["contracts.cipher"]


def _show(provider: Provider) -> dict[str, Any]:
    return projections.provider(uow(), current_principal(), provider, cipher())


@blp.route("/packages")
class Packages(MethodView):
    @blp.arguments(schemas.PackageQuerySchema, location="query")
    @blp.response(200, schemas.PackageSchema(many=True))
    @blp.paginate()
    def get(self, args: dict[str, Any], pagination_parameters: Any) -> list[ServicePackage]:
        """List the service packages of the communities you belong to."""
        return paginate(queries.packages(current_principal(), args), pagination_parameters)

    @transactional
    @blp.arguments(schemas.PackageCreateSchema)
    @blp.response(201, schemas.PackageSchema)
    def post(self, data: dict[str, Any]) -> ServicePackage:
        """Add a service package (服务项目) with measurable deliverables to a catalogue."""
        return catalogue.create_package(uow(), current_principal(), data)


@blp.route("/packages/<uuid:package_id>")
class PackageById(MethodView):
    @blp.response(200, schemas.PackageSchema)
    def get(self, package_id: uuid.UUID) -> ServicePackage:
        """One service package."""
        return queries.package(uow(), current_principal(), package_id)


@blp.route("/providers")
class Providers(MethodView):
    @blp.arguments(schemas.ProviderQuerySchema, location="query")
    @blp.response(200, schemas.ProviderSchema(many=True))
    @blp.paginate()
    def get(self, args: dict[str, Any], pagination_parameters: Any) -> list[dict[str, Any]]:
        """List providers (bank details and contacts masked unless you may see them)."""
        rows = paginate(queries.providers(args), pagination_parameters)
        return [_show(p) for p in rows]

    @transactional
    @blp.rules("uscc is a unified social credit code with a valid check character (GB 32100)")
    @blp.arguments(schemas.ProviderCreateSchema)
    @blp.response(201, schemas.ProviderSchema)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Register a provider; its unified social credit code is checked (GB 32100)."""
        return _show(catalogue.register_provider(uow(), current_principal(), data, cipher()))


@blp.route("/providers/<uuid:provider_id>")
class ProviderById(MethodView):
    @blp.response(200, schemas.ProviderSchema)
    def get(self, provider_id: uuid.UUID) -> dict[str, Any]:
        """One provider with its status history."""
        return _show(queries.provider(uow(), provider_id))


@blp.route("/providers/<uuid:provider_id>/reveal")
class ProviderReveal(MethodView):
    @transactional
    @blp.arguments(RevealSchema)
    @blp.response(200, schemas.ProviderContactSchema)
    def post(self, data: dict[str, Any], provider_id: uuid.UUID) -> dict[str, Any]:
        """Read a provider's contact person unmasked: subdistrict officers, administrators and
        the provider itself; audited with purpose."""
        provider = queries.provider(uow(), provider_id)
        return personal_data.reveal(
            uow(), current_principal(), cipher(), provider, data["purpose"], g.get("request_id"), clock.now()
        )


@blp.route("/audit/personal-data")
class PersonalDataAudit(MethodView):
    @blp.arguments(schemas.ProviderAuditQuerySchema, location="query")
    @blp.response(200, AuditSchema(many=True))
    @blp.paginate()
    def get(self, args: dict[str, Any], pagination_parameters: Any) -> Any:
        """Every unmasked read of providers' contact persons of a community (`subdistrict`:
        providers of the whole subdistrict), newest first."""
        policy.require_auditor(current_principal(), args["community"])
        query = audit_query(PersonalDataAccess, args["community"], args.get("record_id"))
        return paginate(query, pagination_parameters)


@blp.route("/providers/<uuid:provider_id>/status")
class ProviderStatus(MethodView):
    @transactional
    @blp.arguments(schemas.ProviderStatusSchema)
    @blp.response(200, schemas.ProviderSchema)
    def post(self, data: dict[str, Any], provider_id: uuid.UUID) -> dict[str, Any]:
        """Suspend, reinstate or bar a provider, saying why."""
        return _show(catalogue.change_provider_status(uow(), current_principal(), str(provider_id), data))


@blp.route("/budgets")
class Budgets(MethodView):
    @blp.arguments(schemas.BudgetQuerySchema, location="query")
    @blp.response(200, schemas.BudgetSchema(many=True))
    @blp.paginate()
    def get(self, args: dict[str, Any], pagination_parameters: Any) -> list[dict[str, Any]]:
        """List budgets of your communities by fiscal year."""
        rows = paginate(queries.budgets(current_principal(), args), pagination_parameters)
        return [projections.budget(uow(), b) for b in rows]

    @transactional
    @blp.arguments(schemas.BudgetCreateSchema)
    @blp.response(201, schemas.BudgetSchema)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Set a community's budget for a fiscal year and its funding mode."""
        return projections.budget(uow(), budgets.create_budget(uow(), current_principal(), data))


@blp.route("/budgets/<uuid:budget_id>")
class BudgetById(MethodView):
    @blp.response(200, schemas.BudgetSchema)
    def get(self, budget_id: uuid.UUID) -> dict[str, Any]:
        """One budget with its lines (planned, allocated, committed, paid)."""
        return projections.budget(uow(), queries.budget(uow(), current_principal(), budget_id))
