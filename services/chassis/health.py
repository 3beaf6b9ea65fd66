"""Liveness, readiness and metrics endpoints, the same on every service."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import marshmallow as ma
from flask import Response

from .auth import optional_principal, public, require_metrics_reader
from .blueprint import Blueprint
from .errors import problem_response
from .observability import HttpMetrics

if TYPE_CHECKING:
    from .runtime import Runtime


class HealthSchema(ma.Schema):
    status = ma.fields.String()
    service = ma.fields.String()
    checks = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String())


_PROBLEM = {"$ref": "#/components/schemas/Problem"}
# The exposition format is text (prometheus_client's content type); no token or the
# scraper's is fine, any other token is refused.
METRICS_RESPONSES = {
    "200": {
        "description": "Prometheus text exposition format",
        "content": {"text/plain": {"schema": {"type": "string"}}},
    },
    "401": {"description": "Invalid token", "content": {"application/problem+json": {"schema": _PROBLEM}}},
    "403": {
        "description": "A token that is neither an admin's nor the scraper's",
        "content": {"application/problem+json": {"schema": _PROBLEM}},
    },
}


def health_blueprint(runtime: Runtime, metrics: HttpMetrics) -> Blueprint:
    blp = Blueprint("health", __name__, description="Liveness, readiness and metrics")
    service = runtime.settings.service

    @blp.route("/healthz")
    @blp.response(200, HealthSchema)
    @public
    def healthz() -> dict[str, Any]:
        """The process is alive."""
        return {"status": "ok", "service": service}

    @blp.route("/readyz")
    @blp.response(200, HealthSchema)
    @blp.alt_response(503, description="A dependency is unreachable")
    @public
    def readyz() -> Any:
        """The service's database answers (the broker is the worker's concern)."""
        checks = runtime.readiness()
        if all(v == "ok" for v in checks.values()):
            return {"status": "ready", "service": service, "checks": checks}
        return problem_response(
            503,
            detail="A dependency is unreachable.",
            type_="not-ready",
            checks=checks,
            headers={"Retry-After": "5"},
        )

    @blp.route("/metrics")
    @blp.doc(summary="Prometheus metrics (text exposition format)")
    @blp.doc(responses=METRICS_RESPONSES)
    @public
    def prometheus_metrics() -> Response:
        """Prometheus metrics: for the in-cluster scraper (no token) and operators (admin);
        any other token is refused (403)."""
        require_metrics_reader(optional_principal())
        return metrics.render()

    return blp
