"""HTTP views of the catalogue: business types, windows and the working-day calendar."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask.views import MethodView
from sqlalchemy import select

from services.chassis.auth import current_principal
from services.chassis.blueprint import Blueprint
from services.chassis.errors import Forbidden, Unprocessable
from services.chassis.web import paginate, transactional, uow

from . import catalogue, present
from .models import BusinessType, Window
from .schemas import (
    BusinessTypePatchSchema,
    BusinessTypeQuerySchema,
    BusinessTypeSchema,
    CalendarDaySchema,
    CalendarQuerySchema,
    CommunityQuerySchema,
    WindowPatchSchema,
    WindowSchema,
)
from .web import now

blp = Blueprint("catalogue", __name__, description="Business types, windows, working days")


def _readable(community: str) -> None:
    """Anyone of the community (residents included) reads its catalogue and windows."""
    if not current_principal().in_community(community):
        raise Forbidden(f"Your token does not cover the community {community!r}.")


@blp.route("/business-types")
class BusinessTypes(MethodView):
    @blp.arguments(BusinessTypeQuerySchema, location="query")
    @blp.response(200, BusinessTypeSchema(many=True))
    @blp.paginate()
    def get(self, query: dict[str, Any], pagination_parameters: Any) -> list[BusinessType]:
        """List a community's business types (事項)."""
        _readable(query["community"])
        statement = select(BusinessType).where(
            BusinessType.community == query["community"], BusinessType.active.is_(True)
        )
        if query.get("department"):
            statement = statement.where(BusinessType.department == query["department"])
        return paginate(statement.order_by(BusinessType.code), pagination_parameters)

    @transactional(idempotency="optional")
    @blp.arguments(BusinessTypeSchema)
    @blp.response(201, BusinessTypeSchema)
    def post(self, data: dict[str, Any]) -> Any:
        """Add a business type with its form attributes."""
        row = catalogue.create_type(uow(), current_principal(), data, now())
        return row, {"ETag": present.etag(row.version, row.id)}


@blp.route("/business-types/<uuid:type_id>")
class BusinessTypeById(MethodView):
    @blp.response(200, BusinessTypeSchema)
    def get(self, type_id: Any) -> Any:
        """One business type (with its ETag)."""
        row = catalogue.find_type(uow(), str(type_id))
        _readable(row.community)
        return row, {"ETag": present.etag(row.version, row.id)}

    @transactional
    @blp.arguments(BusinessTypePatchSchema)
    @blp.response(200, BusinessTypeSchema)
    def patch(self, changes: dict[str, Any], type_id: Any) -> Any:
        """Change a business type (If-Match required)."""
        row = catalogue.find_type(uow(), str(type_id), lock=True)  # If-Match, then write: no lost update
        current_principal().require("center_staff", "subdistrict_officer", community=row.community)
        present.check_if_match(row.version, row.id)
        row = catalogue.update_type(uow(), current_principal(), row, changes)
        return row, {"ETag": present.etag(row.version, row.id)}


@blp.route("/windows")
class Windows(MethodView):
    @blp.arguments(CommunityQuerySchema, location="query")
    @blp.response(200, WindowSchema(many=True))
    @blp.paginate()
    def get(self, query: dict[str, Any], pagination_parameters: Any) -> list[Window]:
        """List a community's windows."""
        _readable(query["community"])
        statement = select(Window).where(Window.community == query["community"])
        return paginate(statement.order_by(Window.number), pagination_parameters)

    @transactional(idempotency="optional")
    @blp.arguments(WindowSchema)
    @blp.response(201, WindowSchema)
    def post(self, data: dict[str, Any]) -> Any:
        """Add a window (generalist, or dedicated with skills)."""
        row = catalogue.create_window(uow(), current_principal(), data, now())
        return row, {"ETag": present.etag(row.version, row.id)}


@blp.route("/windows/<uuid:window_id>")
class WindowById(MethodView):
    @blp.response(200, WindowSchema)
    def get(self, window_id: Any) -> Any:
        """One window (with its ETag)."""
        row = catalogue.find_window(uow(), str(window_id))
        _readable(row.community)
        return row, {"ETag": present.etag(row.version, row.id)}

    @transactional
    @blp.arguments(WindowPatchSchema)
    @blp.response(200, WindowSchema)
    def patch(self, changes: dict[str, Any], window_id: Any) -> Any:
        """Open, pause or close a window; change mode, skills or staff (If-Match required)."""
        row = catalogue.find_window(uow(), str(window_id), lock=True)
        current_principal().require("center_staff", community=row.community)
        present.check_if_match(row.version, row.id)
        row = catalogue.update_window(uow(), current_principal(), row, changes)
        return row, {"ETag": present.etag(row.version, row.id)}


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


@blp.route("/calendar/<day>")
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
