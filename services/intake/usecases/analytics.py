"""Desk analytics per community and date range: arrivals, waits, service, utilisation, ratings.

Figures come from one pass over the period's tickets (`desk_stats.collect`), filtered by
(community, issued_at): the covering index `ix_tickets_community_issued`.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select

from services.chassis.unit_of_work import UnitOfWork

from ..domain.workdays import local_day_bounds
from ..models import Feedback, Ticket, Window
from . import desk_stats


def period_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """UTC instants of [first 00:00, last+1 00:00) local time."""
    return local_day_bounds(first)[0], local_day_bounds(last)[1]


def in_period(community: str, start: datetime, end: datetime) -> list[Any]:
    return [Ticket.community == community, Ticket.issued_at >= start, Ticket.issued_at < end]


def summary(uow: UnitOfWork, community: str, first: date, last: date) -> dict[str, Any]:
    """Arrivals, waits and service times by type, window and hour; utilisation; ratings."""
    start, end = period_bounds(first, last)
    stats = desk_stats.collect(uow, community, start, end)
    overall = stats.overall
    finished = overall.completed + overall.no_shows
    return {
        "community": community,
        "from": first,
        "to": last,
        "arrivals": overall.arrivals,
        "completed": overall.completed,
        "no_shows": overall.no_shows,
        "no_show_rate": round(overall.no_shows / finished, 4) if finished else None,
        "wait_seconds": overall.wait,
        "service_seconds": overall.service,
        "by_business_type": [
            {
                "business_type": code,
                "arrivals": cell.arrivals,
                "wait_seconds": cell.wait,
                "service_seconds": cell.service,
            }
            for code, cell in sorted(stats.by["business_type"].items())
        ],
        "by_hour": [
            {"hour": hour, "arrivals": cell.arrivals, "wait_seconds": cell.wait}
            for hour, cell in sorted(stats.by["local_hour"].items())
        ],
        "by_window": _windows(uow, community, stats),
        "satisfaction": _satisfaction(uow, community, start, end),
    }


def _windows(uow: UnitOfWork, community: str, stats: desk_stats.DeskStats) -> list[dict[str, Any]]:
    """Per window: tickets served, service times, and utilisation = busy / present time.

    Present time of a window on a day runs from its first call to its last finish; the
    desk records no shift log, so this measures the time staff were actually at work.
    """
    busy: dict[str, float] = defaultdict(float)
    present: dict[str, float] = defaultdict(float)
    for (window_id, _), cell in stats.window_days.items():
        if window_id is None:
            continue
        busy[window_id] += cell.busy_seconds
        if cell.first_call and cell.last_finish:
            present[window_id] += max(0.0, (cell.last_finish - cell.first_call).total_seconds())
    numbers = dict(
        uow.session.execute(select(Window.id, Window.number).where(Window.community == community)).all()
    )
    served = {w: c for w, c in stats.by["window_id"].items() if w is not None}
    return [
        {
            "window_id": window_id,
            "window_number": numbers.get(window_id),
            "served": cell.completed,
            "service_seconds": cell.service,
            "utilisation": round(busy[window_id] / present[window_id], 4) if present[window_id] else None,
        }
        for window_id, cell in sorted(served.items(), key=lambda w: numbers.get(w[0]) or 0)
    ]


def _satisfaction(uow: UnitOfWork, community: str, start: datetime, end: datetime) -> dict[str, Any]:
    rows = dict(
        uow.session.execute(
            select(Feedback.score, func.count())
            .where(Feedback.community == community, Feedback.recorded_at >= start, Feedback.recorded_at < end)
            .group_by(Feedback.score)
        ).all()
    )
    total = sum(rows.values())
    mean = sum(score * count for score, count in rows.items()) / total if total else None
    return {
        "count": total,
        "mean_score": round(mean, 2) if mean is not None else None,
        "distribution": {str(score): rows.get(score, 0) for score in range(1, 6)},
    }
