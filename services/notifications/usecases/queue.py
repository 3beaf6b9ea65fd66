"""The queue as intake's events show it, watches on tickets and cases, and what they trigger."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select

from services.chassis import clock, events
from services.chassis.auth import Principal
from services.chassis.consumer import consumes
from services.chassis.errors import Conflict, NotFound
from services.chassis.unit_of_work import UnitOfWork

from .. import domain
from ..models import QueuedTicket, Watch
from . import policy
from .contacts import active_consent
from .deliveries import notify

PRIORITY_BOOST = timedelta(minutes=15)  # intake's default, for events from before `queue_key`
WINDOW_HOUR = timedelta(hours=1)


def _ticket(uow: UnitOfWork, event: dict[str, Any], status: str) -> QueuedTicket:
    data = event["data"]
    row = uow.session.get(QueuedTicket, data["ticket_id"])
    if row is None:
        issued = events.parse_time(data["issued_at"]) or clock.now()
        key = events.parse_time(data.get("queue_key")) or (
            issued - PRIORITY_BOOST if data["priority"] else issued
        )
        row = QueuedTicket(
            ticket_id=data["ticket_id"],
            community=event["community"],
            number=data["number"],
            business_type=data["business_type"],
            queue_key=key,
            status=status,
        )
        uow.session.add(row)
    row.status = status
    return row


@consumes("intake.ticket.issued", "keep the queue's projection: who is ahead of a watched ticket")
def on_ticket_issued(uow: UnitOfWork, event: dict[str, Any]) -> None:
    _ticket(uow, event, "waiting")
    uow.flush()


@consumes("intake.ticket.called", "tell a watcher 'called to window K' and others how many are ahead")
def on_ticket_called(uow: UnitOfWork, event: dict[str, Any]) -> None:
    row = _ticket(uow, event, "called")
    row.window_id, row.called_at = event["data"]["window_id"], events.parse_time(event["data"]["called_at"])
    params = {"number": row.number, "window": event["data"]["window_number"]}
    for watch in _watchers(uow, row.ticket_id):
        notify(uow, event, watch.person_sub, "ticket.called", params)
    _tell_ahead(uow, event, row.community)


@consumes("intake.ticket.no_show", "tell a watcher that their ticket was missed; the queue moves on")
def on_ticket_no_show(uow: UnitOfWork, event: dict[str, Any]) -> None:
    row = _ticket(uow, event, "no_show")
    for watch in _watchers(uow, row.ticket_id):
        notify(uow, event, watch.person_sub, "ticket.no_show", {"number": row.number})
    _tell_ahead(uow, event, row.community)


@consumes("intake.ticket.completed", "learn the service time that estimates the wait")
def on_ticket_completed(uow: UnitOfWork, event: dict[str, Any]) -> None:
    row = _ticket(uow, event, "completed")
    row.service_seconds = int(event["data"]["service_seconds"])


@consumes("intake.case.referred", "tell a resident watching the case")
@consumes("intake.case.resolved", "tell a resident watching the case")
@consumes("intake.case.closed", "tell a resident watching the case")
@consumes("intake.case.overdue", "tell whoever watches the case that it is overdue")
@consumes("grid.case.accepted", "tell a reporter watching the report")
@consumes("grid.case.resolved", "tell a reporter watching the report")
@consumes("grid.case.closed", "tell a reporter watching the report")
@consumes("grid.case.reopened", "tell a reporter watching the report (the reopen window)")
@consumes("grid.case.overdue", "tell whoever watches the report that it is overdue")
def on_case_changed(uow: UnitOfWork, event: dict[str, Any]) -> None:
    data = event["data"]
    status = events.event_name(event).rsplit(".", 1)[-1]
    for watch in _watchers(uow, data["case_id"]):
        notify(
            uow,
            event,
            watch.person_sub,
            "case.updated",
            {"case_number": data["case_number"], "status": status},
        )


def _watchers(uow: UnitOfWork, target_id: str) -> list[Watch]:
    return list(uow.session.scalars(select(Watch).where(Watch.target_id == target_id)))


def _ahead_of(uow: UnitOfWork, row: QueuedTicket) -> int:
    query = (
        select(func.count())
        .select_from(QueuedTicket)
        .where(
            QueuedTicket.community == row.community,
            QueuedTicket.status == "waiting",
            or_(
                QueuedTicket.queue_key < row.queue_key,
                and_(QueuedTicket.queue_key == row.queue_key, QueuedTicket.ticket_id < row.ticket_id),
            ),
        )
    )
    return int(uow.session.scalar(query) or 0)


def _tell_ahead(uow: UnitOfWork, event: dict[str, Any], community: str) -> None:
    """Every untold watcher of a waiting ticket of the community with at most N ahead."""
    query = (
        select(Watch, QueuedTicket)
        .join(QueuedTicket, QueuedTicket.ticket_id == Watch.target_id)
        .where(QueuedTicket.community == community, QueuedTicket.status == "waiting")
        .where(Watch.ahead.is_not(None), Watch.ahead_told.is_(False))
    )
    for watch, row in uow.session.execute(query).all():
        ahead = _ahead_of(uow, row)
        if ahead <= (watch.ahead or 0):
            watch.ahead_told = True
            notify(uow, event, watch.person_sub, "ticket.ahead", {"number": row.number, "ahead": ahead})


# -- the resident's side -------------------------------------------------------------------


def watch(uow: UnitOfWork, principal: Principal, data: dict[str, Any], now: datetime) -> Watch:
    """Opt in on a ticket ("tell me when N are ahead") or a case; needs consent to its purpose."""
    purpose = "queue" if data["target_kind"] == "ticket" else "cases"
    if active_consent(uow, principal.sub, purpose) is None:
        raise Conflict(
            f"请先同意“{purpose}”用途的通知。 (Give consent to the {purpose!r} purpose first.)",
            type="consent-required",
        )
    target = str(data["target_id"])
    found = uow.session.scalars(
        select(Watch).where(Watch.person_sub == principal.sub, Watch.target_id == target)
    ).first()
    if found is None:
        found = Watch(
            id=str(uuid.uuid4()),
            person_sub=principal.sub,
            target_kind=data["target_kind"],
            target_id=target,
            created_at=now,
            ahead_told=False,
        )
        uow.session.add(found)
    found.ahead = data.get("ahead") if data["target_kind"] == "ticket" else None
    uow.flush()
    return found


def unwatch(uow: UnitOfWork, principal: Principal, watch_id: str) -> None:
    found = uow.find(Watch, watch_id, lock=True)
    if found is None:
        raise NotFound("No such watch.")
    policy.require_owner(principal, found.person_sub, "watch")
    uow.session.delete(found)


def watches(uow: UnitOfWork, principal: Principal) -> list[Watch]:
    return list(
        uow.session.scalars(select(Watch).where(Watch.person_sub == principal.sub).order_by(Watch.created_at))
    )


def ticket_queue(
    uow: UnitOfWork, principal: Principal, ticket_id: str, mean_service_seconds: float, now: datetime
) -> dict[str, Any]:
    """Where a ticket stands: tickets ahead and the estimated wait (windows at work in the last hour)."""
    row = uow.session.get(QueuedTicket, ticket_id)
    if row is None or not principal.in_community(row.community):
        raise NotFound("No such ticket in the queue (yet).")
    waiting = row.status == "waiting"
    ahead = _ahead_of(uow, row) if waiting else None
    recent = select(QueuedTicket).where(
        QueuedTicket.community == row.community, QueuedTicket.called_at >= now - WINDOW_HOUR
    )
    rows = list(uow.session.scalars(recent))
    windows = len({r.window_id for r in rows if r.window_id})
    served = [r.service_seconds for r in rows if r.service_seconds]
    mean = sum(served) / len(served) if served else mean_service_seconds
    wait = domain.estimated_wait_seconds(ahead, mean, windows) if ahead is not None else None
    return {
        "ticket_id": row.ticket_id,
        "number": row.number,
        "status": row.status,
        "ahead": ahead,
        "estimated_wait_seconds": wait,
    }
