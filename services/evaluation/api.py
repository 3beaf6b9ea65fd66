"""HTTP API of the evaluation service: schemes and AHP (rounds and metrics in their modules)."""

from __future__ import annotations

import uuid
from typing import Any

from flask.views import MethodView

from services.chassis.auth import current_principal
from services.chassis.blueprint import Blueprint
from services.chassis.web import paginate, transactional, uow

from . import api_metrics, api_rounds, schemes
from .models import Scheme
from .schemas import (
    AhpRequestSchema,
    AhpResultSchema,
    DefinitionSchema,
    SchemeCreateSchema,
    SchemeQuerySchema,
    SchemeSchema,
)

blp = Blueprint(
    "schemes",
    __name__,
    description="Evaluation schemes: parties, dimensions, "
    "indicators and weights (the committee's at least 0.5)",
)


@blp.route("/schemes")
class Schemes(MethodView):
    @blp.arguments(SchemeQuerySchema, location="query")
    @blp.response(200, SchemeSchema(many=True))
    @blp.paginate()
    def get(self, filters: dict[str, Any], pagination_parameters: Any) -> list[Scheme]:
        """List schemes of your communities (filter by community, year, status, contract)."""
        statement = schemes.list_schemes(current_principal(), filters)
        return paginate(statement, pagination_parameters)

    @transactional(idempotency="optional")
    @blp.arguments(SchemeCreateSchema)
    @blp.response(201, SchemeSchema)
    def post(self, data: dict[str, Any]) -> Scheme:
        """Create version 1 of a scheme (committee or subdistrict)."""
        return schemes.create_scheme(uow(), current_principal(), data)


@blp.route("/schemes/<uuid:scheme_id>")
class SchemeById(MethodView):
    @blp.etag
    @blp.response(200, SchemeSchema)
    def get(self, scheme_id: uuid.UUID) -> Scheme:
        """One scheme version (any role of its community may read it)."""
        return schemes.get_scheme(uow(), current_principal(), str(scheme_id))

    @transactional
    @blp.etag
    @blp.arguments(DefinitionSchema)
    @blp.response(200, SchemeSchema)
    def put(self, data: dict[str, Any], scheme_id: uuid.UUID) -> Scheme:
        """Replace a draft version's definition (If-Match; a frozen version answers 409)."""
        scheme = schemes.get_scheme(uow(), current_principal(), str(scheme_id))
        blp.check_etag(scheme, SchemeSchema)
        return schemes.update_scheme(uow(), current_principal(), scheme, data)


@blp.route("/schemes/<uuid:scheme_id>/versions")
class SchemeVersions(MethodView):
    @transactional(idempotency="optional")
    @blp.arguments(DefinitionSchema)
    @blp.response(201, SchemeSchema)
    def post(self, data: dict[str, Any], scheme_id: uuid.UUID) -> Scheme:
        """Make the next version of a scheme (how a frozen scheme changes)."""
        return schemes.new_version(uow(), current_principal(), str(scheme_id), data)


@blp.route("/ahp")
class Ahp(MethodView):
    @blp.arguments(AhpRequestSchema)
    @blp.response(200, AhpResultSchema)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Derive weights from pairwise comparisons (422 when the consistency ratio ≥ 0.1)."""
        current_principal()
        return schemes.derive_weights(data["matrix"])


def blueprints() -> list[Blueprint]:
    return [blp, api_rounds.blp, api_metrics.blp]
