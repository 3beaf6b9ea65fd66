"""Models as response bodies: what the public, the committee and residents read."""

from __future__ import annotations

from typing import Any

from ..models import FundRound, Meeting, Notice
from ..usecases import fund, meetings, notices


def meeting(uow: Any, row: Meeting) -> dict[str, Any]:
    return {**columns(row), "items": [columns(i) for i in meetings.items_of(uow, row.id)]}


def notice(uow: Any, row: Notice) -> dict[str, Any]:
    item = meetings.item(uow, row.item_id)
    return {
        **columns(row),
        "resolution_id": item.id,
        "subject_kind": item.subject_kind,
        "subject_id": item.subject_id,
        "objections": [columns(o) for o in notices.objections_of(uow, row.id)],
    }


def fund_round(uow: Any, row: FundRound) -> dict[str, Any]:
    counted = fund.votes_by_proposal(uow, row.id)
    proposals = [{**columns(p), "votes": counted[p.id]} for p in fund.proposals_of(uow, row.id)]
    return {**columns(row), "granted_by_resolution_id": row.granted_by_item_id, "proposals": proposals}


def columns(row: Any) -> dict[str, Any]:
    return {c.key: getattr(row, c.key) for c in row.__table__.columns}
