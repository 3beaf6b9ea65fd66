"""`community simulate`: replay a day of arrivals through dedicated and pooled windows."""

from __future__ import annotations

import json
from datetime import date

import click

from services.chassis import clock
from services.chassis.config import COMMUNITIES, Settings

from .domain import queueing
from .domain.simulation import ServiceSampler, compare
from .settings import IntakeSettings
from .usecases import replay


@click.command()
@click.option("--community", type=click.Choice(COMMUNITIES), required=True)
@click.option(
    "--from",
    "first",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="First day of the measured period (default: 30 days ago).",
)
@click.option(
    "--to",
    "last",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Last day of the measured period (default: today).",
)
@click.option(
    "--day",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Day whose arrivals are replayed (default: the busiest of the period).",
)
@click.option(
    "--windows",
    "staff",
    type=int,
    default=None,
    help="Staff (windows) in both layouts (default: as measured).",
)
@click.option("--replications", type=click.IntRange(1, 1000), default=20, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True)
@click.option(
    "--synthetic",
    type=int,
    default=0,
    help="No history yet: simulate this many made-up arrivals from the catalogue.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def simulate(
    community: str,
    first: object,
    last: object,
    day: object,
    staff: int | None,
    replications: int,
    seed: int,
    synthetic: int,
    as_json: bool,
) -> None:
    """Replay a day at the intake desk through dedicated and pooled windows (simulation)."""
    from services.chassis.runtime import Runtime

    from . import models
    from .usecases import desk_stats, pooling
    from .usecases.analytics import period_bounds

    settings = Settings.from_env("intake")
    runtime = Runtime(settings, models.Base.metadata)
    hours = runtime.service_settings(IntakeSettings).service_hours_per_day
    start, end = replay.default_period(clock.local_today())
    start = first.date() if first else start  # type: ignore[attr-defined]
    end = last.date() if last else end  # type: ignore[attr-defined]
    with runtime.unit_of_work() as uow:
        if synthetic:
            arrivals, samples = replay.synthetic_day(uow, community, synthetic, hours, seed)
            replayed: date | str = "synthetic"
        else:
            chosen = (
                day.date()
                if day  # type: ignore[attr-defined]
                else replay.busiest_day(uow, community, start, end)
            )
            arrivals = replay.day_arrivals(uow, community, chosen) if chosen else []
            samples = replay.service_samples(uow, community, start, end)
            replayed = chosen or "none"
        if not arrivals or not samples:
            raise click.ClickException(
                f"No measured arrivals or service times for {community} in {start}..{end}; "
                "serve some tickets first, or pass --synthetic N."
            )
        sampler = ServiceSampler(samples)
        stats = desk_stats.collect(uow, community, *period_bounds(start, end))
        staff = staff or pooling.staff_count(uow, community, stats) or 1
        streams = replay.streams_for(arrivals, sampler, hours)
        source, layouts = replay.layouts(uow, community, streams, staff)
    runtime.database.dispose()
    results = compare(arrivals, layouts, sampler, replications=replications, seed=seed)
    pooled = queueing.merge("pooled", streams)
    erlang = queueing.mean_wait(pooled.arrival_rate, pooled.mean_service, staff)
    report = {
        "community": community,
        "day": str(replayed),
        "arrivals": len(arrivals),
        "staff": staff,
        "dedicated_layout": source,
        "replications": replications,
        "erlang_c_pooled_mean_wait_seconds": None if erlang == float("inf") else round(erlang, 1),
        "layouts": [
            {
                "layout": r.label,
                "windows": len(layouts[r.label]),
                "mean_wait_seconds": round(r.mean_wait, 1),
                "p50_wait_seconds": round(r.p50_wait, 1),
                "p90_wait_seconds": round(r.p90_wait, 1),
                "unserved": r.unserved,
            }
            for r in results
        ],
    }
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    click.echo(
        f"{community} {report['day']}: {len(arrivals)} arrivals, {staff} staff, "
        f"{replications} replications (dedicated layout: {source})"
    )
    click.echo(f"{'layout':<10} {'windows':>7} {'mean wait':>10} {'p50':>8} {'p90':>8}")
    for row in report["layouts"]:
        click.echo(
            f"{row['layout']:<10} {row['windows']:>7} {row['mean_wait_seconds']:>9.0f}s "
            f"{row['p50_wait_seconds']:>7.0f}s {row['p90_wait_seconds']:>7.0f}s"
        )
    click.echo(f"Erlang C prediction for the pooled layout: {report['erlang_c_pooled_mean_wait_seconds']} s")


COMMANDS = [simulate]
