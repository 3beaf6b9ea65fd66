"""How a case is shown: in full to those handling it, in the public view to everyone else."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from services.chassis.config import DEPARTMENTS

from . import domain
from .models import Case

CLOSED_LABELS = {
    "resolved": "Closed: resolved",
    "duplicate": "Closed: already reported",
    "rejected": "Closed: not taken up",
}
STATUS_LABELS = {
    "reported": "Reported",
    "accepted": "Accepted by the community",
    "in_progress": "In progress",
    "resolved": "Resolved",
    "verified": "Resolution checked",
}


def status_label(case: Case) -> str:
    """What residents read: a referral names the department that now handles the case."""
    if case.status == "referred" and case.department:
        return f"Referred to {DEPARTMENTS[case.department]}"
    if case.status == "escalated":
        return f"Escalated to the {domain.escalation_level_name(max(case.escalation_level, 1))}"
    if case.status == "closed":
        return CLOSED_LABELS.get(case.closed_kind or "", "Closed")
    return STATUS_LABELS[case.status]


def case_view(
    case: Case, *, full: bool, viewer_sub: str | None, now: datetime, duplicates: list[Any] | None = None
) -> dict[str, Any]:
    """The case as a dict for CaseSchema; personal fields are None unless `full`."""
    lon, lat = (case.lon, case.lat) if full else domain.public_coordinates(case.category, case.lon, case.lat)
    view: dict[str, Any] = {
        "id": case.id,
        "number": case.number,
        "community": case.community,
        "cell_code": case.cell_code,
        "category": case.category,
        "category_name": domain.CATEGORIES[case.category][1],
        "severity": case.severity,
        "status": case.status,
        "status_label": status_label(case),
        "closed_kind": case.closed_kind,
        "source": case.source,
        "department": case.department,
        "department_name": DEPARTMENTS.get(case.department) if case.department else None,
        "escalation_level": domain.escalation_level_name(case.escalation_level),
        "duplicate_of": case.duplicate_of,
        "lon": lon,
        "lat": lat,
        "mine": viewer_sub is not None and case.reporter_sub == viewer_sub,
        "reported_at": case.reported_at,
        "due_at": case.due_at,
        "overdue": case.is_open and now > case.due_at,
        "accepted_at": case.accepted_at,
        "resolved_at": case.resolved_at,
        "verified_at": case.verified_at,
        "closed_at": case.closed_at,
        "reopen_count": case.reopen_count,
        "updated_at": case.updated_at,
        "public": not full,
    }
    if full:
        view.update(
            description=case.description,
            address=case.address,
            photos=case.photos,
            source_ref=case.source_ref,
            external_number=case.external_number,
            inspection_id=case.inspection_id,
            referral_reason=case.referral_reason,
            reporter_contact=case.reporter_contact_masked,
        )
    else:
        view.update(
            description=None,
            address=None,
            photos=None,
            source_ref=None,
            external_number=None,
            inspection_id=None,
            referral_reason=None,
            reporter_contact=None,
        )
    if duplicates is not None:
        view["possible_duplicates"] = [d.__dict__ for d in duplicates]
    return view
