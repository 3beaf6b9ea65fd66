"""Grid benchmark: point-to-cell lookups with 5 000 cells; listing a cell's open cases at
10 000 vs 1 000 000 stored cases (goal: within 2×), on PostgreSQL.

Measured in one run, side by side:
  lookup   STRtree index in memory | the service's lookup (index + cells-version read on
           PostgreSQL, what a request pays) | a linear scan of all polygons (no index)
  list     GET /cases?cell_code=…&status=open through the Flask app (auth, query, count,
           serialization) with 10 000 cases stored, then with 1 000 000 (bulk-loaded with
           INSERT … SELECT generate_series), and the SQL alone (EXPLAIN ANALYZE)

A fresh database is created and dropped by the run.
Run: python bench/grid.py [--cases 1000000] [--requests 200]
Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust), as CI has it.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from shapely.geometry import Point, shape  # noqa: E402
from sqlalchemy import create_engine, pool, text  # noqa: E402

from deploy import registry  # noqa: E402
from services.chassis import auth, clock, migrations  # noqa: E402
from services.chassis.app import Runtime  # noqa: E402
from services.chassis.config import COMMUNITIES, Settings  # noqa: E402
from services.grid import models  # noqa: E402
from services.grid.app import create_app  # noqa: E402
from services.grid.usecases import cells, geometry  # noqa: E402

ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
COLUMNS, ROWS, SIZE = 100, 50, 0.002  # 5 000 square cells of ~200 m over Shenzhen
WEST, SOUTH = 113.80, 22.45
TARGET = "BENCH-00000"
TARGET_OPEN = 50  # the measured cell's backlog, the same at every size
OPEN_SHARE = 33  # one case in 33 is open elsewhere (~3 %): the rest is history


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def square(col: int, row: int) -> dict:
    lon, lat = WEST + col * SIZE, SOUTH + row * SIZE
    ring = [[lon, lat], [lon + SIZE, lat], [lon + SIZE, lat + SIZE], [lon, lat + SIZE], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def load_cells(engine) -> None:  # noqa: ANN001
    rows = []
    now = clock.now()
    for n in range(COLUMNS * ROWS):
        boundary = square(n % COLUMNS, n // COLUMNS)
        polygon = shape(boundary)
        min_lon, min_lat, max_lon, max_lat = polygon.bounds
        rows.append(
            {
                "id": str(uuid.uuid4()),
                "code": f"BENCH-{n:05d}",
                "community": COMMUNITIES[n % len(COMMUNITIES)],
                "name": f"bench {n}",
                "boundary": boundary,
                "min_lon": min_lon,
                "min_lat": min_lat,
                "max_lon": max_lon,
                "max_lat": max_lat,
                "area_m2": geometry.area_m2(polygon),
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
        )
    with engine.begin() as connection:
        connection.execute(models.Cell.__table__.insert(), rows)
        connection.execute(text("UPDATE cells_version SET version = version + 1"))
        connection.execute(
            text(
                "CREATE TABLE bench_cells AS SELECT (row_number() OVER (ORDER BY code)) - 1 AS n, "
                "id, code, community FROM cells"
            )
        )
        connection.execute(text("CREATE UNIQUE INDEX ON bench_cells (n)"))


CASES_INSERT = """
INSERT INTO cases (id, number, community, cell_id, cell_code, category, severity, status,
                   is_open, closed_kind, source, description, photos, escalation_level,
                   reopen_count, reported_at, due_at, updated_at, version, lon, lat)
SELECT md5(i::text || :salt)::uuid::text, 'GC-2025-' || lpad(i::text, 7, '0'), c.community,
       c.id, c.code,
       (ARRAY['hazard_fire', 'environment', 'public_order', 'dispute_neighbour'])[i % 4 + 1],
       'medium', {status}, {is_open}, {closed_kind}, 'resident', 'bench case', '[]'::jsonb, 0, 0,
       now() - (i % 525600) * interval '1 minute',
       now() - (i % 525600) * interval '1 minute' + interval '7 days',
       now(), 1, 113.8 + random() * 0.2, 22.45 + random() * 0.1
