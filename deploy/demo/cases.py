"""Demo history of follow-up cases (办件), played through intake's case handlers.

A case opened at the desk is worked on in the following days: started, sometimes sent
to a department and answered, resolved (mostly within its SLA), closed and rated; now
and then a resident is not satisfied and it is reopened. Reported hazards and street
complaints of the last few days are referred to grid with a category and a point in
the community's cells (grid opens its own case from the event); older ones went to the
responsible department. Steps later than the load time are not played: those cases are
the open work of the live demo.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from services.chassis.auth import Principal
from services.chassis.protection import PersonalDataCipher
from services.chassis.unit_of_work import UnitOfWork
from services.intake.api.schemas.desk import (
    AwaitDepartmentSchema,
    CaseCreateSchema,
    FeedbackCreateSchema,
    NoteSchema,
    ReferSchema,
    ResolveSchema,
)
from services.intake.models import BusinessType, Ticket
from services.intake.usecases import cases, feedback

from .cast import resident, staff
from .grid_reference import cell_polygons

GRID_RECENT = timedelta(days=4)  # referrals younger than this are grid's open work
ON_TIME = 0.88
REOPEN = 0.04
# What a reported hazard or complaint is for grid: (category, severity) by the form's kind.
GRID_KINDS = {
    "manhole": ("hazard_building", "high"),
    "railing": ("hazard_building", "medium"),
    "wiring": ("hazard_electrical", "high"),
    "fire_exit": ("hazard_fire", "high"),
    "slope": ("hazard_slope", "medium"),
    "litter": ("environment", "low"),
    "illegal_stall": ("public_order", "low"),
    "noise": ("public_order", "medium"),
    "illegal_building": ("hazard_building", "medium"),
}
SUMMARIES = {
    "labour": "申请材料已收齐，待人力资源部门审核",
    "health": "资料已登记，待卫生健康部门出具证明",
    "civil_affairs": "申请已受理，入户核查后报民政部门审批",
    "disability": "已受理，待残联安排评定",
    "public_security": "材料已收，待派出所核实后办理",
    "housing": "申请已受理，待住建部门资格审查",
    "education": "已受理，待核实居住情况后出具证明",
    "city_management": "居民反映市容问题，需现场核查处理",
    "emergency": "居民报告安全隐患，需现场处置",
    "water": "居民反映供水问题，已联系水务公司",
    "justice": "法律咨询，已预约律师跟进",
}


@dataclass
class OpenedCase:
    """A follow-up case opened at the desk, for the case history to carry on."""

    case_id: str
    community: str
    business_type: str
    opened_at: datetime
    owner_sub: str | None


@dataclass(frozen=True)
class Step:
    at: datetime
    action: str
    body: dict[str, Any]


def rate(uow: UnitOfWork, principal: Principal, kind: str, target_id: str, score: int, at: datetime) -> None:
    """A resident's 1-5 rating of a completed ticket or a closed case."""
    data = FeedbackCreateSchema().load({"target_kind": kind, "target_id": target_id, "score": score})
    feedback.record(uow, principal, data, at)


def open_desk_case(
    uow: UnitOfWork,
    cipher: PersonalDataCipher,
    clerk: Principal,
    ticket: Ticket,
    business_type: BusinessType,
    at: datetime,
) -> OpenedCase:
    """Open the follow-up case of a ticket just served."""
    data = CaseCreateSchema().load(
        {
            "community": ticket.community,
            "ticket_id": ticket.id,
            "summary": SUMMARIES.get(business_type.department, "已受理，待跟进办理"),
        }
    )
    case = cases.open_case(uow, clerk, cipher, data, at)
    return OpenedCase(case.id, ticket.community, business_type.code, at, ticket.owner_sub)


def grid_point(community: str, rng: random.Random) -> tuple[float, float]:
    """A point well inside one of the community's grid cells."""
    _, _, polygon = rng.choice(cell_polygons(community))
    ring = polygon["coordinates"][0][:4]
    u, v = rng.uniform(0.3, 0.7), rng.uniform(0.3, 0.7)
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = ring
    lon = (1 - v) * ((1 - u) * x0 + u * x1) + v * ((1 - u) * x3 + u * x2)
    lat = (1 - v) * ((1 - u) * y0 + u * y1) + v * ((1 - u) * y3 + u * y2)
    return round(lon, 6), round(lat, 6)


