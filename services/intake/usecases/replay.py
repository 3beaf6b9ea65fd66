"""Inputs of the `community simulate` command, read from the desk's own records."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select

from services.chassis.unit_of_work import UnitOfWork

from ..domain.simulation import Arrival, ServiceSampler, SimWindow
from ..domain.workdays import local_day_bounds
from ..models import BusinessType, Ticket
from . import pooling
from .analytics import in_period, period_bounds


def busiest_day(uow: UnitOfWork, community: str, first: date, last: date) -> date | None:
    """The day with the most arrivals in the period."""
    start, end = period_bounds(first, last)
    row = uow.session.execute(
        select(Ticket.local_date, func.count().label("n"))
        .where(*in_period(community, start, end))
        .group_by(Ticket.local_date)
        .order_by(func.count().desc(), Ticket.local_date)
        .limit(1)
    ).first()
    return row[0] if row else None


def day_arrivals(uow: UnitOfWork, community: str, day: date) -> list[Arrival]:
    """(seconds since the day's first ticket, business type) of every ticket issued that day."""
    start, end = local_day_bounds(day)
    rows = uow.session.execute(
        select(Ticket.issued_at, Ticket.original_business_type)
        .where(*in_period(community, start, end))
        .order_by(Ticket.issued_at)
    ).all()
    if not rows:
        return []
    opened = rows[0][0]
    return [((issued - opened).total_seconds(), code) for issued, code in rows]


def service_samples(uow: UnitOfWork, community: str, first: date, last: date) -> dict[str, list[float]]:
    """Measured service seconds of completed tickets, per business type."""
    start, end = period_bounds(first, last)
    samples: dict[str, list[float]] = defaultdict(list)
    for code, seconds in uow.session.execute(
        select(Ticket.business_type, Ticket.service_seconds).where(
            *in_period(community, start, end), Ticket.service_seconds.is_not(None)
        )
    ):
        samples[code].append(float(seconds))
    return dict(samples)


def synthetic_day(
    uow: UnitOfWork, community: str, arrivals: int, hours: float, seed: int
) -> tuple[list[Arrival], dict[str, list[float]]]:
    """A made-up day from the catalogue (uniform arrivals, exponential service around the
    typical minutes) for a desk with no history yet; clearly not a measurement."""
    rng = random.Random(seed)
    types = dict(
        uow.session.execute(
            select(BusinessType.code, BusinessType.typical_minutes).where(BusinessType.community == community)
        ).all()
    )
    if not types:
        return [], {}
    codes = sorted(types)
    day = sorted((rng.uniform(0, hours * 3600), rng.choice(codes)) for _ in range(arrivals))
    samples = {c: [rng.expovariate(1 / (60 * types[c])) for _ in range(200)] for c in codes}
    return day, samples


def layouts(
    uow: UnitOfWork, community: str, streams: list[Any], staff: int
) -> tuple[str, dict[str, list[SimWindow]]]:
    """The dedicated layout of the pooling report and the pooled one, as simulated windows."""
    source, queues = pooling.dedicated_queues(uow, community, streams, staff)
    dedicated = [SimWindow(frozenset(stream.types)) for stream, count in queues for _ in range(count)]
    return source, {"dedicated": dedicated, "pooled": [SimWindow() for _ in range(staff)]}


def streams_for(arrivals: list[Arrival], sampler: ServiceSampler, hours: float) -> list[Any]:
    """Per-type streams of one day, for laying out the dedicated windows."""
    counts: dict[str, int] = defaultdict(int)
    for _, code in arrivals:
        counts[code] += 1
    return [
        pooling.Stream(
            code,
            (code,),
            n / (hours * 3600),
            sum(sampler.samples.get(code) or sampler.pooled)
            / len(sampler.samples.get(code) or sampler.pooled),
        )
        for code, n in sorted(counts.items())
    ]


def default_period(today: date) -> tuple[date, date]:
    return today - timedelta(days=30), today