FROM generate_series(CAST(:first AS integer), CAST(:last AS integer)) AS i
JOIN bench_cells c ON c.n = {cell}
"""


def load_cases(engine, first: int, last: int) -> None:  # noqa: ANN001
    """Cases first..last over all cells; the target cell only gets closed history here."""
    is_open = f"(i % {OPEN_SHARE} = 0 AND i % 5000 <> 0)"
    statement = CASES_INSERT.format(
        status=f"CASE WHEN {is_open} THEN 'accepted' ELSE 'closed' END",
        is_open=is_open,
        closed_kind=f"CASE WHEN {is_open} THEN NULL ELSE 'resolved' END",
        cell="i % 5000",
    )
    with engine.begin() as connection:
        connection.execute(text(statement), {"salt": "bench", "first": first, "last": last})
        connection.execute(text("ANALYZE cases"))


def load_target_backlog(engine) -> None:  # noqa: ANN001
    statement = CASES_INSERT.format(status="'in_progress'", is_open="true", closed_kind="NULL", cell="0")
    with engine.begin() as connection:
        connection.execute(text(statement), {"salt": "target", "first": 1, "last": TARGET_OPEN})


def bench_lookups(runtime: Runtime, points: int, rounds: int = 20) -> dict[str, float]:
    """Lookups per second of three ways, interleaved in rounds so machine noise hits all."""
    with runtime.unit_of_work() as uow:
        started = time.perf_counter()
        index = cells.directory(runtime.database).index(uow.session)
        build = time.perf_counter() - started
        assert len(index) == COLUMNS * ROWS
        rng = random.Random(7)
        sample = [
            (
                rng.uniform(WEST - 0.01, WEST + COLUMNS * SIZE + 0.01),
                rng.uniform(SOUTH - 0.01, SOUTH + ROWS * SIZE + 0.01),
            )
            for _ in range(points)
        ]
        found = sum(index.locate(lon, lat) is not None for lon, lat in sample[:10_000])

        def in_memory(chunk: list[tuple[float, float]]) -> None:
            for lon, lat in chunk:
                index.locate(lon, lat)

        def with_version(chunk: list[tuple[float, float]]) -> None:
            for lon, lat in chunk:
                cells.locate(uow, lon, lat)

        def linear(chunk: list[tuple[float, float]]) -> None:
            for lon, lat in chunk:
                point = Point(lon, lat)
                next((i for i, p in enumerate(index.polygons) if p.intersects(point)), None)

        ways = {"in_memory": (in_memory, 1.0), "with_version": (with_version, 0.1), "linear": (linear, 0.005)}
        spent = dict.fromkeys(ways, 0.0)
        done = dict.fromkeys(ways, 0)
        per_round = points // rounds
        for round_ in range(rounds):
            chunk = sample[round_ * per_round : (round_ + 1) * per_round]
            for name, (way, share) in ways.items():
                part = chunk[: max(1, int(len(chunk) * share))]
                started = time.perf_counter()
                way(part)
                spent[name] += time.perf_counter() - started
                done[name] += len(part)
    rates = {name: done[name] / spent[name] for name in ways}
    return {"build_s": build, "hit_rate": found / 10_000, **rates}


def bench_list(clients: list, headers: dict[str, str], requests: int) -> list[list[float]]:
    """Requests alternate between the databases, so machine noise hits both alike."""
    url = f"/cases?cell_code={TARGET}&status=open&page_size=20"
    for client in clients:
        for _ in range(20):
            response = client.get(url, headers=headers)
            assert response.status_code == 200, response.get_data(as_text=True)
        assert len(response.get_json()) == 20
        assert f'"total": {TARGET_OPEN}' in response.headers["X-Pagination"]
    timings: list[list[float]] = [[] for _ in clients]
    for _ in range(requests):
        for client, found in zip(clients, timings, strict=True):
            started = time.perf_counter()
            client.get(url, headers=headers)
            found.append((time.perf_counter() - started) * 1000)
    return timings


def explain(engine) -> tuple[float, str]:  # noqa: ANN001
    query = (
        "SELECT * FROM cases WHERE cell_id = (SELECT id FROM cells WHERE code = :code) "
        "AND is_open ORDER BY reported_at DESC, id LIMIT 20"
    )
    with engine.connect() as connection:
        plan = connection.execute(
            text(f"EXPLAIN (ANALYZE, FORMAT JSON) {query}"), {"code": TARGET}
        ).scalar_one()
    root = plan[0]
    node = root["Plan"]
    while node.get("Plans") and "Index" not in node.get("Node Type", ""):
        node = node["Plans"][-1]
    return root["Execution Time"], f"{node['Node Type']} {node.get('Index Name', '')}".strip()


def summary(label: str, timings: list[float], sql_ms: float) -> str:
    return (
        f"  {label:>10} stored: p50 {statistics.median(timings):6.2f} ms, "
        f"p95 {percentile(timings, 95):6.2f} ms (SQL alone {sql_ms:.3f} ms)"
    )


class Database:
    """A fresh bench database with the grid schema, its runtime and app (dropped at the end)."""

    def __init__(self, admin, folder: Path) -> None:  # noqa: ANN001
        self.name = f"grid_bench_{uuid.uuid4().hex[:8]}"
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{self.name}"'))
        url = ADMIN.rsplit("/", 1)[0] + f"/{self.name}"
        migrations.upgrade(registry.migrations("grid"), url)
        self.settings = Settings.from_env(
            "grid", {"database_url": url, "amqp_url": "memory://", "data_dir": folder, "log_level": "WARNING"}
        )
        self.runtime = Runtime(self.settings, models.Base.metadata)
        self.engine = self.runtime.database.engine
        self.client = create_app(runtime=self.runtime).test_client()
        load_cells(self.engine)
        load_target_backlog(self.engine)

    def drop(self, admin) -> None:  # noqa: ANN001
        self.runtime.database.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--points", type=int, default=100_000)
    args = parser.parse_args()

    admin = create_engine(ADMIN, poolclass=pool.NullPool, isolation_level="AUTOCOMMIT")
    folder = tempfile.TemporaryDirectory()
    made: list[Database] = []
    try:
        small = Database(admin, Path(folder.name))
        made.append(small)
        large = Database(admin, Path(folder.name))
        made.append(large)
        headers = {
            "Authorization": "Bearer "
            + auth.issue_token(small.settings, sub="bench", roles=["admin"], communities=COMMUNITIES)
        }
        print(f"grid bench on PostgreSQL ({small.name}, {large.name}): {COLUMNS * ROWS} cells in each")

        lookups = bench_lookups(small.runtime, args.points)
        print(
            "point-to-cell lookups with 5 000 cells "
            f"(index built in {lookups['build_s'] * 1000:.0f} ms, "
            f"{lookups['hit_rate']:.0%} of points inside a cell):"
        )
        print(f"  STRtree in memory          {lookups['in_memory']:>10,.0f} lookups/s")
        print(
            f"  service lookup (+version)  {lookups['with_version']:>10,.0f} lookups/s"
            "  (one primary-key read of cells_version per lookup)"
        )
        print(f"  linear scan, no index      {lookups['linear']:>10,.0f} lookups/s")
        print(f"  index vs linear scan: {lookups['in_memory'] / lookups['linear']:.0f}x")

        load_cases(small.engine, TARGET_OPEN + 1, args.small)
        started = time.perf_counter()
        load_cases(large.engine, TARGET_OPEN + 1, args.cases)
        print(f"  ({args.cases:,} cases bulk-loaded in {time.perf_counter() - started:.1f} s)")
        print(
            f"list open cases of one cell ({TARGET_OPEN} open of its own; ~3 % of the rest "
            f"open), {args.requests} requests each, alternating:"
        )
        timings = bench_list([small.client, large.client], headers, args.requests)
        for label, database, found in (
            (f"{args.small:,}", small, timings[0]),
            (f"{args.cases:,}", large, timings[1]),
        ):
            sql_ms, plan = explain(database.engine)
            print(summary(label, found, sql_ms) + f"  [{plan}]")
        ratio = statistics.median(timings[1]) / statistics.median(timings[0])
        print(
            f"  ratio p50 {args.cases:,} / {args.small:,}: {ratio:.2f}x (goal: within 2x) "
            f"-> {'met' if ratio <= 2 else 'NOT met'}"
        )
    finally:
        for database in made:
            database.drop(admin)
        admin.dispose()
        folder.cleanup()


if __name__ == "__main__":
    main()
