"""HTTP API of the metrics read model: measured figures for a community and period."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from services.chassis import clock
from services.chassis.auth import current_principal
from services.chassis.blueprint import Blueprint
from services.chassis.web import uow

from . import metrics
from .schemas import MetricsQuerySchema, MetricsSchema

blp = Blueprint(
    "measurements",
    __name__,
    description="What the platform measured (from intake, grid and contracts events)",
)

READERS = ("committee_member", "subdistrict_officer", "evaluator", "center_staff", "provider_signatory")


@blp.route("/measurements")
class Metrics(MethodView):
    @blp.arguments(MetricsQuerySchema, location="query")
    @blp.response(200, MetricsSchema)
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """Metrics of a community for a year or for local dates from..to (inclusive)."""
        current_principal().require(*READERS, community=query["community"])
        if "year" in query:
            period = metrics.Period.of_year(query["year"])
        else:
            period = metrics.Period(query["start"], query["end"])
        contract_id = str(query["contract_id"]) if query.get("contract_id") else None
        now = clock.now()
        values = metrics.compute(uow().session, query["community"], period, contract_id=contract_id, now=now)
        return {
            "community": query["community"],
            "period_start": period.start,
            "period_end": period.end,
            "contract_id": contract_id,
            "computed_at": now,
            "metrics": {k: None if v is None else float(v) for k, v in values.items()},
        }
