"""Service packages, providers and budgets."""

from __future__ import annotations

import uuid
from typing import Any

from flask.views import MethodView

from services.chassis.auth import current_principal
from services.chassis.blueprint import Blueprint
from services.chassis.web import paginate, transactional, uow

from ..models import ServicePackage
from ..usecases import budgets, catalogue, queries
from . import projections, schemas

blp = Blueprint("catalogue", __name__, description="Service packages, providers, budgets")


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
        """Add a service package (服務項目) with measurable deliverables to a catalogue."""
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
        return [projections.provider(uow(), current_principal(), p) for p in rows]

    @transactional
    @blp.arguments(schemas.ProviderCreateSchema)
    @blp.response(201, schemas.ProviderSchema)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Register a provider; its unified social credit code is checked (GB 32100)."""
        provider = catalogue.register_provider(uow(), current_principal(), data)
        return projections.provider(uow(), current_principal(), provider)


@blp.route("/providers/<uuid:provider_id>")
class ProviderById(MethodView):
    @blp.response(200, schemas.ProviderSchema)
    def get(self, provider_id: uuid.UUID) -> dict[str, Any]:
        """One provider with its status history."""
        provider = queries.provider(uow(), provider_id)
        return projections.provider(uow(), current_principal(), provider)


@blp.route("/providers/<uuid:provider_id>/status")
class ProviderStatus(MethodView):
    @transactional
    @blp.arguments(schemas.ProviderStatusSchema)
    @blp.response(200, schemas.ProviderSchema)
    def post(self, data: dict[str, Any], provider_id: uuid.UUID) -> dict[str, Any]:
        """Suspend, reinstate or bar a provider, saying why."""
        provider = catalogue.change_provider_status(uow(), current_principal(), str(provider_id), data)
        return projections.provider(uow(), current_principal(), provider)


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
