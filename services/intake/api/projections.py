"""Response bodies projected from records, with personal data masked for readers who may not see it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from services.chassis.auth import Principal
from services.chassis.protection import PersonalDataCipher

from ..domain import OPEN_CASE_STATES
from ..models import Case, Feedback, Ticket
from ..usecases import personal_data, policy

TICKET_FIELDS = (
    "id",
    "community",
    "number",
    "local_date",
    "business_type",
    "original_business_type",
    "channel",
    "priority",
    "priority_reason",
    "status",
    "issued_at",
    "called_at",
    "serving_at",
    "finished_at",
    "window_id",
    "wait_seconds",
    "service_seconds",
    "transfers",
)
CASE_FIELDS = (
    "id",
    "number",
    "community",
    "business_type",
    "ticket_id",
    "status",
    "opened_at",
    "due_at",
    "resolved_at",
    "closed_at",
    "on_time",
    "referral_target",
    "referral_category",
    "referral_severity",
    "lon",
    "lat",
    "referred_at",
    "grid_case_id",
    "grid_case_number",
)
HIDDEN = "***"


def ticket(
    row: Ticket, principal: Principal, cipher: PersonalDataCipher, waiting_ahead: int | None = None
) -> dict[str, Any]:
    """A ticket as `principal` may see it: personal values unmasked for their owner only."""
    body = {name: getattr(row, name) for name in TICKET_FIELDS}
    personal = policy.sees_personal(principal, row.community, row.owner_sub)
    body.update(personal_data.ticket_view(cipher, row, unmasked=policy.is_owner(principal, row.owner_sub)))
    body["owner_sub"] = row.owner_sub if personal else (HIDDEN if row.owner_sub else None)
    body["waiting_ahead"] = waiting_ahead
    return body


def case(row: Case, principal: Principal, cipher: PersonalDataCipher, now: datetime) -> dict[str, Any]:
    """A case as `principal` may see it (summary for owner and staff, the phone for the owner)."""
    body = {name: getattr(row, name) for name in CASE_FIELDS}
    personal = policy.sees_personal(principal, row.community, row.owner_sub)
    body["summary"] = row.summary if personal else HIDDEN
    body["resolution"] = row.resolution if personal else (HIDDEN if row.resolution else None)
    body["contact_phone"] = personal_data.case_phone(
        cipher, row, unmasked=policy.is_owner(principal, row.owner_sub)
    )
    body["owner_sub"] = row.owner_sub if personal else (HIDDEN if row.owner_sub else None)
    body["overdue"] = row.status in OPEN_CASE_STATES and row.due_at < now
    return body


def feedback(row: Feedback, principal: Principal) -> dict[str, Any]:
    """Feedback; the comment is free text, shown to its author, staff and committee readers."""
    body = {
        name: getattr(row, name)
        for name in (
            "id",
            "community",
            "target_kind",
            "target_id",
            "business_type",
            "window_id",
            "score",
            "channel",
            "recorded_at",
        )
    }
    may_read = policy.reads_community(principal, row.community) or row.owner_sub == principal.sub
    body["comment"] = row.comment if may_read else HIDDEN
    return body
