"""HTTP views of the desk analytics and the pooling report."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask.views import MethodView

from services.chassis.auth import current_principal
from services.chassis.blueprint import Blueprint
from services.chassis.schemas import Schema
from services.chassis.web import uow

from . import analytics, policy, pooling
from .schemas import PeriodQuerySchema
from .web import settings

blp = Blueprint("analytics", __name__, description="Desk analytics and the pooling report")


class DistributionSchema(Schema):
    count = ma.fields.Integer()
    mean = ma.fields.Float(allow_none=True)
    p50 = ma.fields.Float(allow_none=True)
    p90 = ma.fields.Float(allow_none=True)


class SummarySchema(Schema):
    community = ma.fields.String()
    date_from = ma.fields.Date(data_key="from", attribute="from")
    date_to = ma.fields.Date(data_key="to", attribute="to")
    arrivals = ma.fields.Integer()
    completed = ma.fields.Integer()
    no_shows = ma.fields.Integer()
    no_show_rate = ma.fields.Float(allow_none=True)
    wait_seconds = ma.fields.Nested(DistributionSchema)
    service_seconds = ma.fields.Nested(DistributionSchema)
    by_business_type = ma.fields.List(ma.fields.Dict())
    by_hour = ma.fields.List(ma.fields.Dict())
    by_window = ma.fields.List(ma.fields.Dict())
    satisfaction = ma.fields.Dict()


class PoolingSchema(Schema):
    community = ma.fields.String()
    date_from = ma.fields.Date(data_key="from", attribute="from")
    date_to = ma.fields.Date(data_key="to", attribute="to")
    open_days = ma.fields.Integer()
    service_hours_per_day = ma.fields.Float()
    staff = ma.fields.Integer()
    arrivals = ma.fields.Integer()
    pooled = ma.fields.Dict(metadata={"description": "Every window serves every type (M/M/c)"})
    dedicated = ma.fields.Dict(metadata={"description": "One queue per skill set or department"})
    measured = ma.fields.Dict(metadata={"description": "Measured waits in the period"})


@blp.route("/analytics/summary")
class Summary(MethodView):
    @blp.arguments(PeriodQuerySchema, location="query")
    @blp.response(200, SummarySchema)
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """Arrivals, waits, service times, utilisation, no-shows and satisfaction."""
        policy.require_any(current_principal(), policy.ANALYSTS, query["community"])
        return analytics.summary(uow(), query["community"], query["date_from"], query["date_to"])


@blp.route("/analytics/pooling")
class Pooling(MethodView):
    @blp.arguments(PeriodQuerySchema, location="query")
    @blp.response(200, PoolingSchema)
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """Predicted waits for dedicated vs pooled windows (Erlang C) beside measured waits."""
        policy.require_any(current_principal(), policy.ANALYSTS, query["community"])
        return pooling.report(
            uow(), query["community"], query["date_from"], query["date_to"], settings().service_hours_per_day
        )
