"""HTTP resources of tickets, windows calling them, and the hall display."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import current_app, g
from flask.views import MethodView

from services.chassis import clock
from services.chassis.auth import current_principal, public
from services.chassis.blueprint import Blueprint
from services.chassis.protection import PersonalDataCipher
from services.chassis.reveals import RevealSchema
from services.chassis.web import paginate, service_settings, transactional, uow

from ..models import Ticket
from ..settings import IntakeSettings
from ..usecases import catalogue, personal_data, policy, tickets
from . import projections
from .schemas.catalogue import CommunityQuerySchema
from .schemas.desk import (
    CallResultSchema,
    CallTicketSchema,
    DisplayRowSchema,
    NoteSchema,
    RevealedSchema,
    TicketCreateSchema,
    TicketDetailSchema,
    TicketQuerySchema,
    TicketSchema,
    TransferSchema,
)

blp = Blueprint("tickets", __name__, description="Queue tickets, windows calling, hall display")


def cipher() -> PersonalDataCipher:
    return current_app.extensions["intake.cipher"]


def _show(ticket: Ticket, detail: bool = False) -> dict[str, Any]:
    principal = current_principal()
    body = projections.ticket(ticket, principal, cipher(), tickets.waiting_ahead(uow(), ticket))
    if detail:
        body["steps"] = tickets.steps(uow(), ticket.id)
    return body


@blp.route("/tickets")
class Tickets(MethodView):
    @blp.arguments(TicketQuerySchema, location="query")
    @blp.response(200, TicketSchema(many=True))
    @blp.paginate()
    def get(self, query: dict[str, Any], pagination_parameters: Any) -> Iterable[dict[str, Any]]:
        """List tickets: a community's for staff and committee, one's own for residents."""
        principal = current_principal()
        rows = paginate(tickets.list_query(principal, query), pagination_parameters)
        return (projections.ticket(row, principal, cipher()) for row in rows)

    @transactional
    @blp.rules(
        "priority_reason only with priority",
        "the business type is active in the community, and attributes are the ones it defines",
    )
    @blp.arguments(TicketCreateSchema)
    @blp.response(201, TicketSchema)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Take a ticket (portal for residents; walk-in and phone at the desk)."""
        boost = service_settings(IntakeSettings).priority_boost
        ticket, _ = tickets.issue(uow(), current_principal(), cipher(), data, clock.now(), boost)
        return projections.ticket(ticket, current_principal(), cipher())


@blp.route("/tickets/<uuid:ticket_id>")
class TicketById(MethodView):
    @blp.response(200, TicketDetailSchema)
    def get(self, ticket_id: Any) -> dict[str, Any]:
        """One ticket with its stamped steps and how many wait ahead of it."""
        ticket = tickets.find(uow(), str(ticket_id))
        policy.require_visible(current_principal(), ticket.community, ticket.owner_sub, "ticket")
        return _show(ticket, detail=True)


@blp.route("/tickets/<uuid:ticket_id>/reveal")
class TicketReveal(MethodView):
    @transactional
    @blp.arguments(RevealSchema)
    @blp.response(200, RevealedSchema)
    def post(self, data: dict[str, Any], ticket_id: Any) -> dict[str, Any]:
        """Read a ticket's phone and personal attributes unmasked: center staff; audited with purpose."""
        ticket = tickets.find(uow(), str(ticket_id))
        policy.require_visible(current_principal(), ticket.community, ticket.owner_sub, "ticket")
        return personal_data.reveal(
            uow(), current_principal(), cipher(), ticket, data["purpose"], g.get("request_id"), clock.now()
        )


def _action_view(action: str, schema: type | None, summary: str) -> type[MethodView]:
    class TicketAction(MethodView):
        if schema is None:

            @transactional
            @blp.response(200, TicketSchema)
            def post(self, ticket_id: Any) -> dict[str, Any]:
                ticket = tickets.act(uow(), current_principal(), str(ticket_id), action, clock.now())
                return _show(ticket)
        else:

            @transactional
            @blp.arguments(schema)
            @blp.response(200, TicketSchema)
            def post(self, data: dict[str, Any], ticket_id: Any) -> dict[str, Any]:
                ticket = tickets.act(
                    uow(), current_principal(), str(ticket_id), action, clock.now(), data, cipher=cipher()
                )
                return _show(ticket)

        post.__doc__ = summary

    TicketAction.__name__ = f"Ticket{action.title().replace('_', '')}"
    return TicketAction


for _path, _action, _schema, _summary in (
    ("recall", "recall", None, "Call the ticket again (announce once more)."),
    ("start", "start", None, "The resident is at the window: start serving."),
    ("complete", "complete", NoteSchema, "Finish serving the ticket."),
    ("no-show", "no_show", NoteSchema, "The called resident did not come."),
    ("hold", "hold", NoteSchema, "Put the ticket on hold (e.g. a document is missing)."),
    ("resume", "resume", NoteSchema, "Back to the queue in its original place."),
    ("transfer", "transfer", TransferSchema, "Move to another business type, back to waiting."),
):
    blp.route(f"/tickets/<uuid:ticket_id>/{_path}")(_action_view(_action, _schema, _summary))


@blp.route("/windows/<uuid:window_id>/call-next")
class CallNext(MethodView):
    @transactional
    @blp.response(200, CallResultSchema)
    def post(self, window_id: Any) -> dict[str, Any]:
        """Call the next ticket this window may serve (priority with aging, skills)."""
        window, ticket = tickets.call_next(uow(), current_principal(), str(window_id), clock.now())
        return {
            "ticket": _show(ticket) if ticket else None,
            "window_number": window.number,
            "still_waiting": tickets.waiting_count(uow(), window),
        }


@blp.route("/windows/<uuid:window_id>/call")
class CallTicket(MethodView):
    @transactional
    @blp.arguments(CallTicketSchema)
    @blp.response(200, CallResultSchema)
    def post(self, data: dict[str, Any], window_id: Any) -> dict[str, Any]:
        """Call one given waiting ticket to this window (it must have the skill)."""
        ticket = tickets.call_ticket(
            uow(), current_principal(), str(window_id), str(data["ticket_id"]), clock.now()
        )
        window = catalogue.find_window(uow(), str(window_id))
        return {
            "ticket": _show(ticket),
            "window_number": window.number,
            "still_waiting": tickets.waiting_count(uow(), window),
        }


@blp.route("/display")
class HallDisplay(MethodView):
    @public
    @blp.arguments(CommunityQuerySchema, location="query")
    @blp.response(200, DisplayRowSchema(many=True))
    def get(self, query: dict[str, Any]) -> list[dict[str, Any]]:
        """The hall screen: tickets currently called per window (public, no personal data)."""
        return tickets.display(uow(), query["community"])
