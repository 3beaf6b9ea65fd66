"""Desk analytics per community and date range: arrivals, waits, service, utilisation, ratings.

Every query filters tickets by (community, issued_at), the `ix_tickets_community_issued`
index. Percentiles come from PostgreSQL's `percentile_cont`; on SQLite (embedded mode)
the values are fetched and interpolated the same way in Python.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, literal, select

from services.chassis.db import UnitOfWork

from .domain import TicketStatus
from .models import Feedback, Ticket, Window
from .simulation import percentile
from .workdays import local_day_bounds


def period_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """UTC instants of [first 00:00, last+1 00:00) Shanghai time."""
    return local_day_bounds(first)[0], local_day_bounds(last)[1]


def _in_period(community: str, start: datetime, end: datetime) -> list[Any]:
    return [Ticket.community == community, Ticket.issued_at >= start, Ticket.issued_at < end]


def distribution(uow: UnitOfWork, group: Any, value: Any,
                 where: list[Any]) -> dict[Any, dict[str, Any]]:
    """count, mean, p50 and p90 of `value` per `group` (rows where value is set)."""
    where = [*where, value.is_not(None)]
    result: dict[Any, dict[str, Any]] = {}
    if uow.database.is_postgres:
        rows = uow.session.execute(
            select(group, func.count(value), func.avg(value),
                   func.percentile_cont(0.5).within_group(value),
                   func.percentile_cont(0.9).within_group(value))
            .where(*where).group_by(group))
        for key, count, mean, p50, p90 in rows:
            result[key] = {"count": int(count), "mean": round(float(mean), 1),
                           "p50": round(float(p50), 1), "p90": round(float(p90), 1)}
        return result
    values: dict[Any, list[float]] = defaultdict(list)
    for key, number in uow.session.execute(select(group, value).where(*where)):
        values[key].append(float(number))
    for key, numbers in values.items():
        result[key] = {"count": len(numbers), "mean": round(statistics.fmean(numbers), 1),
                       "p50": round(percentile(numbers, 0.5), 1),
                       "p90": round(percentile(numbers, 0.9), 1)}
    return result


def _overall(uow: UnitOfWork, value: Any, where: list[Any]) -> dict[str, Any]:
    found = distribution(uow, literal("all"), value, where)
    return found.get("all", {"count": 0, "mean": None, "p50": None, "p90": None})


def summary(uow: UnitOfWork, community: str, first: date, last: date) -> dict[str, Any]:
    """Arrivals, waits and service times by type, window and hour; utilisation; ratings."""
    start, end = period_bounds(first, last)
    where = _in_period(community, start, end)
    arrivals = dict(uow.session.execute(
        select(Ticket.business_type, func.count()).where(*where)
        .group_by(Ticket.business_type)).all())
    by_status = dict(uow.session.execute(
        select(Ticket.status, func.count()).where(*where).group_by(Ticket.status)).all())
    hourly = dict(uow.session.execute(
        select(Ticket.local_hour, func.count()).where(*where).group_by(Ticket.local_hour)).all())
    waits_by_type = distribution(uow, Ticket.business_type, Ticket.wait_seconds, where)
    service_by_type = distribution(uow, Ticket.business_type, Ticket.service_seconds, where)
    waits_by_hour = distribution(uow, Ticket.local_hour, Ticket.wait_seconds, where)
    service_by_window = distribution(uow, Ticket.window_id, Ticket.service_seconds, where)
    completed = by_status.get(TicketStatus.COMPLETED, 0)
    no_show = by_status.get(TicketStatus.NO_SHOW, 0)
    return {
        "community": community, "from": first, "to": last,
        "arrivals": sum(arrivals.values()),
        "completed": completed,
        "no_shows": no_show,
        "no_show_rate": round(no_show / (completed + no_show), 4) if completed + no_show else None,
        "wait_seconds": _overall(uow, Ticket.wait_seconds, where),
        "service_seconds": _overall(uow, Ticket.service_seconds, where),
        "by_business_type": [
            {"business_type": code, "arrivals": count,
             "wait_seconds": waits_by_type.get(code), "service_seconds": service_by_type.get(code)}
            for code, count in sorted(arrivals.items())],
        "by_hour": [{"hour": hour, "arrivals": count, "wait_seconds": waits_by_hour.get(hour)}
                    for hour, count in sorted(hourly.items())],
        "by_window": _windows(uow, community, where, service_by_window),
        "satisfaction": _satisfaction(uow, community, start, end),
    }


def _windows(uow: UnitOfWork, community: str, where: list[Any],
             service: dict[Any, dict[str, Any]]) -> list[dict[str, Any]]:
    """Per window: tickets served, service times, and utilisation = busy / present time.

    Present time of a window on a day runs from its first call to its last finish; the
    desk records no shift log, so this measures the time staff were actually at work.
    """
    rows = uow.session.execute(
        select(Ticket.window_id, Ticket.local_date, func.min(Ticket.called_at),
               func.max(Ticket.finished_at), func.sum(Ticket.service_seconds))
        .where(*where, Ticket.window_id.is_not(None), Ticket.finished_at.is_not(None))
        .group_by(Ticket.window_id, Ticket.local_date))
    busy: dict[str, float] = defaultdict(float)
    present: dict[str, float] = defaultdict(float)
    for window_id, _, first_call, last_finish, service_sum in rows:
        busy[window_id] += float(service_sum or 0)
        if first_call and last_finish:
            present[window_id] += max(0.0, (last_finish - first_call).total_seconds())
    numbers = dict(uow.session.execute(
        select(Window.id, Window.number).where(Window.community == community)).all())
    return [{"window_id": window_id, "window_number": numbers.get(window_id),
             "service_seconds": service.get(window_id),
             "utilisation": round(busy[window_id] / present[window_id], 4)
             if present[window_id] else None}
            for window_id in sorted(busy, key=lambda w: numbers.get(w) or 0)]


def _satisfaction(uow: UnitOfWork, community: str, start: datetime,
                  end: datetime) -> dict[str, Any]:
    rows = dict(uow.session.execute(
        select(Feedback.score, func.count())
        .where(Feedback.community == community, Feedback.recorded_at >= start,
               Feedback.recorded_at < end).group_by(Feedback.score)).all())
    total = sum(rows.values())
    mean = sum(score * count for score, count in rows.items()) / total if total else None
    return {"count": total, "mean_score": round(mean, 2) if mean is not None else None,
            "distribution": {str(score): rows.get(score, 0) for score in range(1, 6)}}
