"""Evaluation benchmark: events/s into the metrics read model, and the time to compute a
year's result for a community with 500 000 events recorded (goal: under 2 s), on PostgreSQL.

Measured in one run, side by side:
  ingest   the handler path alone (EventProcessor.process: inbox, raw log, projection, one
           transaction per event) | the real consumer path (messages waiting on a RabbitMQ
           queue, consumed by the worker with manual acks after commit)
  result   closing a round of the default scheme (metrics of the year + scores + result +
           outbox event, one transaction) with 500 000 huaguoshan events of the year
           recorded (raw log and projections, bulk-loaded in SQL) beside 120 000 events of
           the six other communities; and the metrics query alone (median of 5)
  rebuild  replaying the raw log of the ingest runs into the projections (events/s), and
           with --rebuild the whole 620 000-event log after the result

A fresh database is created and dropped, and the RabbitMQ objects are deleted, by the run.
Run: python bench/evaluation.py [--ingest 2000] [--rebuild]
Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust) and RabbitMQ on 127.0.0.1:5672.
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, pool, text  # noqa: E402

from deploy import registry  # noqa: E402
from deploy.demo.evaluation_reference import default_definition  # noqa: E402
from services.chassis import events, migrations  # noqa: E402
from services.chassis.app import Runtime  # noqa: E402
from services.chassis.auth import Principal  # noqa: E402
from services.chassis.config import Settings  # noqa: E402
from services.chassis.consumer import EventProcessor  # noqa: E402
from services.chassis.worker import Worker  # noqa: E402
from services.evaluation import models  # noqa: E402
from services.evaluation.usecases import CONSUMED, metrics, readmodel, rounds, schemes  # noqa: E402

ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
AMQP = "amqp://guest:guest@127.0.0.1:5672/"
YEAR, COMMUNITY, GOAL_SECONDS = 2025, "huaguoshan", 2.0
LOAD_SQL = Path(__file__).with_name("evaluation_load.sql")


def event(name: str, data: dict, subject: str, sequence: int = 1) -> dict:
    return {
        "specversion": "1.0",
        "id": str(uuid.uuid4()),
        "source": f"/services/{name.split('.')[0]}",
        "type": f"{name}.v1",
        "subject": subject,
        "time": datetime.now(UTC).isoformat(),
        "datacontenttype": "application/json",
        "community": COMMUNITY,
        "sequence": str(sequence),
        "data": data,
    }


def mixed_events(count: int) -> list[dict]:
    """A realistic mix: 50 % tickets, 24 % ratings, 22 % case steps, 4 % inspections."""
    out: list[dict] = []
    base = datetime(YEAR, 3, 1, 2, tzinfo=UTC)
    while len(out) < count:
        n = len(out)
        at = (base + timedelta(minutes=n)).isoformat()
        ticket = str(uuid.uuid4())
        out.append(
            event(
                "intake.ticket.completed",
                {
                    "ticket_id": ticket,
                    "number": "A001",
                    "business_type": "social_security",
                    "window_id": "w1",
                    "channel": "onsite",
                    "priority": "normal",
                    "issued_at": at,
                    "called_at": at,
                    "completed_at": at,
                    "wait_seconds": n % 1800,
                    "service_seconds": 300,
                },
                ticket,
            )
        )
        rating = str(uuid.uuid4())
        out.append(
            event(
                "intake.feedback.recorded",
                {
                    "feedback_id": rating,
                    "target_kind": "ticket",
                    "target_id": ticket,
                    "business_type": None,
                    "score": 1 + n % 5,
                    "recorded_at": at,
                },
                rating,
            )
        )
        case = str(uuid.uuid4())
        grid = {
            "case_id": case,
            "case_number": "GC-2025-000001",
            "category": "sanitation",
            "severity": "normal",
            "source": "resident",
            "cell_code": f"HGS-{n % 60:02d}",
            "reported_at": at,
            "due_at": at,
        }
        out.append(event("grid.case.reported", grid, case, 1))
        out.append(
            event(
                "grid.case.resolved",
                {**grid, "source_ref": None, "resolved_at": at, "on_time": True},
                case,
                2,
            )
        )
        if n % 5 == 0:
            inspection = str(uuid.uuid4())
            out.append(
                event(
                    "grid.inspection.completed",
                    {
                        "inspection_id": inspection,
                        "cell_code": f"HGS-{n % 60:02d}",
                        "period": f"{YEAR}-03",
                        "items": 10,
                        "findings": 0,
                        "completed_at": at,
                    },
                    inspection,
                )
            )
    return out[:count]


def bare_transactions(runtime: Runtime, count: int) -> float:
    """Reference: one tiny INSERT + COMMIT per transaction on the same database."""
    with runtime.database.engine.begin() as connection:
        connection.execute(text("CREATE TABLE bench_probe (n integer)"))
    started = time.perf_counter()
    for n in range(count):
        with runtime.database.sessionmaker() as session, session.begin():
            session.execute(text("INSERT INTO bench_probe VALUES (:n)"), {"n": n})
    rate = count / (time.perf_counter() - started)
    with runtime.database.engine.begin() as connection:
        connection.execute(text("DROP TABLE bench_probe"))
    return rate


def handler_path(runtime: Runtime, batch: list[dict]) -> float:
    processor = EventProcessor(runtime.settings, runtime.database, CONSUMED.handlers)
    started = time.perf_counter()
    for item in batch:
        processor.process(item)
    return len(batch) / (time.perf_counter() - started)


def consumer_path(runtime: Runtime, batch: list[dict]) -> tuple[float, float]:
    """Publish the batch to a declared queue, then time the worker draining it."""
    bus = runtime.bus
    assert bus is not None
    with bus.connect() as connection:
        bus.declare(connection, CONSUMED.handlers.keys())
    started = time.perf_counter()
    for item in batch:
        bus.publish_raw(events.encode(item), routing_key=events.event_name(item), message_id=item["id"])
    published = len(batch) / (time.perf_counter() - started)
    worker = Worker(runtime, handlers=CONSUMED.handlers)
    started = time.perf_counter()
    worker.start()
    assert worker.consumer is not None
    while worker.consumer.processed < len(batch):
        if time.perf_counter() - started > 600:
            raise RuntimeError(f"consumer stuck at {worker.consumer.processed}")
        time.sleep(0.01)
    rate = len(batch) / (time.perf_counter() - started)
    worker.stop()
    bus.reset_publisher()
    return published, rate


def delete_broker_objects(runtime: Runtime) -> None:
    bus = runtime.bus
    assert bus is not None
    with bus.connect() as connection:
        channel = connection.default_channel
        for queue in [bus.service_queue(()), bus.dead_queue(), *bus.retry_queues()]:
            channel.queue_delete(queue.name)
        channel.exchange_delete(bus.exchange.name)


def bulk_load(database_url: str) -> dict[str, int]:
    """500 000 huaguoshan events of the year and 120 000 of the others, raw log + projections."""
    import psycopg

    dsn = database_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn) as connection:
        connection.execute(LOAD_SQL.read_text(encoding="utf-8"))  # several statements, no params
        counts = dict(
            connection.execute("SELECT community, count(*) FROM metric_events GROUP BY community").fetchall()
        )
        counts["bytes"] = connection.execute("SELECT pg_total_relation_size('metric_events')").fetchone()[0]
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")
    return counts


def person(role: str) -> Principal:
    return Principal(
        sub=f"bench-{role}", name=role, roles=frozenset({role}), communities=frozenset({COMMUNITY}), claims={}
    )


def open_scored_round(runtime: Runtime) -> str:
    with runtime.unit_of_work() as uow:
        scheme = schemes.create_scheme(
            uow,
            person("committee_member"),
            {"community": COMMUNITY, "year": YEAR, "contract_id": None, **default_definition("花果山")},
        )
        opened = rounds.open_round(uow, person("committee_member"), {"scheme_id": scheme.id})
        codes = ["P1", "P2", "O1", "E1", "E2", "S2", "F1", "F2"]
        for role, party in (
            ("committee_member", "committee"),
            ("subdistrict_officer", "subdistrict"),
            ("evaluator", "third_party"),
        ):
            rounds.submit_scores(
                uow,
                person(role),
                opened.id,
                {"party": party, "scores": [{"indicator": c, "score": metrics.Decimal(85)} for c in codes]},
            )
        uow.commit()
        return opened.id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ingest", type=int, default=2000, help="events per ingest path")
    parser.add_argument("--rebuild", action="store_true", help="also replay the whole raw log")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    name = f"bench_evaluation_{uuid.uuid4().hex[:8]}"
    admin = create_engine(ADMIN, poolclass=pool.NullPool, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    runtime = None
    try:
        migrations.upgrade(registry.migrations("evaluation"), url)
        settings = Settings.from_env(
            "evaluation",
            {
                "database_url": url,
                "amqp_url": AMQP,
                "data_dir": tempfile.mkdtemp(),
                "bus_namespace": f"bench{uuid.uuid4().hex[:8]}",
                "log_json": False,
            },
        )
        runtime = Runtime(settings, models.Base.metadata)
        print(f"ingest: {args.ingest} mixed events per path (PostgreSQL, one transaction each)")
        bare_rate = bare_transactions(runtime, min(args.ingest, 1000))
        handler_rate = handler_path(runtime, mixed_events(args.ingest))
        published, consumer_rate = consumer_path(runtime, mixed_events(args.ingest))
        print(f"  bare INSERT + COMMIT   {bare_rate:8.0f} /s (reference for this machine now)")
        print(
            f"  handler path alone     {handler_rate:8.0f} events/s "
            f"(= {handler_rate / bare_rate:.2f} × a bare transaction)"
        )
        print(
            f"  consumer via RabbitMQ  {consumer_rate:8.0f} events/s "
            f"(= {consumer_rate / handler_rate:.2f} × handler path; published at "
            f"{published:.0f}/s with confirms)"
        )
        started = time.perf_counter()
        replayed = readmodel.rebuild(runtime.database)
        replay_rate = replayed / (time.perf_counter() - started)
        print(
            f"  rebuild (replay of the raw log) {replay_rate:5.0f} events/s over {replayed} "
            f"events: 500 000 would take ~{500_000 / replay_rate / 60:.0f} min"
        )
        with runtime.database.engine.begin() as connection:
            for table in ("inbox", *(m.__tablename__ for m in readmodel.PROJECTIONS), "metric_events"):
                connection.execute(text(f"DELETE FROM {table}"))
        started = time.perf_counter()
        counts = bulk_load(url)
        raw_bytes = counts.pop("bytes")
        total = sum(counts.values())
        print(
            f"bulk load: {counts[COMMUNITY]:,} {COMMUNITY} events + "
            f"{total - counts[COMMUNITY]:,} of other communities in "
            f"{time.perf_counter() - started:.1f} s; raw log {raw_bytes / 2**20:.0f} MiB "
            f"({raw_bytes / total:.0f} bytes/event with indexes)"
        )
        period = metrics.Period.of_year(YEAR)
        query_times = []
        for _ in range(5):
            with runtime.database.sessionmaker() as session:
                started = time.perf_counter()
                values = metrics.compute(session, COMMUNITY, period)
                query_times.append(time.perf_counter() - started)
        print("  metrics of the year: " + ", ".join(f"{k}={v}" for k, v in values.items() if v is not None))
        round_id = open_scored_round(runtime)
        with runtime.unit_of_work() as uow:
            started = time.perf_counter()
            closed = rounds.close_round(uow, person("committee_member"), round_id)
            uow.commit()
            close_seconds = time.perf_counter() - started
        print(f"result: year {YEAR} of {COMMUNITY} over {counts[COMMUNITY]:,} recorded events")
        print(f"  metrics query alone    {statistics.median(query_times):6.3f} s (median of 5)")
        print(
            f"  close round (result)   {close_seconds:6.3f} s → score {closed.result['score']}"
            f", grade {closed.grade}; goal {GOAL_SECONDS:.0f} s = "
            f"{GOAL_SECONDS / close_seconds:.1f} × faster than needed"
        )
        if args.rebuild:
            started = time.perf_counter()
            replayed = readmodel.rebuild(runtime.database)
            seconds = time.perf_counter() - started
            with runtime.database.sessionmaker() as session:
                again = metrics.compute(session, COMMUNITY, period)
            print(
                f"rebuild: {replayed:,} events replayed in {seconds:.0f} s "
                f"({replayed / seconds:.0f} events/s); metrics identical: {again == values}"
            )
        print(
            json.dumps(
                {
                    "bare_tps": round(bare_rate),
                    "handler_eps": round(handler_rate),
                    "consumer_eps": round(consumer_rate),
                    "replay_eps": round(replay_rate),
                    "close_s": round(close_seconds, 3),
                    "query_s": round(statistics.median(query_times), 3),
                }
            )
        )
    finally:
        if runtime is not None:
            delete_broker_objects(runtime)
            runtime.database.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
