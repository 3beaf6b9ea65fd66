"""Use cases of inspections (排查): the checklist, planned rounds, completed rounds."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from services.chassis import clock
from services.chassis.auth import Principal
from services.chassis.errors import NotFound, Unprocessable
from services.chassis.unit_of_work import UnitOfWork

from .. import events as ev
from ..models import Cell, ChecklistItem, Inspection, InspectionItem, InspectionPlan
from . import cases, cells, geometry, policy


def period_of(moment: datetime) -> str:
    """The community's local month of a moment, `YYYY-MM`."""
    return moment.astimezone(clock.local_zone()).strftime("%Y-%m")


def upsert_checklist_item(
    uow: UnitOfWork, principal: Principal, code: str, data: dict[str, Any]
) -> ChecklistItem:
    """Add or change a checklist item (platform-wide: subdistrict officers and admins)."""
    policy.require_checklist_editor(principal)
    item = uow.session.get(ChecklistItem, code)
    if item is None:
        item = ChecklistItem(code=code)
        uow.session.add(item)
    for field in ("area", "title", "case_category", "default_severity", "position", "active"):
        if field in data:
            setattr(item, field, data[field])
    if item.position is None:
        item.position = 0
    if item.active is None:
        item.active = True
    uow.flush()
    return item


def checklist(uow: UnitOfWork, active_only: bool = True) -> list[ChecklistItem]:
    query = select(ChecklistItem).order_by(ChecklistItem.position, ChecklistItem.code)
    if active_only:
        query = query.where(ChecklistItem.active.is_(True))
    return list(uow.session.scalars(query))


def set_plan(
    uow: UnitOfWork, principal: Principal, cell_code: str, period: str, planned_rounds: int
) -> InspectionPlan:
    """Plan the number of rounds of a cell in a month (the community's managers decide)."""
    cell = cells.get_cell(uow, cell_code)
    policy.require_community_manager(principal, cell.community)
    plan = uow.session.get(InspectionPlan, (cell.id, period))
    if plan is None:
        plan = InspectionPlan(
            cell_id=cell.id, period=period, planned_rounds=planned_rounds, updated_at=clock.now()
        )
        uow.session.add(plan)
    elif plan.planned_rounds != planned_rounds:
        plan.planned_rounds = planned_rounds
        plan.updated_at = clock.now()
    uow.flush()
    return plan


@dataclass(frozen=True)
class RoundRate:
    """Planned and completed rounds of a cell in a month."""

    cell_code: str
    community: str
    period: str
    planned: int
    completed: int

    @property
    def rate(self) -> float | None:
        return round(self.completed / self.planned, 4) if self.planned else None


def round_rates(uow: UnitOfWork, community: str, period: str) -> list[RoundRate]:
    """Completion of planned rounds per cell of a community in a month."""
    done = dict(
        uow.session.execute(
            select(Inspection.cell_id, func.count())
            .where(Inspection.community == community, Inspection.period == period)
            .group_by(Inspection.cell_id)
        ).all()
    )
    plans = dict(
        uow.session.execute(
            select(InspectionPlan.cell_id, InspectionPlan.planned_rounds)
            .join(Cell, Cell.id == InspectionPlan.cell_id)
            .where(Cell.community == community, InspectionPlan.period == period)
        ).all()
    )
    rows = uow.session.execute(
        select(Cell.id, Cell.code).where(Cell.community == community).order_by(Cell.code)
    ).all()
    return [
        RoundRate(code, community, period, int(plans.get(cell_id, 0)), int(done.get(cell_id, 0)))
        for cell_id, code in rows
    ]


def _check_answers(items: list[dict[str, Any]], catalogue: dict[str, ChecklistItem]) -> None:
    errors: dict[str, Any] = {}
    seen: set[str] = set()
    for index, answer in enumerate(items):
        code = answer["code"]
        if code not in catalogue:
            errors[str(index)] = {"code": ["Not an active checklist item."]}
        elif code in seen:
            errors[str(index)] = {"code": ["Answered twice."]}
        elif answer["result"] == "finding" and not answer.get("note"):
            errors[str(index)] = {"note": ["Describe the finding."]}
        seen.add(code)
    missing = sorted(set(catalogue) - seen)
    if errors or missing:
        if missing:
            errors["_missing"] = [f"Answer every checklist item; missing: {', '.join(missing)}."]
        raise Unprocessable("The checklist answers are incomplete or invalid.", errors={"items": errors})


