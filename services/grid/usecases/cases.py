"""Use cases of grid cases: open and report, find duplicates, read, list, add a note.

The lifecycle steps are in `case_steps`, the overdue check in `overdue`."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select

from services.chassis import clock, numbering, scoping
from services.chassis.auth import Principal
from services.chassis.conditional import version_tag
from services.chassis.errors import Forbidden, NotFound, Unprocessable
from services.chassis.protection import PersonalDataCipher
from services.chassis.reveals import record_reveal
from services.chassis.unit_of_work import UnitOfWork

from .. import domain
from .. import events as ev
from ..models import Case, CaseHistory, PersonalDataAccess
from . import cells, geometry, policy

SYSTEM = "system:grid"  # the actor of the service's own steps (referrals, the overdue check)


class OutsideEveryCell(Exception):
    """A reported point that lies in none of the community's cells."""

    problem_status = 422
    problem_type = "outside-every-cell"

    def __init__(self, community: str) -> None:
        self.detail = (
            f"The point is outside every grid cell of {community}; check the "
            "coordinates (WGS 84 longitude, latitude) or give an address instead."
        )
        self.errors = {"lon": [self.detail], "lat": [self.detail]}
        super().__init__(self.detail)


@dataclass(frozen=True)
class NearbyCase:
    """An open case of the same category close to a new report (a possible duplicate)."""

    case_id: str
    case_number: str
    status: str


def next_case_number(uow: UnitOfWork, now: datetime) -> str:
    """GC-<local year>-<n>, n counting per year without gaps from concurrent reporters."""
    year = now.astimezone(clock.local_zone()).year
    return f"GC-{year}-{numbering.next_value(uow, f'case:{year}'):06d}"


def case_data(case: Case) -> dict[str, Any]:
    """The fields every grid.case.* event carries (no personal data)."""
    return {
        "case_id": case.id,
        "case_number": case.number,
        "category": case.category,
        "severity": case.severity,
        "source": case.source,
        "source_ref": case.source_ref,
        "cell_code": case.cell_code,
        "reported_at": case.reported_at.isoformat(),
        "due_at": case.due_at.isoformat(),
        "status": case.status,
    }


def record_history(
    uow: UnitOfWork,
    case: Case,
    *,
    actor: str,
    role: str,
    action: str,
    from_status: str | None,
    note: str | None,
    at: datetime,
) -> None:
    uow.session.add(
        CaseHistory(
            case_id=case.id,
            at=at,
            actor_sub=actor,
            actor_role=role,
            action=action,
            from_status=from_status,
            to_status=case.status,
            note=note,
        )
    )


def open_case(
    uow: UnitOfWork,
    *,
    actor: str,
    role: str,
    community: str,
    category: str,
    severity: str,
    source: str,
    description: str,
    now: datetime,
    cell: geometry.CellRef | None = None,
    lon: float | None = None,
    lat: float | None = None,
    address: str | None = None,
    photos: list[str] | None = None,
    source_ref: str | None = None,
    reporter_sub: str | None = None,
    inspection_id: str | None = None,
    due: datetime | None = None,
    **extra: Any,
) -> Case:
    """Create a case in status `reported`, record its history and `grid.case.reported`."""
    case = Case(
        id=str(uuid.uuid4()),
        number=next_case_number(uow, now),
        community=community,
        cell_id=cell.id if cell else None,
        cell_code=cell.code if cell else None,
        category=category,
        severity=severity,
        status="reported",
        is_open=True,
        source=source,
        source_ref=source_ref,
        reporter_sub=reporter_sub,
        inspection_id=inspection_id,
        description=description,
        address=address,
        lon=lon,
        lat=lat,
        photos=list(photos or []),
        escalation_level=0,
        reopen_count=0,
        reported_at=now,
        due_at=due or domain.due_at(now, severity),
        updated_at=now,
        version=1,
        **extra,
    )
    uow.session.add(case)
    uow.flush()
    record_history(uow, case, actor=actor, role=role, action="report", from_status=None, note=None, at=now)
    uow.emit(
        ev.CASE_REPORTED,
        subject=case.id,
        community=community,
        data={**case_data(case), "inspection_id": inspection_id},
        time=now,
    )
    return case


def nearby_open_cases(uow: UnitOfWork, case: Case) -> list[NearbyCase]:
    """Open cases of the same category and community within 50 m (haversine), by number.

    No distances and no nearest-first order: a resident's probe reports must not
    triangulate the position of a case hidden from them.
    """
    if case.lon is None or case.lat is None:
        return []
    min_lon, min_lat, max_lon, max_lat = domain.bounding_box(case.lon, case.lat, domain.DUPLICATE_RADIUS_M)
    candidates = uow.session.scalars(
        select(Case).where(
            Case.community == case.community,
            Case.category == case.category,
            Case.is_open.is_(True),
            Case.lat.between(min_lat, max_lat),
            Case.lon.between(min_lon, max_lon),
            Case.id != case.id,
        )
    )
    found = [
        NearbyCase(c.id, c.number, c.status)
        for c in candidates
        if c.lon is not None
        and c.lat is not None
        and domain.within_duplicate_radius(case.lon, case.lat, c.lon, c.lat)
    ]
    return sorted(found, key=lambda n: n.case_number)


