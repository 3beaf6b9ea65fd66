"""CPU per request of the desk's write paths and polled reads, in process, on PostgreSQL.

Each service runs in this process (Flask test client, no HTTP server, in-memory bus) on a
fresh PostgreSQL database with the bootstrap's reference data. For every operation the
process CPU time (`time.process_time`, which a loaded machine inflates far less than wall
time) is summed over N requests and divided by N; `/healthz` is measured the same way as
the framework's floor. `--profile OPERATION` prints that operation's 25 costliest
functions (cProfile, cumulative).

Before/after in one run: `--baseline REV` measures the code of git revision REV (a
temporary worktree) and this tree alternately, ROUNDS times each, in fresh processes,
and prints both side by side (the minimum over rounds: the least disturbed by whatever
else the machine was doing).

Run: python bench/hotpaths.py [--requests 400] [--baseline REV] [--rounds 3] [--profile post_ticket]
Needs PostgreSQL on 127.0.0.1:5432; creates and drops its own databases.
"""

from __future__ import annotations

import argparse
import cProfile
import itertools
import json
import pstats
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.support import baseline_tree, side_by_side  # noqa: E402

if "--code" in sys.argv:  # measure another tree's services (a baseline revision)
    sys.path.insert(0, sys.argv[sys.argv.index("--code") + 1])

ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
COMMUNITY = "huaguoshan"
# The six business types bench/intake.py posts in rotation, with their forms filled in.
FORMS: dict[str, dict[str, Any]] = {
    "social_insurance_enrolment": {"id_number": "440305199001011234", "scheme": ["pension"]},
    "elderly_health_check": {"preferred_date": "2026-12-01T09:00:00+08:00"},
    "elderly_meal_service": {"meal": ["lunch"]},
    "water_supply_issue": {"place": "5栋"},
    "self_employed_guidance": {"trade": "早餐店"},
    "hazard_report": {"kind": "manhole", "place": "北门"},
}


WAITING = 20  # tickets waiting while the reads are timed


