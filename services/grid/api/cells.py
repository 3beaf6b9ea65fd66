"""HTTP resources of grid cells, the point lookup and planned inspection rounds."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import request
from flask.views import MethodView
from werkzeug.routing import BaseConverter

from services.chassis.auth import current_principal, optional_principal, public
from services.chassis.blueprint import Blueprint
from services.chassis.errors import NotFound, Unprocessable
from services.chassis.web import paginate, transactional, uow

from ..models import Cell
from ..usecases import cells, inspections, policy
from . import projections
from .schemas.cells import (
    CellCreateSchema,
    CellQuerySchema,
    CellRefSchema,
    CellSchema,
    CellUpdateSchema,
    LocateQuerySchema,
)
from .schemas.common import CELL_CODE_PATTERN, PERIOD, PERIOD_PATTERN
from .schemas.inspections import PlanSchema, RoundQuerySchema, RoundRateSchema

blp = Blueprint(
    "cells", __name__, description="Grid cells: boundaries, workers, point lookup, planned rounds"
)


def cell_view(cell: Cell, workers: list[str] | None) -> dict[str, Any]:
    show = policy.sees_cell_workers(optional_principal(), cell.community)
    return projections.cell_view(cell, workers, show_workers=show)


class CellCodeConverter(BaseConverter):
    """A cell code in a path (HGS-01): `/cells/locate` is never a cell's."""

    regex = CELL_CODE_PATTERN[1:-1]


# Before the routes below are added to the app (a blueprint runs these in order).
blp.record_once(lambda state: state.app.url_map.converters.setdefault("cell_code", CellCodeConverter))
# What a drawn boundary must be beyond "an object" (`usecases.geometry`): 422 otherwise.
BOUNDARY_RULES = ("the boundary is a valid GeoJSON Polygon inside the community, overlapping no other cell",)
CODE_PARAMETER = {
    "in": "path",
    "name": "code",
    "required": True,
    "schema": {"type": "string", "pattern": CELL_CODE_PATTERN},
}


@blp.route("/cells")
class Cells(MethodView):
    @public
    @blp.arguments(CellQuerySchema, location="query")
    @blp.response(200, CellSchema(many=True))
    @blp.paginate()
    def get(self, args: dict[str, Any], pagination_parameters: Any) -> list[dict[str, Any]]:
        """List grid cells (public geography; workers shown to staff)."""
        page = paginate(cells.list_cells(args.get("community")), pagination_parameters)
        workers = cells.workers_by_cell(uow(), [c.id for c in page])
        return [cell_view(c, workers.get(c.id, [])) for c in page]

    @transactional
    @blp.rules(*BOUNDARY_RULES)
    @blp.arguments(CellCreateSchema)
    @blp.response(201, CellSchema)
    def post(self, data: dict[str, Any]) -> Any:
        """Draw a new cell (center staff, committee or subdistrict officers of its community)."""
        cell = cells.create_cell(uow(), current_principal(), data)
        return cell_view(cell, cells.workers_of(uow(), cell.id)), 201, {"ETag": cells.etag(cell)}


@blp.route("/cells/locate")
class Locate(MethodView):
    @public
    @blp.arguments(LocateQuerySchema, location="query")
    @blp.response(200, CellRefSchema)
    def get(self, args: dict[str, Any]) -> Any:
        """The cell holding a point (lon, lat in WGS 84); 404 when none does."""
        found = cells.locate(uow(), args["lon"], args["lat"], args.get("community"))
        if found is None:
            raise NotFound("The point is outside every grid cell.", type="outside-every-cell")
        return found


@blp.route("/cells/<cell_code:code>", parameters=[CODE_PARAMETER])
class CellByCode(MethodView):
    @public
    @blp.response(200, CellSchema)
    def get(self, code: str) -> Any:
        """One cell, with its ETag."""
        cell = cells.get_cell(uow(), code)
        return cell_view(cell, cells.workers_of(uow(), cell.id)), 200, {"ETag": cells.etag(cell)}

    @transactional
    @blp.rules(*BOUNDARY_RULES)
    @blp.if_match("cell")
    @blp.arguments(CellUpdateSchema)
    @blp.response(200, CellSchema)
    def put(self, data: dict[str, Any], code: str) -> Any:
        """Rename, redraw or reassign a cell (If-Match required)."""
        cell = cells.update_cell(uow(), current_principal(), code, data, request.headers.get("If-Match"))
        return cell_view(cell, cells.workers_of(uow(), cell.id)), 200, {"ETag": cells.etag(cell)}


@blp.route(
    "/cells/<cell_code:code>/plans/<period>",
    parameters=[
        CODE_PARAMETER,
        {
            "in": "path",
            "name": "period",
            "required": True,
            "schema": {"type": "string", "pattern": PERIOD_PATTERN},
        },
    ],
)
class Plan(MethodView):
    @transactional
    @blp.arguments(PlanSchema)
    @blp.response(200, RoundRateSchema)
    def put(self, data: dict[str, Any], code: str, period: str) -> Any:
        """Plan the inspection rounds of a cell in a month (YYYY-MM)."""
        _check_period(period)
        cell = cells.get_cell(uow(), code)
        inspections.set_plan(uow(), current_principal(), code, period, data["planned_rounds"])
        return next(r for r in inspections.round_rates(uow(), cell.community, period) if r.cell_code == code)


@blp.route("/rounds")
class Rounds(MethodView):
    @blp.arguments(RoundQuerySchema, location="query")
    @blp.response(200, RoundRateSchema(many=True))
    def get(self, args: dict[str, Any]) -> Any:
        """Planned and completed rounds per cell of a community in a month."""
        policy.require_community_reader(current_principal(), args["community"])
        return inspections.round_rates(uow(), args["community"], args["period"])


def _check_period(period: str) -> None:
    try:
        PERIOD(period)
    except ma.ValidationError:
        raise Unprocessable("The period is YYYY-MM.", errors={"period": ["Use YYYY-MM."]}) from None
