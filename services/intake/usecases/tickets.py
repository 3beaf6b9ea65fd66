"""Use cases of tickets: issue, call (next or a given one), serve, finish, transfer, hold."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from services.chassis import clock, numbering, scoping
from services.chassis.auth import Principal
from services.chassis.errors import NotFound
from services.chassis.protection import PersonalDataCipher
from services.chassis.unit_of_work import UnitOfWork

from .. import domain, events
from ..domain import DomainConflict, TicketStatus, attributes
from ..domain.workdays import local_date
from ..models import Ticket, TicketStep, Window
from . import catalogue, personal_data, policy


def issue(
    uow: UnitOfWork,
    principal: Principal,
    cipher: PersonalDataCipher,
    data: dict[str, Any],
    now: datetime,
    boost: timedelta,
) -> tuple[Ticket, catalogue.TicketType]:
    """Take a ticket: residents from the portal for themselves, staff for walk-ins and phone."""
    community = data["community"]
    is_staff = policy.takes_ticket_as_staff(principal, community, data["channel"], data["priority"])
    business_type = catalogue.ticket_type(uow, community, data["business_type"])
    values = attributes.validate_values(business_type.attributes, data.get("attributes") or {})
    owner = data.get("owner_sub") if is_staff else principal.sub
    day = local_date(now)
    prefix = domain.ticket_prefix(business_type.ticket_prefix, data["priority"])
    # Its own transaction: tickets of one letter are issued in parallel (gaps allowed).
    sequence = numbering.next_value(
        uow, f"ticket:{community}:{day.isoformat()}:{prefix}", own_transaction=True
    )
    ticket = Ticket(
        id=str(uuid.uuid4()),
        community=community,
        local_date=day,
        number=domain.ticket_number(prefix, sequence),
        business_type=business_type.code,
        original_business_type=business_type.code,
        channel=data["channel"],
        priority=data["priority"],
        priority_reason=data.get("priority_reason"),
        owner_sub=owner,
        status=TicketStatus.WAITING,
        queue_key=domain.queue_key(now, data["priority"], boost),
        issued_at=now,
        local_hour=clock.local(now).hour,
        transfers=0,
        version=1,
    )
    personal_data.seal_attributes(cipher, ticket, business_type.attributes, values)
    personal_data.seal_phone(cipher, ticket, data.get("contact_phone"))
    uow.session.add(ticket)
    _step(uow, ticket, "issue", None, now, principal.sub if is_staff else None)
    uow.flush()
    uow.emit(
        events.TICKET_ISSUED,
        subject=ticket.id,
        community=community,
        data={**_ticket_data(ticket), "queue_key": ticket.queue_key.isoformat()},
        time=now,
    )
    return ticket, business_type


def find(uow: UnitOfWork, ticket_id: str, *, lock: bool = False) -> Ticket:
    ticket = uow.session.get(Ticket, ticket_id, with_for_update=lock)
    if ticket is None:
        raise NotFound("No such ticket.")
    return ticket


def _ticket_data(ticket: Ticket) -> dict[str, Any]:
    return {
        "ticket_id": ticket.id,
        "number": ticket.number,
        "business_type": ticket.business_type,
        "channel": ticket.channel,
        "priority": ticket.priority,
        "issued_at": ticket.issued_at.isoformat(),
    }


def _step(
    uow: UnitOfWork,
    ticket: Ticket,
    action: str,
    before: str | None,
    now: datetime,
    staff: str | None,
    note: str | None = None,
) -> None:
    uow.session.add(
        TicketStep(
            ticket_id=ticket.id,
            action=action,
            from_status=before,
            to_status=ticket.status,
            at=now,
            staff_sub=staff,
            window_id=ticket.window_id,
            note=note,
        )
    )


def _move(
    uow: UnitOfWork, ticket: Ticket, action: str, now: datetime, staff: str | None, note: str | None = None
) -> str:
    before = ticket.status
    ticket.status = domain.ticket_next_status(before, action)
    ticket.version += 1
    _step(uow, ticket, action, before, now, staff, note)
    return before


def _open_window(uow: UnitOfWork, principal: Principal, window_id: str) -> Window:
    window = catalogue.find_window(uow, window_id, lock=True)
    policy.require_staff(principal, window.community)
    if window.status != "open":
        raise DomainConflict(f"Window {window.number} is {window.status}; open it first.", "window-not-open")
    if window.current_ticket_id is not None:
        current = uow.session.get(Ticket, window.current_ticket_id)
        if current is not None and current.status in (TicketStatus.CALLED, TicketStatus.SERVING):
            raise DomainConflict(
                f"Window {window.number} still has ticket {current.number} ({current.status}); "
                "finish, hold or transfer it first.",
                "window-busy",
            )
    return window


def _waiting(window: Window) -> Any:
    query = select(Ticket).where(Ticket.community == window.community, Ticket.status == TicketStatus.WAITING)
    if window.mode == "dedicated":
        query = query.where(Ticket.business_type.in_(window.skills))
    return query


def waiting_ahead(uow: UnitOfWork, ticket: Ticket) -> int | None:
    """How many waiting tickets of its community come before a waiting ticket (None otherwise)."""
    if ticket.status != TicketStatus.WAITING:
        return None
    query = (
        select(func.count())
        .select_from(Ticket)
        .where(
            Ticket.community == ticket.community,
            Ticket.status == TicketStatus.WAITING,
            Ticket.queue_key < ticket.queue_key,
        )
    )
    return int(uow.session.scalar(query) or 0)


def waiting_count(uow: UnitOfWork, window: Window) -> int:
    query = _waiting(window).with_only_columns(func.count())
    return int(uow.session.scalar(query) or 0)


def call_next(
    uow: UnitOfWork, principal: Principal, window_id: str, now: datetime
) -> tuple[Window, Ticket | None]:
    """The window calls the ticket it may serve with the earliest queue key (priority, aging)."""
    window = _open_window(uow, principal, window_id)
    query = _waiting(window).order_by(Ticket.queue_key, Ticket.id).limit(1)
    if uow.database.is_postgres:
        query = query.with_for_update(skip_locked=True)
    ticket = uow.session.scalars(query).first()
    if ticket is None:
        return window, None
    return window, _call(uow, principal, window, ticket, now)


def call_ticket(
    uow: UnitOfWork, principal: Principal, window_id: str, ticket_id: str, now: datetime
) -> Ticket:
    """The window calls one given ticket (e.g. a resident back from fetching a paper)."""
    window = _open_window(uow, principal, window_id)
    ticket = find(uow, ticket_id, lock=True)
    if ticket.community != window.community:
        raise NotFound("No such ticket in this window's community.")
    if not domain.may_serve(window.mode, set(window.skills), ticket.business_type):
        raise DomainConflict(
            f"Window {window.number} is dedicated to {', '.join(window.skills)} and has no "
            f"skill for {ticket.business_type}.",
            "window-lacks-skill",
        )
    return _call(uow, principal, window, ticket, now)


def _call(uow: UnitOfWork, principal: Principal, window: Window, ticket: Ticket, now: datetime) -> Ticket:
    ticket.window_id = window.id
    _move(uow, ticket, "call", now, principal.sub, note=f"window {window.number}")
    ticket.called_at = now
    ticket.wait_seconds = domain.seconds_between(ticket.issued_at, now)
    window.current_ticket_id = ticket.id
    uow.flush()
    uow.emit(
        events.TICKET_CALLED,
        subject=ticket.id,
        community=ticket.community,
        time=now,
        data={
            **_ticket_data(ticket),
            "window_id": window.id,
            "window_number": window.number,
            "called_at": now.isoformat(),
            "wait_seconds": ticket.wait_seconds or 0,
        },
    )
    return ticket


def _staff_ticket(uow: UnitOfWork, principal: Principal, ticket_id: str) -> Ticket:
    ticket = find(uow, ticket_id, lock=True)
    policy.require_visible(principal, ticket.community, None, "ticket")
    policy.require_staff(principal, ticket.community)
    return ticket


def _release_window(uow: UnitOfWork, ticket: Ticket) -> None:
    if ticket.window_id:
        window = uow.session.get(Window, ticket.window_id)
        if window is not None and window.current_ticket_id == ticket.id:
            window.current_ticket_id = None


def act(
    uow: UnitOfWork,
    principal: Principal,
    ticket_id: str,
    action: str,
    now: datetime,
    data: dict[str, Any] | None = None,
    *,
    cipher: PersonalDataCipher | None = None,
) -> Ticket:
    """Apply a staff action: recall, start, complete, no_show, hold, resume or transfer (which
    collects new attribute values, so it needs the `cipher`)."""
    ticket = _staff_ticket(uow, principal, ticket_id)
    data = data or {}
    if action == "transfer":
        if cipher is None:
            raise TypeError("a transfer collects attribute values: give the cipher")
        return _transfer(uow, principal, cipher, ticket, data, now)
    _move(uow, ticket, action, now, principal.sub, note=data.get("note"))
    if action == "recall":
        ticket.called_at = ticket.called_at or now
    elif action == "start":
        ticket.serving_at = now
        ticket.served_by = principal.sub
    elif action == "complete":
        ticket.finished_at = now
        ticket.service_seconds = domain.seconds_between(ticket.serving_at, now)
        _release_window(uow, ticket)
        uow.emit(
            events.TICKET_COMPLETED,
            subject=ticket.id,
            community=ticket.community,
            time=now,
            data={
                **_ticket_data(ticket),
                "window_id": ticket.window_id,
                "called_at": ticket.called_at.isoformat(),
                "completed_at": now.isoformat(),
                "wait_seconds": ticket.wait_seconds or 0,
                "service_seconds": ticket.service_seconds or 0,
            },
        )
    elif action == "no_show":
        ticket.finished_at = now
        _release_window(uow, ticket)
        uow.emit(
            events.TICKET_NO_SHOW,
            subject=ticket.id,
            community=ticket.community,
            time=now,
            data={
                **_ticket_data(ticket),
                "window_id": ticket.window_id,
                "called_at": ticket.called_at.isoformat(),
                "no_show_at": now.isoformat(),
            },
        )
    elif action == "hold":
        _release_window(uow, ticket)
    elif action == "resume":
        _back_to_queue(ticket)
    uow.flush()
    return ticket


def _back_to_queue(ticket: Ticket) -> None:
    """Waiting again, with the original queue key: the resident does not lose their place."""
    ticket.window_id = None
    ticket.called_at = None
    ticket.serving_at = None
    ticket.served_by = None
    ticket.wait_seconds = None


def _transfer(
    uow: UnitOfWork,
    principal: Principal,
    cipher: PersonalDataCipher,
    ticket: Ticket,
    data: dict[str, Any],
    now: datetime,
) -> Ticket:
    """To another business type, back to waiting; it keeps its issue time and number."""
    target = catalogue.ticket_type(uow, ticket.community, data["business_type"])
    if target.code == ticket.business_type:
        raise domain.TICKET.refusal(ticket.status, "transfer", reason="it already has that business type")
    values = attributes.validate_values(target.attributes, data.get("attributes") or {})
    _release_window(uow, ticket)
    note = f"{ticket.business_type} -> {target.code}"
    _move(uow, ticket, "transfer", now, principal.sub, note=note)
    ticket.business_type = target.code
    personal_data.seal_attributes(cipher, ticket, target.attributes, values)
    ticket.transfers += 1
    _back_to_queue(ticket)
    uow.flush()
    return ticket


def steps(uow: UnitOfWork, ticket_id: str) -> list[TicketStep]:
    return list(
        uow.session.scalars(
            select(TicketStep).where(TicketStep.ticket_id == ticket_id).order_by(TicketStep.id)
        )
    )


def list_query(principal: Principal, filters: dict[str, Any]) -> Any:
    """Tickets the caller may see, newest first (served by the community/owner indexes)."""
    communities, reads_all = policy.readable_communities(principal, filters.get("community"))
    query = scoping.scoped(
        select(Ticket).where(Ticket.community.in_(communities)), principal, Ticket.community
    )
    if not reads_all or filters.get("mine"):
        query = query.where(Ticket.owner_sub == principal.sub)
    for name in ("status", "business_type", "window_id", "channel"):
        if filters.get(name) is not None:  # ids are stored as text: compare as text
            query = query.where(getattr(Ticket, name) == str(filters[name]))
    if filters.get("since") is not None:
        query = query.where(Ticket.issued_at >= filters["since"])
    if filters.get("until") is not None:
        query = query.where(Ticket.issued_at < filters["until"])
    return query.order_by(Ticket.issued_at.desc(), Ticket.id)


def display(uow: UnitOfWork, community: str) -> list[dict[str, Any]]:
    """The hall screen: each open window and the ticket number it has called (no personal data)."""
    windows = uow.session.scalars(
        select(Window).where(Window.community == community, Window.status != "closed").order_by(Window.number)
    ).all()
    current_ids = [w.current_ticket_id for w in windows if w.current_ticket_id]
    current = (
        {t.id: t for t in uow.session.scalars(select(Ticket).where(Ticket.id.in_(current_ids)))}
        if current_ids
        else {}
    )
    rows = []
    for window in windows:
        ticket = current.get(window.current_ticket_id or "")
        called = ticket is not None and ticket.status in (TicketStatus.CALLED, TicketStatus.SERVING)
        rows.append(
            {
                "window_number": window.number,
                "window_label": window.label,
                "status": window.status,
                "ticket_number": ticket.number if called and ticket else None,
                "ticket_status": ticket.status if called and ticket else None,
                "called_at": ticket.called_at if called and ticket else None,
            }
        )
    return rows
