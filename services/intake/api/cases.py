"""HTTP resources of follow-up cases and feedback."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import g
from flask.views import MethodView

from services.chassis import clock
from services.chassis.auth import current_principal
from services.chassis.blueprint import Blueprint
from services.chassis.reveals import AuditQuerySchema, AuditSchema, RevealSchema, audit_query
from services.chassis.web import paginate, transactional, uow

from ..models import Case, PersonalDataAccess
from ..usecases import cases, feedback, personal_data, policy
from . import projections
from .schemas.desk import (
    AwaitDepartmentSchema,
    CaseCreateSchema,
    CaseDetailSchema,
    CaseQuerySchema,
    CaseSchema,
    FeedbackCreateSchema,
    FeedbackQuerySchema,
    FeedbackSchema,
    NoteSchema,
    ReferSchema,
    ResolveSchema,
    RevealedSchema,
)
from .tickets import cipher

blp = Blueprint("cases", __name__, description="Follow-up cases (办件) and feedback")


def _show(case: Case, detail: bool = False) -> dict[str, Any]:
    body = projections.case(case, current_principal(), cipher(), clock.now())
    if detail:
        body["steps"] = [
            {
                "action": s.action,
                "from_status": s.from_status,
                "to_status": s.to_status,
                "at": s.at,
                "actor": s.actor,
                "note": s.note,
            }
            for s in cases.steps(uow(), case.id)
        ]
    return body


@blp.route("/cases")
class Cases(MethodView):
    @blp.arguments(CaseQuerySchema, location="query")
    @blp.response(200, CaseSchema(many=True))
    @blp.paginate()
    def get(self, query: dict[str, Any], pagination_parameters: Any) -> Iterable[dict[str, Any]]:
        """List cases (`overdue=true`: unresolved past their due time, most overdue first)."""
        principal = current_principal()
        now = clock.now()
        rows = paginate(cases.list_query(principal, query, now), pagination_parameters)
        return (projections.case(row, principal, cipher(), now) for row in rows)

    @transactional
    @blp.rules("give a ticket_id or a business_type")
    @blp.arguments(CaseCreateSchema)
    @blp.response(201, CaseSchema)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Open a case from a ticket or directly; due date from the SLA in working days."""
        return _show(cases.open_case(uow(), current_principal(), cipher(), data, clock.now()))


@blp.route("/cases/<uuid:case_id>")
class CaseById(MethodView):
    @blp.response(200, CaseDetailSchema)
    def get(self, case_id: Any) -> dict[str, Any]:
        """One case with its steps."""
        case = cases.find(uow(), str(case_id))
        policy.require_visible(current_principal(), case.community, case.owner_sub, "case")
        return _show(case, detail=True)


@blp.route("/cases/<uuid:case_id>/reveal")
class CaseReveal(MethodView):
    @transactional
    @blp.arguments(RevealSchema)
    @blp.response(200, RevealedSchema)
    def post(self, data: dict[str, Any], case_id: Any) -> dict[str, Any]:
        """Read a case's contact phone unmasked: center staff; audited with purpose."""
        case = cases.find(uow(), str(case_id))
        policy.require_visible(current_principal(), case.community, case.owner_sub, "case")
        return personal_data.reveal(
            uow(), current_principal(), cipher(), case, data["purpose"], g.get("request_id"), clock.now()
        )


@blp.route("/audit/personal-data")
class PersonalDataAudit(MethodView):
    @blp.arguments(AuditQuerySchema, location="query")
    @blp.response(200, AuditSchema(many=True))
    @blp.paginate()
    def get(self, args: dict[str, Any], pagination_parameters: Any) -> Any:
        """Every unmasked read of personal data in a community (the committee supervises)."""
        policy.require_auditor(current_principal(), args["community"])
        query = audit_query(PersonalDataAccess, args["community"], args.get("record_id"))
        return paginate(query, pagination_parameters)


# Rules of an action's body beyond its schema (422 when broken).
ACTION_RULES = {"refer": ("give both lon and lat, or neither",)}


def _action_view(action: str, schema: type, summary: str) -> type[MethodView]:
    class CaseAction(MethodView):
        @transactional
        @blp.rules(*ACTION_RULES.get(action, ()))
        @blp.arguments(schema)
        @blp.response(200, CaseSchema)
        def post(self, data: dict[str, Any], case_id: Any) -> dict[str, Any]:
            return _show(cases.act(uow(), current_principal(), str(case_id), action, clock.now(), data))

        post.__doc__ = summary

    CaseAction.__name__ = f"Case{action.title().replace('_', '')}"
    return CaseAction


for _path, _action, _schema, _summary in (
    ("start", "start", NoteSchema, "Start working on the case."),
    (
        "await-department",
        "await_department",
        AwaitDepartmentSchema,
        "Wait for a department's answer (the SLA clock keeps running).",
    ),
    ("department-replied", "department_replied", NoteSchema, "The department answered."),
    ("refer", "refer", ReferSchema, "Hand the case to grid or to a department."),
    ("resolve", "resolve", ResolveSchema, "Record the resolution."),
    ("reopen", "reopen", NoteSchema, "The resident is not satisfied: work on it again."),
    ("close", "close", NoteSchema, "Close a resolved case."),
):
    blp.route(f"/cases/<uuid:case_id>/{_path}")(_action_view(_action, _schema, _summary))


@blp.route("/feedback")
class FeedbackList(MethodView):
    @blp.arguments(FeedbackQuerySchema, location="query")
    @blp.response(200, FeedbackSchema(many=True))
    @blp.paginate()
    def get(self, query: dict[str, Any], pagination_parameters: Any) -> list[dict[str, Any]]:
        """List feedback (residents see their own)."""
        principal = current_principal()
        rows = paginate(feedback.list_query(principal, query), pagination_parameters)
        return [projections.feedback(row, principal) for row in rows]

    @transactional
    @blp.arguments(FeedbackCreateSchema)
    @blp.response(201, FeedbackSchema)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Rate a completed ticket or a closed case (1-5), once."""
        row = feedback.record(uow(), current_principal(), data, clock.now())
        return projections.feedback(row, current_principal())
