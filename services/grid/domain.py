"""Grid cases: categories, severities and their deadlines, the lifecycle, duplicate radius.

A case (事件) is a hazard, dispute or nuisance found in a grid cell. It moves through
a FixMyStreet-style lifecycle; what the community cannot resolve it refers to the
department that can, or escalates to the subdistrict. Standard library only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

# -- vocabulary -----------------------------------------------------------------------

CATEGORIES: dict[str, tuple[str, str]] = {
    # code: (group, zh-CN name)
    "hazard_fire": ("hazard", "消防安全隱患"),
    "hazard_building": ("hazard", "房屋建築安全隱患"),
    "hazard_electrical": ("hazard", "用電安全隱患"),
    "hazard_gas": ("hazard", "燃氣安全隱患"),
    "hazard_slope": ("hazard", "邊坡及地質災害隱患"),
    "dispute_neighbour": ("dispute", "鄰里糾紛"),
    "dispute_property": ("dispute", "物業管理糾紛"),
    "dispute_labour": ("dispute", "勞動糾紛"),
    "dispute_family": ("dispute", "家庭糾紛"),
    "environment": ("environment", "環境衛生"),
    "public_order": ("public_order", "治安秩序"),
    "other": ("other", "其他事項"),
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


class IllegalTransition(Exception):
    """The case's status does not allow this step."""

    problem_status = 409
    problem_type = "illegal-transition"

    def __init__(
        self, action: str, status: str, allowed_from: frozenset[str], target: str, reason: str | None = None
    ) -> None:
        self.action, self.status = action, status
        sources = " or ".join(sorted(allowed_from))
        detail = (
            f"Cannot {action.replace('_', ' ')} a case that is {status} ({action}: {sources} → {target})."
        )
        if reason:
            detail = f"{detail[:-1]}: {reason}."
        self.detail = detail
        self.extra = {"action": action, "from": status, "to": target}
        super().__init__(detail)


class SelfVerification(Exception):
    """Four eyes: whoever resolved a case may not verify it."""

    problem_status = 403
    problem_type = "self-verification"
    detail = "The person who resolved a case cannot verify it; another person must check it."


# -- lifecycle ------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One action of the lifecycle: from which statuses, to which status."""

    action: str
    sources: frozenset[str]
    target: str


STEPS: dict[str, Step] = {
    s.action: s
    for s in (
        Step("accept", frozenset({"reported"}), "accepted"),
        Step("start", frozenset({"accepted", "referred", "escalated"}), "in_progress"),
        Step("resolve", frozenset({"accepted", "in_progress", "referred", "escalated"}), "resolved"),
        Step("verify", frozenset({"resolved"}), "verified"),
        Step("close", frozenset({"verified"}), "closed"),
        Step("reject", frozenset({"reported", "accepted"}), "closed"),
        Step("mark_duplicate", frozenset({"reported", "accepted"}), "closed"),
        Step("refer", frozenset({"reported", "accepted", "in_progress", "escalated"}), "referred"),
        Step("escalate", frozenset({"reported", "accepted", "in_progress", "referred"}), "escalated"),
        Step("reopen", frozenset({"resolved", "verified", "closed"}), "accepted"),
    )
}
ACTIONS = tuple(STEPS)
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


def check_step(case: CaseState, action: str, *, actor: str, now: datetime) -> Step:
    """The step for `action` if the case allows it now; raise `IllegalTransition` if not."""
    step = STEPS[action]
    if case.status not in step.sources:
        raise IllegalTransition(action, case.status, step.sources, step.target)
    if action == "reopen":
        if case.status == "closed" and case.closed_kind != "resolved":
            raise IllegalTransition(
                action,
                case.status,
                step.sources,
                step.target,
                f"it was closed as {case.closed_kind}, not resolved",
            )
        if case.resolved_at is None or now - case.resolved_at > REOPEN_WINDOW:
            raise IllegalTransition(
                action,
                case.status,
                step.sources,
                step.target,
                "the 7 days to reopen after resolution have passed",
            )
    if action == "verify" and case.resolved_by == actor:
        raise SelfVerification()
    return step


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
