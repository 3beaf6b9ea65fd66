"""A year of huaguoshan's events from intake, grid and contracts, and the metrics they make."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from tests.unit.evaluation import producers as p

COMMUNITY = "huaguoshan"
WAITS = [30, 60, 90, 120, 300, 600, 900, 1200, 1800, 3600]
RATINGS = [5, 4, 4, 3, 5]


def at(month: int, day: int, hour: int = 4, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


def _ids(n: int) -> list[str]:
    return [str(uuid.uuid4()) for _ in range(n)]


def _resolved(month: int, day: int, *, on_time: bool) -> dict[str, Any]:
    return {"resolved_at": at(month, day).isoformat(), "on_time": on_time}


def _grid_case(
    case_id: str, month: int, *steps: tuple[str, dict[str, Any]], first_sequence: int = 1, **common: Any
) -> list[dict[str, Any]]:
    """The steps of one grid case reported on the 1st of `month` and due on the 3rd, in order."""
    return [
        p.grid_case(
            step,
            COMMUNITY,
            case_id,
            reported_at=at(month, 1),
            due_at=at(month, 3),
            sequence=number,
            **common,
            **extra,
        )
        for number, (step, extra) in enumerate(steps, start=first_sequence)
    ]


def events() -> list[dict[str, Any]]:
    """Every event of the story, in publication order."""
    out: list[dict[str, Any]] = []
    # 2025-12-31 16:30 UTC is 00:30 on 1 January in Shenzhen: it belongs to 2026.
    completed = [datetime(2025, 12, 31, 16, 30, tzinfo=UTC)] + [at(3, d) for d in range(1, 10)]
    out += [p.ticket(COMMUNITY, when, wait) for when, wait in zip(completed, WAITS, strict=True)]
    out.append(p.ticket(COMMUNITY, datetime(2026, 12, 31, 16, 30, tzinfo=UTC), 9999))  # 2027
    out.append(p.ticket("chiwan", at(3, 1), 5000))
    out += [p.rating(COMMUNITY, at(4, d + 1), score) for d, score in enumerate(RATINGS)]
    g1, g2, g3, g4, g5, i1 = _ids(6)
    out += _grid_case(g1, 3, ("reported", {}), ("resolved", _resolved(3, 2, on_time=True)))
    out += _grid_case(
        g2,
        4,
        ("reported", {}),
        ("resolved", _resolved(4, 5, on_time=False)),
        ("reopened", {}),
        ("resolved", _resolved(4, 8, on_time=False)),
    )
    # a referral from intake: the intake case measures it, so it is not counted twice
    out += _grid_case(g3, 2, ("resolved", _resolved(2, 2, on_time=True)), first_sequence=2, source="intake")
    out += _grid_case(g4, 5, ("reported", {}), ("overdue", {}))
    out += _grid_case(g5, 6, ("reported", {}), ("closed", {"closed_kind": "invalid"}))
    out += [
        p.intake_case(step, COMMUNITY, i1, opened_at=at(2, 1), due_at=at(2, 10), sequence=number, **extra)
        for number, (step, extra) in enumerate(
            (
                ("opened", {}),
                ("resolved", _resolved(2, 5, on_time=True)),
                ("closed", {"closed_at": at(2, 6).isoformat()}),
            ),
            start=1,
        )
    ]
    out += [
        p.inspection(COMMUNITY, cell, at(month, day))
        for cell, month, day in (("HGS-01", 3, 15), ("HGS-01", 4, 15), ("HGS-02", 4, 16), ("HGS-02", 4, 20))
    ]
    contract, provider, milestone = _ids(3)
    out += [
        p.event(
            p.CONTRACT_ACTIVATED,
            {
                "contract_id": contract,
                "provider_id": provider,
                "value_fen": 120_000_000,
                "period_start": "2026-01-01",
                "period_end": "2026-12-31",
                "package_codes": ["GRID"],
                "activated_at": at(1, 5).isoformat(),
            },
            subject=contract,
            community=COMMUNITY,
        ),
        p.event(
            p.MILESTONE_DUE,
            {
                "contract_id": contract,
                "milestone_id": milestone,
                "due_date": "2026-06-30",
                "amount_fen": 30_000_000,
            },
            subject=contract,
            community=COMMUNITY,
            sequence=2,
        ),
        p.event(
            p.PAYMENT_MADE,
            {
                "payment_id": str(uuid.uuid4()),
                "contract_id": contract,
                "milestone_id": milestone,
                "amount_fen": 30_000_000,
                "paid_at": at(7, 2).isoformat(),
            },
            subject=contract,
            community=COMMUNITY,
            sequence=3,
        ),
    ]
    return out


EXPECTED = {
    "tickets_served": 10.0,
    "wait_p50_seconds": 450.0,  # between 300 and 600
    "wait_p90_seconds": 1980.0,  # 1800 + 0.1 × (3600 − 1800)
    "satisfaction_mean": 4.2,
    "satisfaction_count": 5.0,
    "cases_resolved": 3.0,  # g1, g2 (again in April), i1; g3 is intake's referral
    "case_on_time_rate": 0.5,  # g1 and i1 on time; g2 late; g4 overdue and open
    "reopen_rate": 0.3333,  # g2 of g1, g2, i1
    "inspections_done": 4.0,
    "inspections_planned": 20.0,  # HGS-01 (seen with g3) Feb..Dec: 11, HGS-02 Apr..Dec: 9
    "inspection_coverage": 0.15,  # 3 of 20 cell-months
    "milestones_due": 1.0,
    "milestones_met": 1.0,
    "milestone_met_rate": 1.0,
}


def equivalent(event: dict[str, Any]) -> dict[str, Any]:
    """The same fact published again under a new event id (e.g. a producer's retry)."""
    return {**event, "id": str(uuid.uuid4())}
