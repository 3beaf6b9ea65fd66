"""Use cases of the catalogue: business types, windows and the working-day calendar."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from services.chassis import conditional, scoping
from services.chassis.auth import Principal
from services.chassis.config import DEPARTMENTS
from services.chassis.errors import Conflict, NotFound, Unprocessable
from services.chassis.unit_of_work import UnitOfWork

from ..domain import attributes, holidays_cn
from ..domain.workdays import WorkCalendar
from ..models import BusinessType, CalendarDay, Window
from . import policy

WINDOW_FIELDS = ("label", "status", "mode", "skills", "staff_on_duty")
TYPE_FIELDS = (
    "name_zh",
    "name_en",
    "department",
    "typical_minutes",
    "needs_follow_up",
    "sla_days",
    "required_documents",
    "ticket_prefix",
    "attributes",
    "active",
)


def get_type(uow: UnitOfWork, community: str, code: str) -> BusinessType:
    """The active business type `code` of `community`; 422 naming the field if unknown."""
    found = uow.session.scalars(
        select(BusinessType).where(BusinessType.community == community, BusinessType.code == code)
    ).first()
    if found is None or not found.active:
        raise _unknown_type(code, community)
    return found


@dataclass(frozen=True)
class TicketType:
    """What issuing or transferring a ticket reads of its business type (cached briefly)."""

    code: str
    ticket_prefix: str
    attributes: Any


def ticket_type(uow: UnitOfWork, community: str, code: str) -> TicketType:
    """The active business type `code` of `community` as a ticket needs it; 422 if unknown.

    Read on every ticket, so kept in the service's reference cache (a change made by
    another process shows within REFERENCE_CACHE_SECONDS; this process's own at once)."""

    def load() -> TicketType | None:
        row = uow.session.execute(
            select(BusinessType.code, BusinessType.ticket_prefix, BusinessType.attributes).where(
                BusinessType.community == community, BusinessType.code == code, BusinessType.active.is_(True)
            )
        ).first()
        return TicketType(row.code, row.ticket_prefix, row.attributes) if row else None

    found = uow.database.reference_cache.get(("intake.ticket_type", community, code), load)
    if found is None:
        raise _unknown_type(code, community)
    return found


def _unknown_type(code: str, community: str) -> Unprocessable:
    return Unprocessable(
        f"Unknown business type {code!r} in {community}.",
        type="unknown-business-type",
        errors={"business_type": ["Unknown business type."]},
    )


def _changed_types(uow: UnitOfWork) -> None:
    """This process forgets cached types once a change to the catalogue commits."""
    uow.after_commit(uow.database.reference_cache.clear)


def types_of(uow: UnitOfWork, community: str) -> dict[str, BusinessType]:
    rows = uow.session.scalars(select(BusinessType).where(BusinessType.community == community))
    return {row.code: row for row in rows}


def _check_type_fields(data: dict[str, Any]) -> None:
    if "department" in data and data["department"] not in DEPARTMENTS:
        raise Unprocessable(
            "Unknown department.", errors={"department": [f"Use one of: {', '.join(sorted(DEPARTMENTS))}."]}
        )
    if "attributes" in data:
        attributes.check_definitions(data["attributes"])


def create_type(uow: UnitOfWork, principal: Principal, data: dict[str, Any], now: datetime) -> BusinessType:
    """Add a business type to a community's catalogue."""
    policy.require_catalogue_editor(principal, data["community"])
    _check_type_fields(data)
    exists = uow.session.scalars(
        select(BusinessType.id).where(
            BusinessType.community == data["community"], BusinessType.code == data["code"]
        )
    ).first()
    if exists:
        raise Conflict(
            f"Business type {data['code']!r} already exists in {data['community']}.",
            type="business-type-exists",
        )
    row = BusinessType(
        id=str(uuid.uuid4()),
        created_at=now,
        version=1,
        active=True,
        **{k: v for k, v in data.items() if k != "active"},
    )
    uow.session.add(row)
    uow.flush()
    _changed_types(uow)
    return row


def type_tag(row: BusinessType) -> str:
    """The ETag of a business type's current version."""
    return conditional.version_tag("business-type", row.id, row.version)


def window_tag(row: Window) -> str:
    """The ETag of a window's current version."""
    return conditional.version_tag("window", row.id, row.version)


def list_types_query(principal: Principal, community: str, department: str | None) -> Any:
    """A community's active business types (anyone of the community reads them), by code."""
    policy.require_member(principal, community)
    query = select(BusinessType).where(BusinessType.community == community, BusinessType.active.is_(True))
    query = scoping.scoped(query, principal, BusinessType.community)
    if department:
        query = query.where(BusinessType.department == department)
    return query.order_by(BusinessType.code)


def read_type(uow: UnitOfWork, principal: Principal, type_id: str) -> BusinessType:
    """One business type, for anyone of its community."""
    row = find_type(uow, type_id)
    policy.require_member(principal, row.community)
    return row


def find_type(uow: UnitOfWork, type_id: str, *, lock: bool = False) -> BusinessType:
    row = uow.session.get(BusinessType, type_id, with_for_update=lock)
    if row is None:
        raise NotFound("No such business type.")
    return row


