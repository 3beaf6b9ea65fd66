"""HTTP resources of cases: report, list, read, lifecycle steps, notes, history."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import current_app, g, request
from flask.views import MethodView

from services.chassis import clock, scoping
from services.chassis.auth import current_principal
from services.chassis.blueprint import Blueprint
from services.chassis.errors import NotFound, Unprocessable
from services.chassis.web import paginate, transactional, uow

from .. import domain
from ..usecases import case_steps, cases, cells, policy
from .projections import case_view
from .schemas.cases import (
    CaseQuerySchema,
    CaseReportSchema,
    CaseSchema,
    ContactRevealSchema,
    ContactSchema,
    HistorySchema,
    NoteSchema,
    TransitionSchema,
)

blp = Blueprint("cases", __name__, description="Cases: report, follow, resolve, refer, escalate")
ACTION_PATH = "<any(" + ",".join(domain.ACTIONS) + "):action>"


def _filters(args: dict[str, Any]) -> dict[str, Any]:
    filters = dict(args)
    if args.get("status"):
        filters["status"] = [s for s in args["status"].split(",") if s]
    if args.get("cell_code"):
        try:
            filters["cell_id"] = cells.get_cell(uow(), args["cell_code"]).id
        except NotFound:
            raise Unprocessable("No such cell.", errors={"cell_code": ["No such cell."]}) from None
    if args.get("mine"):
        filters["mine_sub"] = current_principal().sub
    return filters


def _view(case: Any, duplicates: list[Any] | None = None) -> dict[str, Any]:
    principal = current_principal()
    full = policy.sees_in_full(principal, case, cells.assigned_cells(uow(), principal))
    return case_view(case, full=full, viewer_sub=principal.sub, now=clock.now(), duplicates=duplicates)


@blp.route("/cases")
class Cases(MethodView):
    @transactional
    @blp.rules("a location: lon and lat inside one of the community's cells, a cell_code, or an address")
    @blp.arguments(CaseReportSchema)
    @blp.response(201, CaseSchema)
    def post(self, data: dict[str, Any]) -> Any:
        """Report a case; the answer lists open cases of the same category within 50 m."""
        case, nearby = cases.report(uow(), current_principal(), data)
        return _view(case, nearby), 201, {"ETag": cases.etag(case), "Location": f"{request.path}/{case.id}"}

    @blp.rules("cell_code names an existing cell")
    @blp.arguments(CaseQuerySchema, location="query")
    @blp.response(200, CaseSchema(many=True))
    @blp.paginate()
    def get(self, args: dict[str, Any], pagination_parameters: Any) -> Iterable[dict[str, Any]]:
        """Cases you handle or reported, in full (newest first)."""
        principal = current_principal()
        worker_cells = cells.assigned_cells(uow(), principal)
        query = cases.list_query(principal, worker_cells, _filters(args))
        now = clock.now()
        return (
            case_view(c, full=True, viewer_sub=principal.sub, now=now)
            for c in paginate(query, pagination_parameters)
        )


@blp.route("/cases/public")
class PublicCases(MethodView):
    @blp.rules("cell_code names an existing cell")
    @blp.arguments(CaseQuerySchema, location="query")
    @blp.response(200, CaseSchema(many=True))
    @blp.paginate()
    def get(self, args: dict[str, Any], pagination_parameters: Any) -> Iterable[dict[str, Any]]:
        """Everyone's cases in the public view (no personal data)."""
        principal = current_principal()
        query = cases.public_query(_filters({k: v for k, v in args.items() if k != "mine"}))
        now = clock.now()
        return (
            case_view(c, full=False, viewer_sub=principal.sub, now=now)
            for c in paginate(query, pagination_parameters)
        )


@blp.route("/cases/<ref>")
class CaseByRef(MethodView):
    @blp.response(200, CaseSchema)
    def get(self, ref: str) -> Any:
        """One case of your communities by id or number: in full if you handle or reported it,
        else public (other communities' cases: `GET /cases/public`)."""
        case = cases.find_case(uow(), ref)
        scoping.require_in_scope(current_principal(), case.community, "case")
        return _view(case), 200, {"ETag": cases.etag(case)}


@blp.route(f"/cases/<ref>/{ACTION_PATH}")
class CaseStep(MethodView):
    @transactional
    @blp.arguments(TransitionSchema)
    @blp.response(200, CaseSchema)
    def post(self, data: dict[str, Any], ref: str, action: str) -> Any:
        """Take a lifecycle step: accept, start, resolve, verify, close, reject,
        mark_duplicate, refer, escalate, reopen (409 when the status forbids it)."""
        case = case_steps.take_step(
            uow(), current_principal(), ref, action, data, request.headers.get("If-Match")
        )
        return _view(case), 200, {"ETag": cases.etag(case)}


@blp.route("/cases/<ref>/notes")
class CaseNotes(MethodView):
    @transactional
    @blp.arguments(NoteSchema)
    @blp.response(201, HistorySchema)
    def post(self, data: dict[str, Any], ref: str) -> Any:
        """Add a note to a case's history."""
        return cases.add_note(uow(), current_principal(), ref, data["note"])


@blp.route("/cases/<ref>/history")
class CaseHistoryView(MethodView):
    @blp.response(200, HistorySchema(many=True))
    def get(self, ref: str) -> Any:
        """The case's append-only history, oldest first."""
        return cases.history(uow(), current_principal(), ref)


@blp.route("/cases/<ref>/reporter-contact")
class ReporterContact(MethodView):
    @transactional
    @blp.arguments(ContactRevealSchema)
    @blp.response(200, ContactSchema)
    def post(self, data: dict[str, Any], ref: str) -> Any:
        """Read an Open311 reporter's contact unmasked (center staff; audited with purpose)."""
        contact = cases.reveal_contact(
            uow(),
            current_principal(),
            current_app.extensions["grid.cipher"],
            ref,
            data["purpose"],
            g.get("request_id"),
        )
        return {"reporter_contact": contact}