def report(uow: UnitOfWork, principal: Principal, data: dict[str, Any]) -> tuple[Case, list[NearbyCase]]:
    """A resident or staff member reports a case; the answer lists possible duplicates."""
    community = data["community"]
    policy.require_reporter(principal, community)
    category = data["category"]
    staff = policy.is_staff(principal)
    if not staff and ("severity" in data or "source" in data):
        field = "severity" if "severity" in data else "source"
        raise Unprocessable(
            f"Residents do not set the {field}; the staff who accept the case may change it.",
            errors={field: ["Set by staff."]},
        )
    severity = data.get("severity")
    source = "department" if policy.department_of(principal) else "resident"
    if staff and data.get("source"):
        source = data["source"]
    cell = None
    if data.get("lon") is not None:
        cell = cells.locate(uow, data["lon"], data["lat"], community)
        if cell is None:
            raise OutsideEveryCell(community)
    role = policy.reporting_role(principal)
    case = open_case(
        uow,
        actor=principal.sub,
        role=role,
        community=community,
        category=category,
        severity=severity or domain.DEFAULT_SEVERITY[category],
        source=source,
        description=data["description"],
        now=clock.now(),
        cell=cell,
        lon=data.get("lon"),
        lat=data.get("lat"),
        address=data.get("address"),
        photos=data.get("photos"),
        reporter_sub=principal.sub,
    )
    return case, nearby_open_cases(uow, case)


def find_case(uow: UnitOfWork, ref: str, *, lock: bool = False) -> Case:
    """A case by id (UUID) or number (GC-…); 404 if none."""
    column = Case.number if ref.upper().startswith("GC-") else Case.id
    query = select(Case).where(column == (ref.upper() if column is Case.number else ref))
    if lock:
        query = query.with_for_update()
    case = uow.session.scalar(query)
    if case is None:
        raise NotFound(f"No case {ref!r}.")
    return case


def add_note(uow: UnitOfWork, principal: Principal, ref: str, note: str) -> CaseHistory:
    """Add a note to a case's history without changing its status."""
    case = find_case(uow, ref, lock=True)
    role = policy.acting_role(principal, case, "note", cells.assigned_cells(uow, principal))
    now = clock.now()
    entry = CaseHistory(
        case_id=case.id,
        at=now,
        actor_sub=principal.sub,
        actor_role=role,
        action="note",
        from_status=case.status,
        to_status=case.status,
        note=note,
    )
    uow.session.add(entry)
    case.updated_at = now
    uow.flush()
    return entry


def history(uow: UnitOfWork, principal: Principal, ref: str) -> list[CaseHistory]:
    """The case's steps, oldest first (only for callers who see the case in full)."""
    case = find_case(uow, ref)
    if not policy.sees_in_full(principal, case, cells.assigned_cells(uow, principal)):
        raise Forbidden("The history of this case is visible to its reporter and the staff handling it.")
    return list(
        uow.session.scalars(
            select(CaseHistory).where(CaseHistory.case_id == case.id).order_by(CaseHistory.id)
        )
    )


def etag(case: Case) -> str:
    """The case's ETag (a step may name it in If-Match)."""
    return version_tag("case", case.id, case.version)


def list_query(principal: Principal, worker_cells: frozenset[str], filters: dict[str, Any]) -> Any:
    """Cases the caller may see in full, filtered; newest first."""
    scope = policy.scope_of(principal, worker_cells)
    if scope.empty:
        raise Forbidden("Your roles see no cases in full; use /cases/public for the public view.")
    query = select(Case)
    if not scope.all:
        visible = []
        if scope.communities:
            visible.append(Case.community.in_(scope.communities))
        if scope.cell_ids:
            visible.append(Case.cell_id.in_(scope.cell_ids))
        if scope.department:
            visible.append(Case.department == scope.department)
        if scope.reporter:
            visible.append(Case.reporter_sub == scope.reporter)
        query = scoping.scoped(query.where(or_(*visible)), principal, Case.community)
    return apply_filters(query, filters).order_by(Case.reported_at.desc(), Case.id)


def public_query(filters: dict[str, Any]) -> Any:
    """Every case (shown in the public view), filtered; newest first."""
    return apply_filters(select(Case), filters).order_by(Case.reported_at.desc(), Case.id)


def reveal_contact(
    uow: UnitOfWork,
    principal: Principal,
    cipher: PersonalDataCipher,
    ref: str,
    purpose: str,
    request_id: str | None,
) -> dict[str, str]:
    """An Open311 reporter's contact unmasked, for center staff; audited like persons."""
    case = find_case(uow, ref)
    policy.require_contact_reader(principal, case.community)
    if case.reporter_contact is None:
        raise NotFound("This case holds no reporter contact.")
    record_reveal(
        uow.session,
        PersonalDataAccess,
        principal,
        community=case.community,
        record_kind="case",
        record_id=case.id,
        fields=("reporter_contact",),
        purpose=purpose,
        request_id=request_id,
        at=clock.now(),
    )
    plain = cipher.decrypt(case.reporter_contact, record=case.id, field="reporter_contact")
    return json.loads(plain)


def apply_filters(query: Any, filters: dict[str, Any]) -> Any:
    """The list filters shared by the staff list, the public list and Open311."""
    if filters.get("community"):
        query = query.where(Case.community == filters["community"])
    if filters.get("cell_id"):
        query = query.where(Case.cell_id == filters["cell_id"])
    statuses = filters.get("status") or []
    if statuses == ["open"]:
        query = query.where(Case.is_open.is_(True))
    elif statuses == ["closed"]:
        query = query.where(Case.is_open.is_(False))
    elif statuses:
        query = query.where(Case.status.in_(statuses))
    for field in ("category", "severity", "source", "department"):
        if filters.get(field):
            query = query.where(getattr(Case, field) == filters[field])
    if filters.get("overdue"):
        query = query.where(Case.is_open.is_(True), Case.due_at < clock.now())
    if filters.get("mine_sub"):
        query = query.where(Case.reporter_sub == filters["mine_sub"])
    if filters.get("reported_from"):
        query = query.where(Case.reported_at >= filters["reported_from"])
    if filters.get("reported_to"):
        query = query.where(Case.reported_at <= filters["reported_to"])
    return query
