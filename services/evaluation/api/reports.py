"""HTTP API of the monthly reports: the list of a caller's communities and one report's XLSX."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Response
from flask.views import MethodView
from marshmallow import fields, validate

from services.chassis.app import ProblemSchema
from services.chassis.auth import current_principal
from services.chassis.blueprint import Blueprint
from services.chassis.config import COMMUNITIES
from services.chassis.errors import PROBLEM_JSON
from services.chassis.exports import XLSX
from services.chassis.schemas import PageQuerySchema, Schema
from services.chassis.web import paginate, uow

from ..models import MonthlyReport
from ..usecases import reports

blp = Blueprint(
    "reports",
    __name__,
    description="Monthly reports per community (desk, cases, grid coverage, money, evaluation) as XLSX",
)
MONTH = validate.Regexp(r"^\d{4}-(0[1-9]|1[0-2])$", error="A month as YYYY-MM.")


class ReportQuerySchema(PageQuerySchema):
    community = fields.String(validate=validate.OneOf(COMMUNITIES))
    month = fields.String(validate=MONTH, metadata={"description": "YYYY-MM (local time)"})


class ReportSchema(Schema):
    id = fields.String()
    community = fields.String()
    month = fields.String(metadata={"description": "The closed month reported, YYYY-MM (local time)"})
    generated_at = fields.DateTime()
    size = fields.Integer(metadata={"description": "Bytes of the XLSX file"})
    filename = fields.Function(reports.filename)
    url = fields.Function(lambda r: f"/api/evaluation/reports/{r.id}", metadata={"description": "The XLSX"})
    figures = fields.Dict(
        metadata={
            "description": "The report's figures by section: desk, cases, grid, money (fen), evaluation"
        }
    )


def problem(status: int, description: str) -> Any:
    """Document an error status answered as problem+json."""
    return blp.alt_response(status, schema=ProblemSchema, content_type=PROBLEM_JSON, description=description)


@blp.route("/reports")
class Reports(MethodView):
    @blp.arguments(ReportQuerySchema, location="query")
    @blp.response(200, ReportSchema(many=True))
    @blp.paginate()
    def get(self, filters: dict[str, Any], pagination_parameters: Any) -> list[MonthlyReport]:
        """Monthly reports of your communities, newest first (center staff, committee, subdistrict)."""
        return paginate(reports.list_reports(current_principal(), filters), pagination_parameters)


@blp.route("/reports/<uuid:report_id>")
class ReportFile(MethodView):
    @blp.doc(
        responses={
            "200": {
                "description": "The report as an XLSX workbook (a summary sheet and the rounds closed)",
                "content": {XLSX: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    )
    @problem(401, "No bearer token")
    @problem(403, "Not center staff, a committee member or a subdistrict officer")
    @problem(404, "No such report in your communities")
    def get(self, report_id: uuid.UUID) -> Any:
        """Download one monthly report (XLSX), for a reader of its community."""
        found = reports.report(uow(), current_principal(), str(report_id))
        response = Response(found.content, mimetype=XLSX)
        response.headers["Content-Disposition"] = f'attachment; filename="{reports.filename(found)}"'
        response.headers["Cache-Control"] = "private, no-store"
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response
