"""Lifecycle steps of a case: the state machine says whether, these say what each step changes
and which event it publishes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from services.chassis import clock
from services.chassis.auth import Principal
from services.chassis.conditional import require_match
from services.chassis.config import DEPARTMENTS
from services.chassis.errors import Forbidden, NotFound, Unprocessable
from services.chassis.events import EventType
from services.chassis.unit_of_work import UnitOfWork

from .. import domain
from .. import events as ev
from ..models import Case
from . import cases, cells, policy

StepEvent = tuple[EventType, dict[str, Any]] | None


def _need(data: dict[str, Any], field: str, action: str) -> Any:
    value = data.get(field)
    if value in (None, "", []):
        what = action.replace("_", " ")
        raise Unprocessable(
            f"To {what} a case, give `{field}`.", errors={field: [f"Required to {what} a case."]}
        )
    return value


def _accept(uow: UnitOfWork, case: Case, data: dict[str, Any], role: str, now: datetime) -> StepEvent:
    if data.get("cell_code"):
        if not policy.may_assign_cell(role):
            raise Forbidden("Only center staff assign a case to a cell.")
        cell = cells.get_cell(uow, data["cell_code"])
        if cell.community != case.community:
            raise Unprocessable(
                "The cell belongs to another community.",
                errors={"cell_code": ["Not a cell of the case's community."]},
            )
        case.cell_id, case.cell_code = cell.id, cell.code
    if data.get("severity") and data["severity"] != case.severity:
        case.severity = data["severity"]
        case.due_at = domain.due_at(case.reported_at, case.severity)
    case.accepted_at = now
    return ev.CASE_ACCEPTED, {"accepted_at": now.isoformat()}


def _resolve(
    uow: UnitOfWork, case: Case, data: dict[str, Any], principal: Principal, now: datetime
) -> StepEvent:
    _need(data, "note", "resolve")
    case.resolved_at = now
    case.resolved_by = principal.sub
    return ev.CASE_RESOLVED, {
        "resolved_at": now.isoformat(),
        "on_time": domain.on_time(now, case.due_at),
        "department": case.department,
    }


def _close(case: Case, action: str, now: datetime, duplicate_of: str | None = None) -> StepEvent:
    case.closed_at = now
    case.closed_kind = domain.CLOSED_KIND_OF[action]
    case.duplicate_of = duplicate_of
    return ev.CASE_CLOSED, {
        "closed_kind": case.closed_kind,
        "closed_at": now.isoformat(),
        "duplicate_of": duplicate_of,
    }


def _mark_duplicate(uow: UnitOfWork, case: Case, data: dict[str, Any], now: datetime) -> StepEvent:
    ref = _need(data, "duplicate_of", "mark_duplicate")
    try:
        original = cases.find_case(uow, str(ref))
    except NotFound:
        raise Unprocessable(
            "The case it duplicates does not exist.", errors={"duplicate_of": ["No such case."]}
        ) from None
    if original.id == case.id or original.community != case.community:
        raise Unprocessable(
            "A case duplicates another case of the same community.",
            errors={"duplicate_of": ["Not another case of this community."]},
        )
    if original.closed_kind == "duplicate":
        raise Unprocessable(
            "Point to the original case, not to another duplicate.",
            errors={"duplicate_of": ["That case is itself a duplicate."]},
        )
    return _close(case, "mark_duplicate", now, duplicate_of=original.id)


def _refer(case: Case, data: dict[str, Any], now: datetime) -> StepEvent:
    department = _need(data, "department", "refer")
    if department not in DEPARTMENTS:
        raise Unprocessable(
            "Unknown department.", errors={"department": [f"One of: {', '.join(sorted(DEPARTMENTS))}."]}
        )
    case.referral_reason = _need(data, "note", "refer")
    case.department = department
    return ev.CASE_REFERRED, {"department": department, "referred_at": now.isoformat()}


def escalation(case: Case, trigger: str, now: datetime) -> StepEvent:
    case.escalation_level = domain.next_escalation_level(case.escalation_level)
    return ev.CASE_ESCALATED, {
        "level": domain.escalation_level_name(case.escalation_level),
        "trigger": trigger,
        "escalated_at": now.isoformat(),
    }


def _reopen(case: Case, now: datetime) -> StepEvent:
    case.reopen_count += 1
    case.resolved_at = case.verified_at = case.closed_at = None
    case.resolved_by = case.closed_kind = None
    case.due_at = domain.due_at(now, case.severity)
    case.overdue_notified_at = case.overdue_escalated_at = None
    return ev.CASE_REOPENED, {"reopened_at": now.isoformat(), "reopen_count": case.reopen_count}


def apply(
    uow: UnitOfWork,
    case: Case,
    action: str,
    data: dict[str, Any],
    *,
    principal: Principal,
    role: str,
    now: datetime,
) -> StepEvent:
    """Change the case's fields for `action` (the caller sets the status); return its event."""
    if action == "accept":
        return _accept(uow, case, data, role, now)
    if action == "start":
        return None
    if action == "resolve":
        return _resolve(uow, case, data, principal, now)
    if action == "verify":
        case.verified_at = now
        return ev.CASE_VERIFIED, {"verified_at": now.isoformat()}
    if action == "close":
        return _close(case, action, now)
    if action == "reject":
        _need(data, "note", action)
        return _close(case, action, now)
    if action == "mark_duplicate":
        return _mark_duplicate(uow, case, data, now)
    if action == "refer":
        return _refer(case, data, now)
    if action == "escalate":
        _need(data, "note", action)
        return escalation(case, "manual", now)
    if action == "reopen":
        return _reopen(case, now)
    raise ValueError(f"unknown action {action!r}")


