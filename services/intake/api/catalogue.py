"""HTTP resources of the catalogue: business types, windows and the working-day calendar."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import request
from flask.views import MethodView

from services.chassis import clock
from services.chassis.auth import current_principal
from services.chassis.blueprint import Blueprint
from services.chassis.conditional import IF_MATCH
from services.chassis.errors import Unprocessable
from services.chassis.schemas import YEAR_PATTERN
from services.chassis.web import paginate, transactional, uow

from ..models import BusinessType, Window
from ..usecases import catalogue
from .schemas.catalogue import (
    BusinessTypePatchSchema,
    BusinessTypeQuerySchema,
    BusinessTypeSchema,
    CalendarDaySchema,
    CalendarQuerySchema,
    CommunityQuerySchema,
    WindowPatchSchema,
    WindowSchema,
)

blp = Blueprint("catalogue", __name__, description="Business types, windows, working days")


@blp.route("/business-types")
class BusinessTypes(MethodView):
    @blp.arguments(BusinessTypeQuerySchema, location="query")
    @blp.response(200, BusinessTypeSchema(many=True))
    @blp.paginate()
    def get(self, query: dict[str, Any], pagination_parameters: Any) -> list[BusinessType]:
        """List a community's business types (事项)."""
        principal = current_principal()
        statement = catalogue.list_types_query(principal, query["community"], query.get("department"))
        return paginate(statement, pagination_parameters)

    @transactional
    @blp.arguments(BusinessTypeSchema)
    @blp.response(201, BusinessTypeSchema)
    def post(self, data: dict[str, Any]) -> Any:
        """Add a business type with its form attributes."""
        row = catalogue.create_type(uow(), current_principal(), data, clock.now())
        return row, {"ETag": catalogue.type_tag(row)}


@blp.route("/business-types/<uuid:type_id>")
class BusinessTypeById(MethodView):
    @blp.response(200, BusinessTypeSchema)
    def get(self, type_id: Any) -> Any:
        """One business type (with its ETag)."""
        row = catalogue.read_type(uow(), current_principal(), str(type_id))
        return row, {"ETag": catalogue.type_tag(row)}

    @transactional
    @blp.if_match("business type")
    @blp.arguments(BusinessTypePatchSchema)
    @blp.response(200, BusinessTypeSchema)
    def patch(self, changes: dict[str, Any], type_id: Any) -> Any:
        """Change a business type (If-Match required)."""
        row = catalogue.update_type(
            uow(), current_principal(), str(type_id), changes, request.headers.get(IF_MATCH)
        )
        return row, {"ETag": catalogue.type_tag(row)}


@blp.route("/windows")
class Windows(MethodView):
    @blp.arguments(CommunityQuerySchema, location="query")
    @blp.response(200, WindowSchema(many=True))
    @blp.paginate()
    def get(self, query: dict[str, Any], pagination_parameters: Any) -> list[Window]:
        """List a community's windows."""
        statement = catalogue.list_windows_query(current_principal(), query["community"])
        return paginate(statement, pagination_parameters)

    @transactional
    @blp.rules("a dedicated window names at least one business type in skills")
    @blp.arguments(WindowSchema)
    @blp.response(201, WindowSchema)
    def post(self, data: dict[str, Any]) -> Any:
        """Add a window (generalist, or dedicated with skills)."""
        row = catalogue.create_window(uow(), current_principal(), data, clock.now())
        return row, {"ETag": catalogue.window_tag(row)}


@blp.route("/windows/<uuid:window_id>")
class WindowById(MethodView):
    @blp.response(200, WindowSchema)
    def get(self, window_id: Any) -> Any:
        """One window (with its ETag)."""
        row = catalogue.read_window(uow(), current_principal(), str(window_id))
        return row, {"ETag": catalogue.window_tag(row)}

    @transactional
    @blp.if_match("window")
    @blp.arguments(WindowPatchSchema)
    @blp.response(200, WindowSchema)
    def patch(self, changes: dict[str, Any], window_id: Any) -> Any:
        """Open, pause or close a window; change mode, skills or staff (If-Match required)."""
        row = catalogue.update_window(
            uow(), current_principal(), str(window_id), changes, request.headers.get(IF_MATCH)
        )
        return row, {"ETag": catalogue.window_tag(row)}


@blp.route("/calendar")
class Calendar(MethodView):
    @blp.arguments(CalendarQuerySchema, location="query")
    @blp.response(200, CalendarDaySchema(many=True))
    def get(self, query: dict[str, Any]) -> list[dict[str, Any]]:
        """Holidays and make-up workdays of a year (official and overrides)."""
        return catalogue.calendar_days(uow(), query["year"])


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Unprocessable("The day must be YYYY-MM-DD.", errors={"day": ["Not a valid date."]}) from None


@blp.route(
    "/calendar/<day>",
    parameters=[
        {
            "in": "path",
            "name": "day",
            "required": True,
            "schema": {"type": "string", "format": "date", "pattern": YEAR_PATTERN},
        }
    ],
)
class CalendarDay(MethodView):
    @transactional
    @blp.arguments(CalendarDaySchema)
    @blp.response(200, CalendarDaySchema)
    def put(self, data: dict[str, Any], day: str) -> dict[str, Any]:
        """Declare a day a holiday or a make-up workday (subdistrict officers)."""
        return catalogue.set_calendar_day(uow(), current_principal(), _day(day), data["kind"], data["name"])

    @transactional
    @blp.response(204)
    def delete(self, day: str) -> None:
        """Remove an override; the official calendar applies again."""
        catalogue.clear_calendar_day(uow(), current_principal(), _day(day))
