"""HTTP resources of the desk analytics and the pooling report."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from services.chassis.auth import current_principal
from services.chassis.blueprint import Blueprint
from services.chassis.web import service_settings, uow

from ..settings import IntakeSettings
from ..usecases import analytics, policy, pooling
from .schemas.analytics import PoolingSchema, SummarySchema
from .schemas.catalogue import PeriodQuerySchema

blp = Blueprint("analytics", __name__, description="Desk analytics and the pooling report")


@blp.route("/analytics/summary")
class Summary(MethodView):
    @blp.arguments(PeriodQuerySchema, location="query")
    @blp.response(200, SummarySchema)
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """Arrivals, waits, service times, utilisation, no-shows and satisfaction."""
        policy.require_analyst(current_principal(), query["community"])
        return analytics.summary(uow(), query["community"], query["date_from"], query["date_to"])


@blp.route("/analytics/pooling")
class Pooling(MethodView):
    @blp.arguments(PeriodQuerySchema, location="query")
    @blp.response(200, PoolingSchema)
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """Predicted waits for dedicated vs pooled windows (Erlang C) beside measured waits."""
        policy.require_analyst(current_principal(), query["community"])
        hours = service_settings(IntakeSettings).service_hours_per_day
        return pooling.report(uow(), query["community"], query["date_from"], query["date_to"], hours)