def complete(
    uow: UnitOfWork, principal: Principal, data: dict[str, Any]
) -> tuple[Inspection, list[InspectionItem]]:
    """Record a completed round; every finding opens a case linked to the inspection."""
    cell = cells.get_cell(uow, data["cell_code"])
    role = policy.require_cell_worker(
        principal, cell.community, cell.id, cells.assigned_cells(uow, principal)
    )
    catalogue = {item.code: item for item in checklist(uow)}
    _check_answers(data["items"], catalogue)
    now = clock.now()
    started = data.get("started_at") or now
    if started > now:
        raise Unprocessable("A round cannot start in the future.", errors={"started_at": ["Later than now."]})
    inspection = Inspection(
        id=str(uuid.uuid4()),
        community=cell.community,
        cell_id=cell.id,
        cell_code=cell.code,
        worker_sub=principal.sub,
        period=period_of(now),
        started_at=started,
        completed_at=now,
        items_count=len(data["items"]),
        findings_count=0,
    )
    uow.session.add(inspection)
    uow.flush()
    ref = geometry.CellRef(cell.id, cell.code, cell.community)
    answers: list[InspectionItem] = []
    for index, answer in enumerate(data["items"]):
        case_id = None
        if answer["result"] == "finding":
            case_id = _open_finding(
                uow, principal, role, cell, ref, inspection, catalogue[answer["code"]], answer, index, now
            )
            inspection.findings_count += 1
        answers.append(
            InspectionItem(
                inspection_id=inspection.id,
                item_code=answer["code"],
                result=answer["result"],
                note=answer.get("note"),
                case_id=case_id,
            )
        )
    uow.session.add_all(answers)
    uow.flush()
    uow.emit(
        ev.INSPECTION_COMPLETED,
        subject=inspection.id,
        community=cell.community,
        data={
            "inspection_id": inspection.id,
            "cell_code": cell.code,
            "period": inspection.period,
            "items": inspection.items_count,
            "findings": inspection.findings_count,
            "completed_at": now.isoformat(),
            "case_ids": [a.case_id for a in answers if a.case_id],
        },
        time=now,
    )
    return inspection, answers


def _open_finding(
    uow: UnitOfWork,
    principal: Principal,
    role: str,
    cell: Cell,
    ref: geometry.CellRef,
    inspection: Inspection,
    item: ChecklistItem,
    answer: dict[str, Any],
    index: int,
    now: datetime,
) -> str:
    lon, lat = answer.get("lon"), answer.get("lat")
    if lon is not None:
        found = cells.locate(uow, lon, lat, cell.community)
        if found is None or found.id != cell.id:
            raise Unprocessable(
                "A finding's location must lie in the inspected cell.",
                errors={"items": {str(index): {"lon": ["Outside the cell."]}}},
            )
    case = cases.open_case(
        uow,
        actor=principal.sub,
        role=role,
        community=cell.community,
        category=item.case_category,
        severity=answer.get("severity") or item.default_severity,
        source="inspection",
        source_ref=f"{inspection.id}:{item.code}",
        description=f"{item.title}: {answer['note']}",
        now=now,
        cell=ref,
        lon=lon,
        lat=lat,
        photos=answer.get("photos"),
        reporter_sub=principal.sub,
        inspection_id=inspection.id,
    )
    return case.id


def list_query(filters: dict[str, Any]) -> Any:
    query = select(Inspection).order_by(Inspection.completed_at.desc(), Inspection.id)
    for field in ("community", "cell_id", "period", "worker_sub"):
        if filters.get(field):
            query = query.where(getattr(Inspection, field) == filters[field])
    return query


def get_inspection(uow: UnitOfWork, inspection_id: str) -> Inspection:
    inspection = uow.session.get(Inspection, inspection_id)
    if inspection is None:
        raise NotFound("No such inspection.")
    return inspection


def items_of(uow: UnitOfWork, inspection_id: str) -> list[InspectionItem]:
    return list(
        uow.session.scalars(
            select(InspectionItem)
            .where(InspectionItem.inspection_id == inspection_id)
            .order_by(InspectionItem.id)
        )
    )
