"""Grid cases: categories, severities and their deadlines, the lifecycle, duplicate radius.

A case (事件) is a hazard, dispute or nuisance found in a grid cell. It moves through
a FixMyStreet-style lifecycle; what the community cannot resolve it refers to the
department that can, or escalates to the subdistrict. Standard library and the chassis'
state machine only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

# IllegalTransition: the lifecycle's one refusal (409 illegal-transition), re-exported
from services.chassis.statemachine import IllegalTransition as IllegalTransition
from services.chassis.statemachine import StateMachine

# -- vocabulary -----------------------------------------------------------------------

CATEGORIES: dict[str, tuple[str, str]] = {
    # code: (group, zh-CN name)
    "hazard_fire": ("hazard", "消防安全隐患"),
    "hazard_building": ("hazard", "房屋建筑安全隐患"),
    "hazard_electrical": ("hazard", "用电安全隐患"),
    "hazard_gas": ("hazard", "燃气安全隐患"),
    "hazard_slope": ("hazard", "边坡及地质灾害隐患"),
    "dispute_neighbour": ("dispute", "邻里纠纷"),
    "dispute_property": ("dispute", "物业管理纠纷"),
    "dispute_labour": ("dispute", "劳动纠纷"),
    "dispute_family": ("dispute", "家庭纠纷"),
    "environment": ("environment", "环境卫生"),
    "public_order": ("public_order", "治安秩序"),
    "other": ("other", "其他事项"),
}
SEVERITIES = ("low", "medium", "high", "critical")
SOURCES = ("inspection", "resident", "intake", "department")

# The deadline of a case by severity, counted from when it was reported (calendar time).
SLA: dict[str, timedelta] = {
    "critical": timedelta(hours=24),
    "high": timedelta(days=3),
    "medium": timedelta(days=7),
    "low": timedelta(days=15),
}
DEFAULT_SEVERITY: dict[str, str] = {
    "hazard_fire": "high",
    "hazard_building": "high",
    "hazard_electrical": "high",
    "hazard_gas": "high",
    "hazard_slope": "high",
    "dispute_neighbour": "medium",
    "dispute_property": "medium",
    "dispute_labour": "medium",
    "dispute_family": "medium",
    "environment": "low",
    "public_order": "medium",
    "other": "low",
}

REOPEN_WINDOW = timedelta(days=7)
DUPLICATE_RADIUS_M = 50.0
EARTH_RADIUS_M = 6_371_008.8  # IUGG mean radius

ESCALATION_LEVELS = ("community", "subdistrict", "district")
CLOSED_KINDS = ("resolved", "duplicate", "rejected")

OPEN_STATUSES = frozenset({"reported", "accepted", "in_progress", "referred", "escalated"})
STATUSES = ("reported", "accepted", "in_progress", "referred", "escalated", "resolved", "verified", "closed")


def category_group(category: str) -> str:
    return CATEGORIES[category][0]


def is_dispute(category: str) -> bool:
    return category_group(category) == "dispute"


def due_at(reported_at: datetime, severity: str) -> datetime:
    """The deadline of a case of `severity` reported at `reported_at`."""
    return reported_at + SLA[severity]


def is_open(status: str) -> bool:
    return status in OPEN_STATUSES


# -- errors (mapped to problem+json by the chassis) -----------------------------------


class SelfVerification(Exception):
    """Four eyes: whoever resolved a case may not verify it."""

    problem_status = 403
    problem_type = "self-verification"
    detail = "The person who resolved a case cannot verify it; another person must check it."


# -- lifecycle ------------------------------------------------------------------------

CASE_LIFECYCLE = StateMachine(
    "case",
    {
        "accept": (("reported",), "accepted"),
        "start": (("accepted", "referred", "escalated"), "in_progress"),
        "resolve": (("accepted", "in_progress", "referred", "escalated"), "resolved"),
        "verify": (("resolved",), "verified"),
        "close": (("verified",), "closed"),
        "reject": (("reported", "accepted"), "closed"),
        "mark_duplicate": (("reported", "accepted"), "closed"),
        "refer": (("reported", "accepted", "in_progress", "escalated"), "referred"),
        "escalate": (("reported", "accepted", "in_progress", "referred"), "escalated"),
        "reopen": (("resolved", "verified", "closed"), "accepted"),
        # the periodic check: an open case overdue by a whole SLA again goes one level up,
        # whatever step it is at (an escalated case goes on to the district)
        "escalate_overdue": (tuple(sorted(OPEN_STATUSES)), "escalated"),
    },
)
# The steps people take through the API (escalate_overdue is the worker's alone).
ACTIONS = tuple(action for action in CASE_LIFECYCLE.actions if action != "escalate_overdue")
CLOSED_KIND_OF = {"close": "resolved", "reject": "rejected", "mark_duplicate": "duplicate"}


@dataclass
class CaseState:
    """What the lifecycle rules need to know about a case."""

    status: str
    severity: str
    reported_at: datetime
    due_at: datetime
    closed_kind: str | None = None
    resolved_at: datetime | None = None
    resolved_by: str | None = None
    escalation_level: int = 0


def check_step(case: CaseState, action: str, *, actor: str, now: datetime) -> str:
    """The status `action` leads the case to now; `IllegalTransition` (409) if it may not."""
    target = CASE_LIFECYCLE.target(case.status, action)
    if action == "reopen":
        if case.status == "closed" and case.closed_kind != "resolved":
            raise CASE_LIFECYCLE.refusal(
                case.status, action, reason=f"it was closed as {case.closed_kind}, not resolved"
            )
        if case.resolved_at is None or now - case.resolved_at > REOPEN_WINDOW:
            raise CASE_LIFECYCLE.refusal(
                case.status, action, reason="the 7 days to reopen after resolution have passed"
            )
    if action == "verify" and case.resolved_by == actor:
        raise SelfVerification()
    return target


def on_time(resolved_at: datetime, deadline: datetime) -> bool:
    return resolved_at <= deadline


def is_overdue(case: CaseState, now: datetime) -> bool:
    """Open and past its deadline."""
    return is_open(case.status) and now > case.due_at


def escalation_due(case: CaseState, now: datetime) -> bool:
    """Open and overdue by more than its SLA again: time to escalate one level up."""
    return is_open(case.status) and now > case.due_at + SLA[case.severity]


def next_escalation_level(current: int) -> int:
    return min(current + 1, len(ESCALATION_LEVELS) - 1)


def escalation_level_name(level: int) -> str:
    return ESCALATION_LEVELS[level]


def severity_from_urgency(category: str, urgency: str | None) -> str:
    """Open311 `urgency`: normal keeps the default, urgent one step up, danger critical."""
    base = DEFAULT_SEVERITY[category]
    if urgency == "immediate_danger":
        return "critical"
    if urgency == "urgent":
        return SEVERITIES[min(SEVERITIES.index(base) + 1, len(SEVERITIES) - 1)]
    return base


# -- location -------------------------------------------------------------------------


def distance_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in metres (haversine on a sphere of the mean Earth radius)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def bounding_box(lon: float, lat: float, radius_m: float) -> tuple[float, float, float, float]:
    """(min_lon, min_lat, max_lon, max_lat) enclosing the circle (a cheap index prefilter)."""
    dlat = math.degrees(radius_m / EARTH_RADIUS_M)
    dlon = math.degrees(radius_m / (EARTH_RADIUS_M * max(math.cos(math.radians(lat)), 1e-6)))
    return lon - dlon, lat - dlat, lon + dlon, lat + dlat


def within_duplicate_radius(lon1: float, lat1: float, lon2: float, lat2: float) -> bool:
    return distance_m(lon1, lat1, lon2, lat2) <= DUPLICATE_RADIUS_M


def public_coordinates(
    category: str, lon: float | None, lat: float | None
) -> tuple[float | None, float | None]:
    """What the public may see of a case's location: none for disputes, else ~100 m."""
    if lon is None or lat is None or is_dispute(category):
        return None, None
    return round(lon, 3), round(lat, 3)
