"""HTTP resources of the inspection checklist and completed rounds."""

from __future__ import annotations

import re
from typing import Any

from flask.views import MethodView

from services.chassis.auth import current_principal
from services.chassis.blueprint import Blueprint
from services.chassis.errors import Unprocessable
from services.chassis.web import paginate, transactional, uow

from ..usecases import cells, inspections, policy
from .projections import inspection_view
from .schemas.inspections import (
    ChecklistItemSchema,
    InspectionCreateSchema,
    InspectionQuerySchema,
    InspectionSchema,
    InspectionSummarySchema,
)

blp = Blueprint("inspections", __name__, description="Inspection checklist and rounds (排查)")


@blp.route("/checklist")
class Checklist(MethodView):
    @blp.response(200, ChecklistItemSchema(many=True))
    def get(self) -> Any:
        """The active checklist items, in order."""
        return inspections.checklist(uow())


CHECKLIST_CODE = r"^[a-z0-9_]*[a-z][a-z0-9_]*$"


@blp.route(
    "/checklist/<code>",
    parameters=[
        {
            "in": "path",
            "name": "code",
            "required": True,
            "schema": {"type": "string", "maxLength": 40, "pattern": CHECKLIST_CODE},
        }
    ],
)
class ChecklistItemView(MethodView):
    @transactional
    @blp.arguments(ChecklistItemSchema)
    @blp.response(200, ChecklistItemSchema)
    def put(self, data: dict[str, Any], code: str) -> Any:
        """Add or change a checklist item (subdistrict officers)."""
        if len(code) > 40 or not re.fullmatch(CHECKLIST_CODE, code):
            raise Unprocessable(
                "Checklist codes are lower-case words joined by underscores.",
                errors={"code": ["Use lower_case_words (1-40 characters)."]},
            )
        return inspections.upsert_checklist_item(uow(), current_principal(), code, data)


@blp.route("/inspections")
class Inspections(MethodView):
    @transactional
    @blp.rules(
        "photos are http(s) URLs with a host name",
        "each item names a checklist item; the cell is one you inspect",
    )
    @blp.arguments(InspectionCreateSchema)
    @blp.response(201, InspectionSchema)
    def post(self, data: dict[str, Any]) -> Any:
        """Record a completed round of a cell; each finding opens a case."""
        inspection, items = inspections.complete(uow(), current_principal(), data)
        return inspection_view(inspection, items)

    @blp.rules("give a community or a cell_code")
    @blp.arguments(InspectionQuerySchema, location="query")
    @blp.response(200, InspectionSummarySchema(many=True))
    @blp.paginate()
    def get(self, args: dict[str, Any], pagination_parameters: Any) -> Any:
        """Completed rounds of a community or a cell, newest first."""
        principal = current_principal()
        filters = dict(args)
        if args.get("cell_code"):
            cell = cells.get_cell(uow(), args["cell_code"])
            filters["cell_id"] = cell.id
            filters["community"] = cell.community
        if not filters.get("community"):
            raise Unprocessable(
                "Give a community or a cell_code.", errors={"community": ["Give a community or a cell_code."]}
            )
        policy.require_community_reader(principal, filters["community"])
        page = paginate(inspections.list_query(filters), pagination_parameters)
        return [inspection_view(i, None) for i in page]


@blp.route("/inspections/<inspection_id>")
class InspectionById(MethodView):
    @blp.response(200, InspectionSchema)
    def get(self, inspection_id: str) -> Any:
        """One completed round with its answers."""
        inspection = inspections.get_inspection(uow(), inspection_id)
        policy.require_community_reader(current_principal(), inspection.community)
        return inspection_view(inspection, inspections.items_of(uow(), inspection.id))
