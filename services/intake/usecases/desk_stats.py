"""One pass over a community's tickets of a period: counts and time distributions by
business type, hour, window and window-day (the raw material of analytics and pooling).

On PostgreSQL this is a single `GROUPING SETS` query with `percentile_cont`, served by
the covering index `ix_tickets_community_issued` (index-only scan). On SQLite
(embedded mode) the rows are fetched once and aggregated the same way in Python.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select, text

from services.chassis.unit_of_work import UnitOfWork

from ..domain.simulation import percentile
from ..models import Ticket

DIMENSIONS = ("business_type", "local_hour", "window_id")
WORK_MEM = "64MB"
EMPTY = {"count": 0, "mean": None, "p50": None, "p90": None}

_PG_QUERY = text("""
SELECT GROUPING(business_type) AS g_type, GROUPING(local_hour) AS g_hour,
       GROUPING(window_id) AS g_window, GROUPING(local_date) AS g_date,
       business_type, local_hour, window_id, local_date,
       count(*) AS arrivals,
       count(*) FILTER (WHERE status = 'completed') AS completed,
       count(*) FILTER (WHERE status = 'no_show') AS no_shows,
       count(wait_seconds), avg(wait_seconds),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY wait_seconds),
       percentile_cont(0.9) WITHIN GROUP (ORDER BY wait_seconds),
       count(service_seconds), avg(service_seconds),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY service_seconds),
       percentile_cont(0.9) WITHIN GROUP (ORDER BY service_seconds),
       min(called_at), max(finished_at), sum(service_seconds)
FROM tickets
WHERE community = :community AND issued_at >= :start AND issued_at < :end
GROUP BY GROUPING SETS ((business_type), (local_hour), (window_id), (window_id, local_date), ())
""")


@dataclass
class Cell:
    """Counts and distributions of one group."""

    arrivals: int = 0
    completed: int = 0
    no_shows: int = 0
    wait: dict[str, Any] = field(default_factory=lambda: dict(EMPTY))
    service: dict[str, Any] = field(default_factory=lambda: dict(EMPTY))
    first_call: datetime | None = None
    last_finish: datetime | None = None
    busy_seconds: float = 0.0


@dataclass
class DeskStats:
    overall: Cell
    by: dict[str, dict[Any, Cell]]
    window_days: dict[tuple[Any, Any], Cell]


def _dist(count: int, mean: Any, p50: Any, p90: Any) -> dict[str, Any]:
    if not count:
        return dict(EMPTY)
    return {
        "count": int(count),
        "mean": round(float(mean), 1),
        "p50": round(float(p50), 1),
        "p90": round(float(p90), 1),
    }


def _from_python(values: list[float]) -> dict[str, Any]:
    if not values:
        return dict(EMPTY)
    return _dist(len(values), statistics.fmean(values), percentile(values, 0.5), percentile(values, 0.9))


def collect(uow: UnitOfWork, community: str, start: datetime, end: datetime) -> DeskStats:
    """The desk's statistics for [start, end)."""
    if uow.database.is_postgres:
        return _collect_postgres(uow, community, start, end)
    return _collect_python(uow, community, start, end)


def _collect_postgres(uow: UnitOfWork, community: str, start: datetime, end: datetime) -> DeskStats:
    stats = DeskStats(Cell(), {d: {} for d in DIMENSIONS}, {})
    # room for the percentile sorts of a busy month in memory (this transaction only)
    uow.session.execute(text(f"SET LOCAL work_mem = '{WORK_MEM}'"))
    rows = uow.session.execute(_PG_QUERY, {"community": community, "start": start, "end": end})
    for row in rows:
        (
            g_type,
            g_hour,
            g_window,
            g_date,
            code,
            hour,
            window,
            day,
            arrivals,
            completed,
            no_shows,
            wn,
            wmean,
            w50,
            w90,
            sn,
            smean,
            s50,
            s90,
            first,
            last,
            busy,
        ) = row
        cell = Cell(
            int(arrivals),
            int(completed),
            int(no_shows),
            _dist(wn, wmean, w50, w90),
            _dist(sn, smean, s50, s90),
            first,
            last,
            float(busy or 0),
        )
        if not g_date:
            stats.window_days[(window, day)] = cell
        elif not g_type:
            stats.by["business_type"][code] = cell
        elif not g_hour:
            stats.by["local_hour"][hour] = cell
        elif not g_window:
            stats.by["window_id"][window] = cell
        else:
            stats.overall = cell
    return stats


def _collect_python(uow: UnitOfWork, community: str, start: datetime, end: datetime) -> DeskStats:
    rows = uow.session.execute(
        select(
            Ticket.business_type,
            Ticket.local_hour,
            Ticket.window_id,
            Ticket.local_date,
            Ticket.status,
            Ticket.wait_seconds,
            Ticket.service_seconds,
            Ticket.called_at,
            Ticket.finished_at,
        ).where(Ticket.community == community, Ticket.issued_at >= start, Ticket.issued_at < end)
    ).all()
    groups: dict[tuple[str, Any], list[Any]] = defaultdict(list)
    for row in rows:
        groups[("all", None)].append(row)
        for index, dimension in enumerate(DIMENSIONS):
            groups[(dimension, row[index])].append(row)
        groups[("window_day", (row.window_id, row.local_date))].append(row)
    stats = DeskStats(Cell(), {d: {} for d in DIMENSIONS}, {})
    for (dimension, key), members in groups.items():
        calls = [r.called_at for r in members if r.called_at is not None]
        finishes = [r.finished_at for r in members if r.finished_at is not None]
        cell = Cell(
            arrivals=len(members),
            completed=sum(r.status == "completed" for r in members),
            no_shows=sum(r.status == "no_show" for r in members),
            wait=_from_python([r.wait_seconds for r in members if r.wait_seconds is not None]),
            service=_from_python([r.service_seconds for r in members if r.service_seconds is not None]),
            first_call=min(calls) if calls else None,
            last_finish=max(finishes) if finishes else None,
            busy_seconds=float(sum(r.service_seconds or 0 for r in members)),
        )
        if dimension == "all":
            stats.overall = cell
        elif dimension == "window_day":
            stats.window_days[key] = cell
        else:
            stats.by[dimension][key] = cell
    return stats