def update_type(
    uow: UnitOfWork, principal: Principal, type_id: str, changes: dict[str, Any], if_match: str | None
) -> BusinessType:
    """Change a business type; `If-Match` must name the version read (428 / 412)."""
    row = find_type(uow, type_id, lock=True)  # If-Match, then write: no lost update
    policy.require_catalogue_editor(principal, row.community)
    conditional.require_match(if_match, type_tag(row), what="business type")
    _check_type_fields(changes)
    for name in TYPE_FIELDS:
        if name in changes:
            setattr(row, name, changes[name])
    row.version += 1
    uow.flush()
    _changed_types(uow)
    return row


def _check_skills(uow: UnitOfWork, community: str, mode: str, skills: list[str]) -> None:
    if mode == "generalist" and skills:
        raise Unprocessable(
            "A generalist window serves every type; give no skills.",
            errors={"skills": ["Must be empty for a generalist window."]},
        )
    if mode == "dedicated":
        if not skills:
            raise Unprocessable(
                "A dedicated window needs at least one skill.",
                errors={"skills": ["Give at least one business type code."]},
            )
        known = types_of(uow, community)
        unknown = sorted(set(skills) - set(known))
        if unknown:
            raise Unprocessable(
                "Unknown business types in skills.",
                type="unknown-business-type",
                errors={"skills": [f"Unknown: {', '.join(unknown)}."]},
            )


def create_window(uow: UnitOfWork, principal: Principal, data: dict[str, Any], now: datetime) -> Window:
    """Add a window to a community's hall."""
    policy.require_staff(principal, data["community"])
    skills = sorted(set(data.get("skills") or []))
    _check_skills(uow, data["community"], data["mode"], skills)
    taken = uow.session.scalars(
        select(Window.id).where(Window.community == data["community"], Window.number == data["number"])
    ).first()
    if taken:
        raise Conflict(
            f"Window {data['number']} already exists in {data['community']}.", type="window-exists"
        )
    row = Window(
        id=str(uuid.uuid4()),
        community=data["community"],
        number=data["number"],
        label=data.get("label") or f"{data['number']}号窗口",
        status=data["status"],
        mode=data["mode"],
        skills=skills,
        staff_on_duty=data.get("staff_on_duty"),
        created_at=now,
        version=1,
    )
    uow.session.add(row)
    uow.flush()
    return row


def list_windows_query(principal: Principal, community: str) -> Any:
    """A community's windows (anyone of the community reads them), by number."""
    policy.require_member(principal, community)
    query = scoping.scoped(select(Window).where(Window.community == community), principal, Window.community)
    return query.order_by(Window.number)


def read_window(uow: UnitOfWork, principal: Principal, window_id: str) -> Window:
    """One window, for anyone of its community."""
    row = find_window(uow, window_id)
    policy.require_member(principal, row.community)
    return row


def find_window(uow: UnitOfWork, window_id: str, *, lock: bool = False) -> Window:
    row = uow.session.get(Window, window_id, with_for_update=lock)
    if row is None:
        raise NotFound("No such window.")
    return row


def update_window(
    uow: UnitOfWork, principal: Principal, window_id: str, changes: dict[str, Any], if_match: str | None
) -> Window:
    """Open, pause or close a window, change its mode, skills or staff on duty (If-Match)."""
    row = find_window(uow, window_id, lock=True)
    policy.require_staff(principal, row.community)
    conditional.require_match(if_match, window_tag(row), what="window")
    mode = changes.get("mode", row.mode)
    skills = (
        sorted(set(changes["skills"]))
        if "skills" in changes
        else ([] if mode == "generalist" else row.skills)
    )
    _check_skills(uow, row.community, mode, skills)
    changes = {**changes, "skills": skills}
    for name in WINDOW_FIELDS:
        if name in changes:
            setattr(row, name, changes[name])
    row.version += 1
    uow.flush()
    return row


def calendar(uow: UnitOfWork) -> WorkCalendar:
    """The official calendar with the operators' overrides on top."""
    overrides = uow.session.scalars(select(CalendarDay)).all()
    return WorkCalendar.of(
        ((d, k) for d, k, _ in holidays_cn.OFFICIAL), ((row.day, row.kind) for row in overrides)
    )


def calendar_days(uow: UnitOfWork, year: int) -> list[dict[str, Any]]:
    """Every non-default day of `year`: official ones and overrides (marked)."""
    days: dict[date, dict[str, Any]] = {
        d: {"day": d, "kind": k, "name": n, "source": "official"}
        for d, k, n in holidays_cn.OFFICIAL
        if d.year == year
    }
    for row in uow.session.scalars(select(CalendarDay)):
        if row.day.year == year:
            days[row.day] = {"day": row.day, "kind": row.kind, "name": row.name, "source": "override"}
    return [days[d] for d in sorted(days)]


def set_calendar_day(
    uow: UnitOfWork, principal: Principal, day: date, kind: str, name: str
) -> dict[str, Any]:
    """Declare `day` a holiday or a make-up workday (subdistrict officers, admins)."""
    policy.require_calendar_editor(principal)
    row = uow.session.get(CalendarDay, day)
    if row is None:
        row = CalendarDay(day=day, kind=kind, name=name)
        uow.session.add(row)
    row.kind, row.name = kind, name
    uow.flush()
    return {"day": day, "kind": kind, "name": name, "source": "override"}


def clear_calendar_day(uow: UnitOfWork, principal: Principal, day: date) -> None:
    """Remove an override (the official calendar applies again)."""
    policy.require_calendar_editor(principal)
    row = uow.session.get(CalendarDay, day)
    if row is None:
        raise NotFound("No override for that day.")
    uow.session.delete(row)
