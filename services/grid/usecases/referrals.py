"""Cases the community service center refers to the grid (the consumed `intake.case.referred`)."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from services.chassis import clock
from services.chassis.config import COMMUNITIES
from services.chassis.consumer import consumes
from services.chassis.events import MalformedEvent, parse_time
from services.chassis.unit_of_work import UnitOfWork

from .. import domain
from ..models import Case
from . import cases, cells

log = logging.getLogger(__name__)


@consumes(
    "intake.case.referred",
    "A case the service center refers to the grid (target `grid`) "
    "becomes a grid case with source `intake`, exactly once.",
)
def on_intake_case_referred(uow: UnitOfWork, event: dict[str, Any]) -> None:
    """A case the service center refers to the grid becomes a grid case, exactly once."""
    data = event["data"]
    if data.get("target") != "grid":
        return
    community = event.get("community")
    if community not in COMMUNITIES:
        raise MalformedEvent("intake.case.referred without a known community")
    intake_id = str(data["case_id"])
    if _intake_case_exists(uow, intake_id):
        log.info("intake referral already holds a grid case", extra={"source_ref": intake_id})
        return
    category = data.get("category") if data.get("category") in domain.CATEGORIES else "other"
    severity = data.get("severity")
    if severity not in domain.SEVERITIES:
        severity = domain.DEFAULT_SEVERITY[category]
    now = clock.now()
    referred_at = parse_time(data.get("referred_at")) or now
    due = domain.due_at(referred_at, severity)
    intake_due = parse_time(data.get("due_at"))
    if intake_due is not None and intake_due < due:
        due = intake_due  # the deadline the service center promised the resident
    lon, lat = data.get("lon"), data.get("lat")
    cell = cells.locate(uow, lon, lat, community) if lon is not None and lat is not None else None
    description = (
        f"Referred by the community service center: intake case "
        f"{data.get('case_number')} ({data.get('business_type')})."
    )
    try:
        with uow.session.begin_nested():
            case = cases.open_case(
                uow,
                actor=cases.SYSTEM,
                role="intake",
                community=community,
                category=category,
                severity=severity,
                source="intake",
                source_ref=intake_id,
                description=description,
                now=referred_at,
                cell=cell,
                lon=lon,
                lat=lat,
                due=due,
                external_number=str(data.get("case_number") or "")[:40] or None,
            )
    except IntegrityError:  # the same referral, delivered twice at once
        if _intake_case_exists(uow, intake_id):
            return
        raise
    log.info(
        "grid case opened from intake referral",
        extra={"case_id": case.id, "case_number": case.number, "source_ref": intake_id},
    )


def _intake_case_exists(uow: UnitOfWork, intake_id: str) -> bool:
    return (
        uow.session.scalar(select(Case.id).where(Case.source == "intake", Case.source_ref == intake_id))
        is not None
    )
