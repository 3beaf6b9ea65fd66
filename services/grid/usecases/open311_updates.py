"""Open311 service request updates (the FixMyStreet extension, `servicerequestupdates`) and
the GeoReport v2 discovery document.

An update is one step of a case's history (`case_history`) in the spec's fields: its id,
the request's id, the FixMyStreet status the step led to, when, and the public words
of the step. Notes staff wrote for each other are never published (a step's `note` may
name people): the description is the status label a resident reads.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from services.chassis.unit_of_work import UnitOfWork

from ..models import Case, CaseHistory
from .open311_requests import MAX_RESULTS, search_window

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-12-04T00:00:00+08:00"  # when this facade's interface last changed
# FixMyStreet's update statuses, from the grid case status a step led to.
FMS_STATUS = {
    "reported": "OPEN",
    "accepted": "ACTION_SCHEDULED",
    "in_progress": "IN_PROGRESS",
    "referred": "INTERNAL_REFERRAL",
    "escalated": "INVESTIGATING",
    "resolved": "FIXED",
    "verified": "FIXED",
    "closed": "CLOSED",
}
STEP_WORDS = {
    "reported": "Reported",
    "accepted": "Accepted by the community",
    "in_progress": "In progress",
    "referred": "Referred to a department",
    "escalated": "Escalated",
    "resolved": "Resolved",
    "verified": "Resolution checked",
    "closed": "Closed",
}


def discovery(endpoint_url: str) -> dict[str, Any]:
    """The GeoReport v2 discovery document of this facade (one production endpoint)."""
    return {
        "changeset": CHANGESET,
        "contact": "招商街道办事处 Zhaoshang subdistrict office, through each community's service center",
        "key_service": "Ask the subdistrict office for an api_key (grid's POST /open311-clients).",
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": endpoint_url,
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }


def updates(uow: UnitOfWork, args: MultiDict[str, str], community: str) -> list[dict[str, Any]]:
    """GET servicerequestupdates: the steps of the jurisdiction's requests between start_date
    and end_date (default: the last 90 days), oldest first."""
    start, end = search_window(args)
    rows = uow.session.execute(
        select(CaseHistory, Case.number)
        .join(Case, Case.id == CaseHistory.case_id)
        .where(Case.community == community, CaseHistory.at >= start, CaseHistory.at <= end)
        .order_by(CaseHistory.at, CaseHistory.id)
        .limit(MAX_RESULTS)
    )
    return [_update(step, number) for step, number in rows]


def _update(step: CaseHistory, number: str) -> dict[str, Any]:
    at: datetime = step.at
    return {
        "update_id": str(step.id),
        "service_request_id": number,
        "status": FMS_STATUS.get(step.to_status, "OPEN"),
        "updated_datetime": at.isoformat(),
        "description": STEP_WORDS.get(step.to_status, step.to_status),
        "media_url": "",
    }
