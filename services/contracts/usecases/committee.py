"""The committee decides as a body: its resolutions, published by governance, gate its approvals.

Contracts records `governance.resolution.passed` for a tender or an award (once, by
resolution id) and `governance.notice.concluded` for an award's public notice. The
committee's approval of a tender needs a passed resolution on it; of an award, a passed
resolution whose notice has concluded. A community keeps the old single-member rule only
by naming it in `CONTRACTS_SINGLE_MEMBER_COMMUNITIES`.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy import select

from services.chassis.consumer import consumes
from services.chassis.events import parse_time
from services.chassis.unit_of_work import UnitOfWork

from ..domain import NoticePending, ResolutionRequired
from ..models import CommitteeResolution, Tender

log = logging.getLogger(__name__)
STEP_OF_SUBJECT = {"approve_tender": "tender", "approve_award": "award"}


class ResolutionNotYetRecorded(RuntimeError):
    """A notice concluded before its resolution reached us: retried until it has."""


@consumes(
    "governance.resolution.passed",
    "Record the committee's passed resolution on a tender or award; approvals require one.",
)
def on_resolution_passed(uow: UnitOfWork, event: dict[str, Any]) -> None:
    """A resolution on a tender or an award passed with quorum: keep it (once)."""
    data = event["data"]
    step = STEP_OF_SUBJECT.get(data["subject_kind"])
    if step is None or not data.get("subject_id"):
        return
    if uow.session.get(CommitteeResolution, data["resolution_id"]) is not None:
        return
    if uow.session.get(Tender, data["subject_id"]) is None:
        log.info("resolution %s names an unknown tender %s", data["resolution_id"], data["subject_id"])
        return
    passed_at = _time(data["passed_at"])
    uow.session.add(
        CommitteeResolution(
            resolution_id=data["resolution_id"],
            tender_id=data["subject_id"],
            step=step,
            meeting_id=data["meeting_id"],
            votes_for=data["votes_for"],
            eligible_present=data["eligible_present"],
            passed_at=passed_at,
            effective_at=None if data["takes_effect_after_notice"] else passed_at,
        )
    )


@consumes(
    "governance.notice.concluded",
    "An award's public notice concluded with every objection answered: the award may be recorded.",
)
def on_notice_concluded(uow: UnitOfWork, event: dict[str, Any]) -> None:
    """The notice of a resolution ended: from now on it is effective."""
    data = event["data"]
    if STEP_OF_SUBJECT.get(data["subject_kind"]) is None or not data.get("subject_id"):
        return
    resolution = uow.session.get(CommitteeResolution, data["resolution_id"], with_for_update=True)
    if resolution is None:
        if uow.session.get(Tender, data["subject_id"]) is None:
            return
        raise ResolutionNotYetRecorded(f"resolution {data['resolution_id']} is not recorded yet")
    if resolution.effective_at is None:
        resolution.notice_id = data["notice_id"]
        resolution.effective_at = _time(data["concluded_at"])


def require_resolution(
    uow: UnitOfWork, tender: Tender, step: str, since: datetime | None = None
) -> CommitteeResolution:
    """The effective resolution approving this step of the tender, passed `since` the step was
    last put before the committee (a returned and re-proposed award needs a new one), or a
    409 saying what is missing."""
    statement = select(CommitteeResolution).where(
        CommitteeResolution.tender_id == tender.id, CommitteeResolution.step == step
    )
    if since is not None:
        statement = statement.where(CommitteeResolution.passed_at >= since)
    recorded = list(uow.session.scalars(statement.order_by(CommitteeResolution.passed_at.desc())))
    effective = next((r for r in recorded if r.effective_at is not None), None)
    if effective is not None:
        return effective
    what = "采购需求" if step == "tender" else "成交结果"
    if recorded:
        raise NoticePending(
            f"居委会关于{tender.number}{what}的决议仍在公示期或有异议未答复，尚未生效。"
            f" (The committee's resolution on this {step} is still under public notice.)",
            resolution_id=recorded[0].resolution_id,
        )
    raise ResolutionRequired(
        f"居委会尚未就{tender.number}{what}通过决议；请先在居委会会议上表决。"
        f" (No passed resolution of the committee on this {step}.)",
        step=step,
    )


def _time(value: str) -> datetime:
    parsed = parse_time(value)
    if parsed is None:
        raise ValueError(f"not a date-time: {value!r}")
    return parsed
