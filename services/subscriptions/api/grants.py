"""HTTP resources of grants: which event types each department may subscribe to."""

from __future__ import annotations

import uuid
from typing import Any

from flask.views import MethodView

from services.chassis.auth import current_principal
from services.chassis.blueprint import Blueprint
from services.chassis.web import paginate, transactional, uow

from ..usecases import grants
from .errors import documenter
from .provisioning import broker
from .schemas import DepartmentQuerySchema, GrantCreateSchema, GrantSchema

blp = Blueprint("grants", __name__, description="Administrators grant departments event types")
documented = documenter(blp)


@blp.route("/grants")
class Grants(MethodView):
    @documented(401, 403, 422)
    @blp.arguments(DepartmentQuerySchema, location="query")
    @blp.response(200, GrantSchema(many=True))
    @blp.paginate()
    def get(self, args: dict[str, Any], pagination_parameters: Any) -> Any:
        """Grants: a department's own; every department's (or one's) for an administrator."""
        return paginate(grants.listing(current_principal(), args.get("department")), pagination_parameters)

    @transactional
    @documented(401, 403, 409, 422)
    @blp.arguments(GrantCreateSchema)
    @blp.response(201, GrantSchema)
    def post(self, data: dict[str, Any]) -> Any:
        """Grant a department an event-type pattern (administrators)."""
        return grants.grant(uow(), current_principal(), data["department"], data["pattern"])


@blp.route("/grants/<uuid:grant_id>")
class GrantById(MethodView):
    @transactional
    @documented(401, 403, 404, 503)
    @blp.response(204)
    def delete(self, grant_id: uuid.UUID) -> None:
        """Revoke a grant: its event types are no longer delivered (administrators)."""
        grants.revoke(uow(), current_principal(), str(grant_id), broker)
