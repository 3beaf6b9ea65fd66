"""Response projections: models turned into the dicts the schemas (and Open311) answer with.

A case is shown in full to those handling it and in the public view to everyone else;
personal data is masked unless revealed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from services.chassis.config import COMMUNITY_NAMES, DEPARTMENTS

from .. import domain
from ..models import Case, Cell, Inspection, InspectionItem, Open311Client, Person
from ..usecases.cases import NearbyCase
from ..usecases.open311_requests import sla_text

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
    case: Case,
    *,
    full: bool,
    viewer_sub: str | None,
    now: datetime,
    duplicates: list[NearbyCase] | None = None,
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


def cell_view(cell: Cell, workers: list[str] | None, *, show_workers: bool) -> dict[str, Any]:
    """A cell for CellSchema; its workers only for staff of the community."""
    return {
        "id": cell.id,
        "code": cell.code,
        "community": cell.community,
        "name": cell.name,
        "boundary": cell.boundary,
        "area_m2": cell.area_m2,
        "workers": workers if show_workers else None,
        "version": cell.version,
        "updated_at": cell.updated_at,
    }


INSPECTION_FIELDS = (
    "id",
    "community",
    "cell_code",
    "worker_sub",
    "period",
    "started_at",
    "completed_at",
    "items_count",
    "findings_count",
)


def inspection_view(inspection: Inspection, items: list[InspectionItem] | None) -> dict[str, Any]:
    """A completed round for InspectionSchema (with its answers when `items` are given)."""
    view = {field: getattr(inspection, field) for field in INSPECTION_FIELDS}
    if items is not None:
        view["items"] = [
            {"code": i.item_code, "result": i.result, "note": i.note, "case_id": i.case_id} for i in items
        ]
    return view


def person_view(
    person: Person, cell_code: str | None, revealed: dict[str, str | None] | None = None
) -> dict[str, Any]:
    """A person for PersonSchema: masked, unless `revealed` holds the unmasked fields."""
    view = {
        "id": person.id,
        "community": person.community,
        "cell_code": cell_code,
        "household_id": person.household_id,
        "residency": person.residency,
        "special_care": person.special_care,
        "version": person.version,
        "created_at": person.created_at,
        "updated_at": person.updated_at,
    }
    if revealed is None:
        view.update(
            name=person.name_masked, id_number=person.id_number_masked, phone=person.phone_masked, masked=True
        )
    else:
        view.update(revealed, masked=False)
    return view


CLIENT_FIELDS = ("id", "name", "communities", "created_by", "created_at", "revoked_at")


def client_view(client: Open311Client, api_key: str) -> dict[str, Any]:
    """A new Open311 client with its api_key (shown this once)."""
    return {**{field: getattr(client, field) for field in CLIENT_FIELDS}, "api_key": api_key}


# -- Open311 GeoReport v2 -------------------------------------------------------------


def post_answer(case: Case, nearby: list[NearbyCase]) -> list[dict[str, Any]]:
    """The answer to POST requests: the service_request_id, the token, the expected time."""
    notice = f"Expected within {sla_text(case.severity)}."
    if nearby:
        notice += f" A similar report is open nearby: {nearby[0].case_number}."
    return [
        {
            "service_request_id": case.number,
            "token": case.open311_token,
            "service_notice": notice,
            "account_id": case.open311_account_id,
        }
    ]


def agency(case: Case) -> str:
    """Who handles the request now: the department, the subdistrict or the community center."""
    if case.department:
        return DEPARTMENTS[case.department]
    if case.escalation_level >= 1:
        return "招商街道办事处"
    return f"{COMMUNITY_NAMES[case.community]}社区服务中心"


def request_view(case: Case, *, full: bool) -> dict[str, Any]:
    """A service request in the spec's field names; personal fields only when `full`."""
    lon, lat = (case.lon, case.lat) if full else domain.public_coordinates(case.category, case.lon, case.lat)
    return {
        "service_request_id": case.number,
        "status": "open" if case.is_open else "closed",
        "status_notes": status_label(case),
        "service_name": domain.CATEGORIES[case.category][1],
        "service_code": case.category,
        "description": case.description if full else None,
        "agency_responsible": agency(case),
        "service_notice": f"Expected within {sla_text(case.severity)}.",
        "requested_datetime": case.reported_at.isoformat(),
        "updated_datetime": case.updated_at.isoformat(),
        "expected_datetime": case.due_at.isoformat(),
        "address": case.address if full else None,
        "address_id": None,
        "zipcode": None,
        "lat": lat,
        "long": lon,
        "media_url": (case.photos[0] if case.photos else None) if full else None,
    }
