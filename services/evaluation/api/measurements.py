"""HTTP API of the metrics read model: measured figures for a community and period."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from services.chassis.auth import current_principal
from services.chassis.blueprint import Blueprint
from services.chassis.web import uow

from ..usecases import metrics
from .schemas import MetricsQuerySchema, MetricsSchema

blp = Blueprint(
    "measurements",
    __name__,
    description="What the platform measured (from intake, grid and contracts events)",
)


@blp.route("/measurements")
class Metrics(MethodView):
    @blp.rules("give either year, or both from and to")
    @blp.arguments(MetricsQuerySchema, location="query")
    @blp.response(200, MetricsSchema)
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """Metrics of a community for a year or for local dates from..to (inclusive)."""
        if "year" in query:
            period = metrics.Period.of_year(query["year"])
        else:
            period = metrics.Period(query["start"], query["end"])
        contract_id = str(query["contract_id"]) if query.get("contract_id") else None
        return metrics.measurements(uow(), current_principal(), query["community"], period, contract_id)