def _resolution_time(opened: datetime, due: datetime, rng: random.Random) -> datetime:
    if rng.random() < ON_TIME:
        return opened + (due - opened) * rng.uniform(0.2, 0.9)
    return due + timedelta(hours=rng.uniform(2, 72))


def plan(
    case: OpenedCase, due: datetime, department: str, kind: str | None, rng: random.Random, now: datetime
) -> list[Step]:
    """The steps this case went through, in time order."""
    opened = case.opened_at
    grid_kind = GRID_KINDS.get(kind or "")
    if grid_kind and now - opened < GRID_RECENT:
        lon, lat = grid_point(case.community, rng)
        category, severity = grid_kind
        return [
            Step(
                opened + timedelta(minutes=rng.uniform(20, 90)),
                "refer",
                {"target": "grid", "category": category, "severity": severity, "lon": lon, "lat": lat},
            )
        ]
    steps = [Step(opened + timedelta(hours=rng.uniform(0.5, 20)), "start", {})]
    resolved = _resolution_time(opened, due, rng)
    resolved_by = "desk"
    if grid_kind or rng.random() < 0.45:
        asked = steps[-1].at + timedelta(hours=rng.uniform(0.5, 4))
        steps.append(Step(asked, "await_department", {"department": department}))
        if grid_kind:
            steps[-1] = Step(asked, "refer", {"target": department})
            resolved_by = "department"
        else:
            steps.append(Step(asked + (resolved - asked) * rng.uniform(0.5, 0.9), "department_replied", {}))
    resolved = max(resolved, steps[-1].at + timedelta(minutes=30))
    steps.append(Step(resolved, "resolve", {"resolution": "已办结并告知居民", "resolved_by": resolved_by}))
    if rng.random() < REOPEN:
        reopened = resolved + timedelta(hours=rng.uniform(6, 30))
        steps += [
            Step(reopened, "reopen", {"note": "居民对处理结果有异议"}),
            Step(
                reopened + timedelta(hours=rng.uniform(20, 60)),
                "resolve",
                {"resolution": "重新核查后办结", "resolved_by": resolved_by},
            ),
        ]
    steps.append(Step(steps[-1].at + timedelta(hours=rng.uniform(4, 50)), "close", {}))
    return steps


SCHEMAS = {
    "start": NoteSchema,
    "await_department": AwaitDepartmentSchema,
    "department_replied": NoteSchema,
    "refer": ReferSchema,
    "resolve": ResolveSchema,
    "reopen": NoteSchema,
    "close": NoteSchema,
}


def play_cases(
    uow: UnitOfWork,
    opened: list[OpenedCase],
    types: dict[str, BusinessType],
    rng: random.Random,
    now: datetime,
    rating_rate: float = 0.35,
) -> dict[str, int]:
    """Carry every case as far as its plan goes before `now`; counts by last action."""
    counts: dict[str, int] = {}
    for item in opened:
        case = cases.find(uow, item.case_id)
        business_type = types[item.business_type]
        clerk = staff(item.community, rng.randint(1, 3))
        last = "open"
        ticket = uow.session.get(Ticket, case.ticket_id) if case.ticket_id else None
        kind = (ticket.attributes or {}).get("kind") if ticket else None
        for step in plan(item, case.due_at, business_type.department, kind, rng, now):
            if step.at >= now:
                break
            data = SCHEMAS[step.action]().load(step.body)
            cases.act(uow, clerk, item.case_id, step.action, step.at, data)
            last = step.action
        if last == "close" and rng.random() < rating_rate:
            rater = resident(item.community, item.owner_sub) if item.owner_sub else clerk
            at = case.closed_at + timedelta(minutes=rng.uniform(5, 600))
            if at < now:
                rate(
                    uow, rater, "case", item.case_id, rng.choices((2, 3, 4, 5), (0.05, 0.15, 0.4, 0.4))[0], at
                )
        counts[last] = counts.get(last, 0) + 1
    return counts