class Service:
    """One service app on its own fresh PostgreSQL database."""

    def __init__(self, name: str, folder: Path) -> None:
        from sqlalchemy import create_engine, pool, text

        from deploy import registry
        from services.chassis import migrations

        self.name = name
        self.database = f"bench_hot_{name}_{uuid.uuid4().hex[:8]}"
        self.url = ADMIN_URL.rsplit("/", 1)[0] + "/" + self.database
        admin = create_engine(ADMIN_URL, poolclass=pool.NullPool, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{self.database}"'))
        admin.dispose()
        migrations.upgrade(registry.migrations(name), self.url)
        app_module = registry.module(name, "app")
        self.app = app_module.create_app(
            {"database_url": self.url, "data_dir": folder, "amqp_url": "memory://", "log_level": "WARNING"}
        )
        self.runtime = self.app.extensions["community"]
        self.client = self.app.test_client()

    def drop(self) -> None:
        from sqlalchemy import create_engine, pool, text

        self.runtime.database.dispose()
        admin = create_engine(ADMIN_URL, poolclass=pool.NullPool, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)'))
        admin.dispose()


def token(folder: Path, roles: list[str], sub: str) -> str:
    from services.chassis import auth
    from services.chassis.config import Settings

    settings = Settings.from_env("bench", {"data_dir": folder})
    auth.ensure_local_keys(settings)
    return auth.issue_token(settings, sub=sub, roles=roles, communities=[COMMUNITY])


def expect(response: Any, status: int) -> Any:
    if response.status_code != status:
        request = response.request
        raise RuntimeError(f"{request.method} {request.path}: {response.status_code} {response.data[:300]!r}")
    return response.get_json()


class Desk:
    """Intake: tickets issued, called, started and completed at one open window."""

    def __init__(self, folder: Path) -> None:
        from deploy.demo.intake_reference import load_reference_data

        self.service = Service("intake", folder)
        load_reference_data(self.service.runtime)
        self.staff = {"Authorization": "Bearer " + token(folder, ["center_staff"], "bench-clerk")}
        client = self.service.client
        windows = expect(client.get(f"/windows?community={COMMUNITY}", headers=self.staff), 200)
        types = expect(client.get(f"/business-types?community={COMMUNITY}", headers=self.staff), 200)
        del types
        window = windows[0]
        head = client.get(f"/windows/{window['id']}", headers=self.staff)
        expect(
            client.patch(
                f"/windows/{window['id']}",
                json={"status": "open"},
                headers={**self.staff, "If-Match": head.headers["ETag"]},
            ),
            200,
        )
        self.window = window["id"]
        self.called: list[str] = []
        self.waiting: list[str] = []
        self.rotation = itertools.cycle(FORMS)

    def post_ticket(self) -> None:
        code = next(self.rotation)
        body = {
            "community": COMMUNITY,
            "business_type": code,
            "channel": "walk_in",
            "attributes": FORMS[code],
        }
        self.waiting.append(
            expect(self.service.client.post("/tickets", json=body, headers=self.staff), 201)["id"]
        )

    def call_next(self) -> None:
        result = expect(
            self.service.client.post(f"/windows/{self.window}/call-next", headers=self.staff), 200
        )
        self.called.append(result["ticket"]["id"])

    def start(self) -> None:
        expect(self.service.client.post(f"/tickets/{self.called[-1]}/start", headers=self.staff), 200)

    def complete(self) -> None:
        expect(
            self.service.client.post(f"/tickets/{self.called[-1]}/complete", json={}, headers=self.staff), 200
        )

    def healthz(self) -> None:
        expect(self.service.client.get("/healthz"), 200)

    # The polled reads of the peak hour (bench/loadmodel.md), on a queue of WAITING tickets.
    def ticket_page(self) -> None:
        expect(self.service.client.get(f"/tickets/{self.waiting[-1]}", headers=self.staff), 200)

    def waiting_list(self) -> None:
        path = f"/tickets?community={COMMUNITY}&status=waiting&page_size=50"
        expect(self.service.client.get(path, headers=self.staff), 200)

    def windows(self) -> None:
        expect(self.service.client.get(f"/windows?community={COMMUNITY}", headers=self.staff), 200)

    def display(self) -> None:
        expect(self.service.client.get(f"/display?community={COMMUNITY}"), 200)


def measure(label: str, operation: Callable[[], None], count: int, profile: str | None) -> float:
    """CPU ms per call of `operation`, after a warm-up of 20 calls."""
    for _ in range(20):
        operation()
    profiler = cProfile.Profile() if profile == label else None
    started = time.process_time()
    if profiler:
        profiler.enable()
    for _ in range(count):
        operation()
    if profiler:
        profiler.disable()
    cpu = (time.process_time() - started) / count * 1000
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    return cpu


def desk_cycle(desk: Desk, count: int, profile: str | None) -> dict[str, float]:
    """POST /tickets N times, then call-next/start/complete one ticket at a time."""
    results = {"healthz": measure("healthz", desk.healthz, count, profile)}
    results["post_ticket"] = measure("post_ticket", desk.post_ticket, count, profile)

    def serve(step: str) -> Callable[[], None]:
        return {"call_next": desk.call_next, "start": desk.start, "complete": desk.complete}[step]

    # call → start → complete must alternate; time each step separately over the same cycles.
    totals = {"call_next": 0.0, "start": 0.0, "complete": 0.0}
    for _ in range(20):
        desk.call_next(), desk.start(), desk.complete()
    profiler = cProfile.Profile() if profile in totals else None
    for _ in range(count):
        for step in totals:
            started = time.process_time()
            if profiler and profile == step:
                profiler.enable()
            serve(step)()
            if profiler and profile == step:
                profiler.disable()
            totals[step] += time.process_time() - started
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    results.update({step: total / count * 1000 for step, total in totals.items()})
    # The reads, with WAITING tickets in the queue (about a community's at its peak) and one
    # window serving: the ticket page reads the last of them (the most ahead of it).
    for _ in range(WAITING):
        desk.post_ticket()
    desk.call_next()
    for label, read in (
        ("ticket_page", desk.ticket_page),
        ("waiting_list", desk.waiting_list),
        ("windows", desk.windows),
        ("display", desk.display),
    ):
        results[label] = measure(label, read, count, profile)
    return results


def measure_here(args: argparse.Namespace) -> dict[str, float]:
    folder = Path(tempfile.mkdtemp(prefix="bench-hot-"))
    desk = Desk(folder)
    try:
        return desk_cycle(desk, args.requests, args.profile)
    finally:
        desk.service.drop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--profile", default=None)
    parser.add_argument("--baseline", default=None, help="git revision to measure beside this tree")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--code", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.json:
        print(json.dumps(measure_here(args)))
        return
    if args.baseline is None:
        columns = {"this tree": measure_here(args)}
    else:
        extra = ["--requests", str(args.requests)]
        with baseline_tree(args.baseline) as baseline:
            columns = side_by_side(__file__, {args.baseline: baseline, "this tree": ROOT}, extra, args.rounds)
    print(f"\nCPU ms per request in process ({args.requests} requests each, PostgreSQL, memory bus):")
    print(f"  {'operation':<12}" + "".join(f"{name:>14}" for name in columns))
    for label in next(iter(columns.values())):
        print(f"  {label:<12}" + "".join(f"{column[label]:14.2f}" for column in columns.values()))
    for name, column in columns.items():
        print(f"  {name}: post_ticket / healthz = {column['post_ticket'] / column['healthz']:.1f}x")


if __name__ == "__main__":
    main()
