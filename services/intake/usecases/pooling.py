"""The pooling report: what the same staff would make residents wait, dedicated vs pooled.

From the measured arrivals and service times of a community and period: each business
type is a Poisson stream with its measured rate and mean service time. The dedicated
layout is the community's own dedicated windows (grouped by skill set) when it runs
them, else the old way: one queue per department, the same staff spread over the
departments for the least waiting. The pooled layout serves every stream from one
queue with every window (Erlang C, M/M/c). Measured waits stand beside the predictions.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import func, select

from services.chassis.unit_of_work import UnitOfWork

from ..domain import queueing
from ..domain.queueing import Stream
from ..models import BusinessType, Window
from . import desk_stats
from .analytics import period_bounds


def measured_streams(
    stats: desk_stats.DeskStats, typical: dict[str, int], hours_per_day: float, open_days: int
) -> tuple[list[Stream], dict[str, Any]]:
    """Per business type: arrival rate (per second of opening time) and mean service time."""
    seconds_open = open_days * hours_per_day * 3600
    streams, measured = [], {}
    for code, cell in sorted(stats.by["business_type"].items()):
        mean_service = cell.service["mean"]
        service = float(mean_service) if mean_service else 60.0 * typical.get(code, 10)
        rate = cell.arrivals / seconds_open if seconds_open else 0.0
        streams.append(Stream(code, (code,), rate, service))
        measured[code] = {"arrivals": cell.arrivals, "mean_wait_seconds": cell.wait["mean"]}
    return streams, measured


def staff_count(uow: UnitOfWork, community: str, stats: desk_stats.DeskStats) -> int:
    """Windows that served in the period (else the community's windows that are not closed)."""
    served = sum(1 for window_id in stats.by["window_id"] if window_id is not None)
    if served:
        return served
    return int(
        uow.session.scalar(
            select(func.count())
            .select_from(Window)
            .where(Window.community == community, Window.status != "closed")
        )
        or 0
    )


def dedicated_queues(
    uow: UnitOfWork, community: str, streams: list[Stream], staff: int
) -> tuple[str, list[tuple[Stream, int]]]:
    """The dedicated layout: current dedicated windows, else one queue per department."""
    windows = uow.session.scalars(
        select(Window).where(Window.community == community, Window.status != "closed")
    ).all()
    by_type = {s.label: s for s in streams}
    if windows and all(w.mode == "dedicated" for w in windows):
        groups: dict[frozenset[str], int] = defaultdict(int)
        for window in windows:
            groups[frozenset(window.skills)] += 1
        share = defaultdict(int)
        for skills in groups:
            for code in skills:
                share[code] += 1
        queues = []
        for skills, count in sorted(groups.items(), key=lambda g: sorted(g[0])):
            parts = [
                Stream(c, (c,), by_type[c].arrival_rate / share[c], by_type[c].mean_service)
                for c in sorted(skills)
                if c in by_type
            ]
            queues.append((queueing.merge("+".join(sorted(skills)), parts), count))
        return "current_windows", [(s, c) for s, c in queues if s.types or c]
    departments = dict(
        uow.session.execute(
            select(BusinessType.code, BusinessType.department).where(BusinessType.community == community)
        ).all()
    )
    by_department: dict[str, list[Stream]] = defaultdict(list)
    for stream in streams:
        by_department[departments.get(stream.label, "other")].append(stream)
    merged = [queueing.merge(dept, parts) for dept, parts in sorted(by_department.items())]
    counts = queueing.allocate(merged, staff) if merged else []
    return "per_department", list(zip(merged, counts, strict=True))


def _seconds(value: float) -> float | None:
    return None if math.isinf(value) else round(value, 1)


def report(uow: UnitOfWork, community: str, first: date, last: date, hours_per_day: float) -> dict[str, Any]:
    """Predicted mean waits, dedicated vs pooled, beside the measured ones."""
    start, end = period_bounds(first, last)
    stats = desk_stats.collect(uow, community, start, end)
    open_days = len({day for _, day in stats.window_days})
    typical = dict(
        uow.session.execute(
            select(BusinessType.code, BusinessType.typical_minutes).where(BusinessType.community == community)
        ).all()
    )
    streams, measured = measured_streams(stats, typical, hours_per_day, open_days)
    staff = staff_count(uow, community, stats)
    source, queues = dedicated_queues(uow, community, streams, staff)
    pooled = queueing.merge("pooled", streams) if streams else Stream("pooled", (), 0.0, 0.0)
    dedicated_staff = sum(c for _, c in queues)
    pooled_wait = queueing.mean_wait(pooled.arrival_rate, pooled.mean_service, staff) if staff else math.inf
    return {
        "community": community,
        "from": first,
        "to": last,
        "open_days": open_days,
        "service_hours_per_day": hours_per_day,
        "staff": staff,
        "arrivals": sum(m["arrivals"] for m in measured.values()),
        "pooled": {
            "windows": staff,
            "offered_load": round(pooled.load, 3),
            "utilisation": round(pooled.load / staff, 4) if staff else None,
            "probability_of_waiting": round(queueing.erlang_c(staff, pooled.load), 4) if staff else None,
            "predicted_mean_wait_seconds": _seconds(pooled_wait),
            "stable": not math.isinf(pooled_wait),
        },
        "dedicated": {
            "layout": source,
            "windows": dedicated_staff,
            "predicted_mean_wait_seconds": _seconds(queueing.weighted_wait(queues)),
            "stable": all(s.load < c for s, c in queues),
            "queues": [
                {
                    "label": stream.label,
                    "business_types": list(stream.types),
                    "windows": count,
                    "arrivals_per_hour": round(stream.arrival_rate * 3600, 3),
                    "mean_service_seconds": round(stream.mean_service, 1),
                    "offered_load": round(stream.load, 3),
                    "predicted_mean_wait_seconds": _seconds(
                        queueing.mean_wait(stream.arrival_rate, stream.mean_service, count)
                    ),
                }
                for stream, count in queues
            ],
        },
        "measured": {
            "wait_seconds": stats.overall.wait,
            "by_business_type": [
                {"business_type": code, **values} for code, values in sorted(measured.items())
            ],
        },
    }
