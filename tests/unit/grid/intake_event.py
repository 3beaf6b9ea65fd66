"""intake.case.referred as docs/events.md fixes it, declared locally (grid never imports intake)."""

from datetime import timedelta
from typing import Any

from services.chassis import clock
from services.chassis.events import DATETIME, NUMBER, UUID, EventType, build, enum, nullable, payload, string

INTAKE_CASE_REFERRED = EventType(
    "intake.case.referred",
    "A case referred by the service center.",
    payload(
        {
            "case_id": UUID,
            "case_number": string(40),
            "business_type": string(60),
            "target": string(40),
            "category": nullable(string(40)),
            "severity": nullable(enum("low", "medium", "high", "critical")),
            "lon": nullable(NUMBER),
            "lat": nullable(NUMBER),
            "referred_at": DATETIME,
            "due_at": DATETIME,
        }
    ),
)


def referral(
    case_id: str = "6f1c2b6e-1d7e-4b8a-9a55-0c1f4f1a2b3c",
    target: str = "grid",
    lon: float | None = 113.911,
    lat: float | None = 22.491,
    **fields: Any,
) -> dict[str, Any]:
    """A CloudEvent of intake.case.referred built with the chassis (as intake would)."""
    now = clock.now()
    data = {
        "case_id": case_id,
        "case_number": "SC-2026-000042",
        "business_type": "city_management",
        "target": target,
        "category": "hazard_electrical",
        "severity": None,
        "lon": lon,
        "lat": lat,
        "referred_at": now.isoformat(),
        "due_at": (now + timedelta(days=10)).isoformat(),
        **fields,
    }
    return build(
        INTAKE_CASE_REFERRED,
        source="/services/intake",
        subject=case_id,
        community="huaguoshan",
        data=data,
        sequence=1,
    )