def history_note(case: Case, action: str) -> str | None:
    """A generated note for steps whose meaning is in fields (none holds personal data)."""
    if action == "refer":
        return case.referral_reason
    if action == "mark_duplicate":
        return f"duplicate of {case.duplicate_of}"
    return None


def state_of(case: Case) -> domain.CaseState:
    return domain.CaseState(
        status=case.status,
        severity=case.severity,
        reported_at=case.reported_at,
        due_at=case.due_at,
        closed_kind=case.closed_kind,
        resolved_at=case.resolved_at,
        resolved_by=case.resolved_by,
        escalation_level=case.escalation_level,
    )


def move(case: Case, target: str, now: datetime) -> str:
    """Put the case in `target` (a status the lifecycle allowed); return the status before."""
    before = case.status
    case.status = target
    case.is_open = domain.is_open(target)
    case.version += 1
    case.updated_at = now
    return before


def take_step(
    uow: UnitOfWork,
    principal: Principal,
    ref: str,
    action: str,
    data: dict[str, Any],
    if_match: str | None = None,
) -> Case:
    """Move a case one step along its lifecycle (409 `illegal-transition` when its status forbids it)."""
    case = cases.find_case(uow, ref, lock=True)
    if if_match is not None:  # optional here; when sent it must name the current revision
        require_match(if_match, cases.etag(case), what="case")
    worker_cells = cells.assigned_cells(uow, principal)
    role = policy.acting_role(principal, case, action, worker_cells)
    now = clock.now()
    target = domain.check_step(state_of(case), action, actor=principal.sub, now=now)
    event = apply(uow, case, action, data, principal=principal, role=role, now=now)
    before = move(case, target, now)
    cases.record_history(
        uow,
        case,
        actor=principal.sub,
        role=role,
        action=action,
        from_status=before,
        note=data.get("note") or history_note(case, action),
        at=now,
    )
    if event is not None:
        publish(uow, case, event, now)
    return case


def publish(uow: UnitOfWork, case: Case, event: tuple[EventType, dict[str, Any]], now: datetime) -> None:
    """Record a step's event: the case's common fields and the step's own."""
    event_type, fields = event
    uow.emit(
        event_type,
        subject=case.id,
        community=case.community,
        data={**cases.case_data(case), **fields},
        time=now,
    )
