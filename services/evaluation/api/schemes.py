"""HTTP API of evaluation schemes (drafts edited with If-Match) and AHP."""

from __future__ import annotations

import uuid
from typing import Any

from flask import request
from flask.views import MethodView

from services.chassis.auth import current_principal
from services.chassis.blueprint import Blueprint
from services.chassis.conditional import IF_MATCH
from services.chassis.web import paginate, transactional, uow

from ..models import Scheme
from ..usecases import schemes
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


# What a definition must hold beyond its schema (`domain.tree`), each a 422 when broken.
SCHEME_RULES = (
    "the parties' weights sum to exactly 1 and the committee's is at least 0.5",
    "the children of a node sum to exactly 1 (at most 4 decimals), codes are unique",
    "an indicator is scored by a party or computed by a known metric with its parameters",
    "grade bands descend: excellent > good > pass",
    "an AHP matrix is reciprocal on Saaty's 1/9..9 scale with a consistency ratio below 0.1",
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

    @transactional
    @blp.rules(*SCHEME_RULES)
    @blp.arguments(SchemeCreateSchema)
    @blp.response(201, SchemeSchema)
    def post(self, data: dict[str, Any]) -> Scheme:
        """Create version 1 of a scheme (committee or subdistrict)."""
        return schemes.create_scheme(uow(), current_principal(), data)


@blp.route("/schemes/<uuid:scheme_id>")
class SchemeById(MethodView):
    @blp.response(200, SchemeSchema)
    def get(self, scheme_id: uuid.UUID) -> Any:
        """One scheme version, with its ETag (any role of its community may read it)."""
        scheme = schemes.get_scheme(uow(), current_principal(), str(scheme_id))
        return scheme, 200, {"ETag": schemes.etag(scheme)}

    @transactional
    @blp.rules(*SCHEME_RULES)
    @blp.if_match("scheme")
    @blp.arguments(DefinitionSchema)
    @blp.response(200, SchemeSchema)
    def put(self, data: dict[str, Any], scheme_id: uuid.UUID) -> Any:
        """Replace a draft version's definition (If-Match; a frozen version answers 409)."""
        scheme = schemes.update_scheme(
            uow(), current_principal(), str(scheme_id), data, request.headers.get(IF_MATCH)
        )
        return scheme, 200, {"ETag": schemes.etag(scheme)}


@blp.route("/schemes/<uuid:scheme_id>/versions")
class SchemeVersions(MethodView):
    @transactional
    @blp.rules(*SCHEME_RULES)
    @blp.arguments(DefinitionSchema)
    @blp.response(201, SchemeSchema)
    def post(self, data: dict[str, Any], scheme_id: uuid.UUID) -> Scheme:
        """Make the next version of a scheme (how a frozen scheme changes)."""
        return schemes.new_version(uow(), current_principal(), str(scheme_id), data)


@blp.route("/ahp")
class Ahp(MethodView):
    @blp.rules("the matrix is square and reciprocal, on Saaty's 1/9..9 scale")
    @blp.arguments(AhpRequestSchema)
    @blp.response(200, AhpResultSchema)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Derive weights from pairwise comparisons (422 when the consistency ratio ≥ 0.1)."""
        current_principal()
        return schemes.derive_weights(data["matrix"])
