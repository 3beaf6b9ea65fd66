"""Intake benchmark: analytics on a 100 000-ticket community-month, POST /tickets vs /healthz.

1. A fresh PostgreSQL database gets the intake schema, the reference catalogue and
   TICKETS tickets of one community in March 2026, plus 3x TICKETS in the other six
   communities and 2x TICKETS in its neighbouring months (so the index has to pick the
   month out), bulk-loaded with COPY. The summary and pooling queries are timed in
   process (median of 5) and through HTTP.
2. The service under gunicorn (the same setup for both runs) is loaded by wrk:
   `GET /healthz` (no database) then `POST /tickets` (token check, validation, number,
   ticket, step and outbox rows in one transaction). The ratio is printed (goal >= 0.4).

Run: python bench/intake.py [--tickets 100000] [--duration 10]
Needs PostgreSQL on 127.0.0.1:5432 and wrk (`apt-get install -y wrk`; tried automatically
when running as root). Starts gunicorn on a free port and drops its database afterwards.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.support import free_port, server_env, wait_http  # noqa: E402

ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
COMMUNITY = "huaguoshan"
MONTH = (date(2026, 3, 1), date(2026, 3, 31))
COLUMNS = (
    "id",
    "community",
    "local_date",
    "number",
    "business_type",
    "original_business_type",
    "channel",
    "priority",
    "priority_reason",
    "owner_sub",
    "contact_phone",
    "attributes",
    "status",
    "queue_key",
    "issued_at",
    "called_at",
    "serving_at",
    "finished_at",
    "window_id",
    "served_by",
    "local_hour",
    "wait_seconds",
    "service_seconds",
    "transfers",
    "version",
)


def ensure_wrk() -> None:
    if shutil.which("wrk") is None and os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(
            ["apt-get", "install", "-y", "-q", "wrk"],
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install -y wrk")


def working_days(first: date, last: date) -> list[date]:
    days, day = [], first
    while day <= last:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def ticket_rows(
    community: str,
    first: date,
    last: date,
    count: int,
    types: list[tuple[str, str]],
    windows: list[str],
    rng: random.Random,
) -> io.StringIO:
    """COPY text rows of `count` finished tickets spread over the working days."""
    days = working_days(first, last)
    counters: dict[tuple[date, str], int] = {}
    out = io.StringIO()
    for _ in range(count):
        day = rng.choice(days)
        code, letter = rng.choice(types)
        counters[(day, letter)] = counters.get((day, letter), 0) + 1
        local = datetime(
            day.year,
            day.month,
            day.day,
            rng.choice((9, 10, 11, 14, 15, 16, 17)),
            rng.randrange(60),
            rng.randrange(60),
        )
        issued = (local - timedelta(hours=8)).replace(tzinfo=UTC)
        wait = int(rng.expovariate(1 / 420))
        service = max(30, int(rng.expovariate(1 / 540)))
        no_show = rng.random() < 0.04
        called = issued + timedelta(seconds=wait)
        finished = called + timedelta(seconds=60 if no_show else service)
        values = (
            str(uuid.uuid4()),
            community,
            day.isoformat(),
            f"{letter}{counters[(day, letter)]:03d}",
            code,
            code,
            rng.choice(("walk_in", "walk_in", "portal", "phone")),
            "f",
            r"\N",
            r"\N",
            r"\N",
            "{}",
            "no_show" if no_show else "completed",
            issued.isoformat(),
            issued.isoformat(),
            called.isoformat(),
            r"\N" if no_show else called.isoformat(),
            finished.isoformat(),
            rng.choice(windows),
            "bench-staff",
            str(local.hour),
            str(wait),
            r"\N" if no_show else str(service),
            "0",
            "3",
        )
        out.write("\t".join(values) + "\n")
    out.seek(0)
    return out


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.folder = Path(tempfile.mkdtemp(prefix="bench-intake-"))
        self.database = f"bench_intake_{uuid.uuid4().hex[:8]}"
        self.url = ADMIN_URL.rsplit("/", 1)[0] + "/" + self.database
        self.processes: list[subprocess.Popen[bytes]] = []
        self.env = server_env(self.folder, INTAKE_DATABASE_URL=self.url)

    def prepare(self) -> None:
        from sqlalchemy import create_engine, pool, select, text

        from deploy import registry
        from deploy.demo.intake_reference import load_reference_data
        from services.chassis import migrations
        from services.chassis.config import COMMUNITIES, Settings
        from services.chassis.runtime import Runtime
        from services.intake import models

        admin = create_engine(ADMIN_URL, poolclass=pool.NullPool, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{self.database}"'))
        admin.dispose()
        migrations.upgrade(registry.migrations("intake"), self.url)
        runtime = Runtime(
            Settings.from_env(
                "intake", {"database_url": self.url, "data_dir": self.folder, "amqp_url": "memory://"}
            ),
            models.Base.metadata,
        )
        load_reference_data(runtime)
        engine = runtime.database.engine
        rng = random.Random(2026)
        started = time.perf_counter()
        with engine.begin() as connection:
            types = {
                c: [
                    (r.code, r.ticket_prefix)
                    for r in connection.execute(
                        select(models.BusinessType.code, models.BusinessType.ticket_prefix).where(
                            models.BusinessType.community == c
                        )
                    )
                ]
                for c in COMMUNITIES
            }
            windows = {
                c: [
                    r[0]
                    for r in connection.execute(select(models.Window.id).where(models.Window.community == c))
                ]
                for c in COMMUNITIES
            }
            cursor = connection.connection.driver_connection.cursor()
            loads = [(COMMUNITY, *MONTH, self.args.tickets)]
            others = [c for c in COMMUNITIES if c != COMMUNITY]
            loads += [(c, *MONTH, self.args.tickets // 2) for c in others]
            loads.append((COMMUNITY, date(2026, 2, 1), date(2026, 2, 28), self.args.tickets))
            loads.append((COMMUNITY, date(2026, 4, 1), date(2026, 4, 30), self.args.tickets))
            for community, first, last, count in loads:
                data = ticket_rows(community, first, last, count, types[community], windows[community], rng)
                with cursor.copy(f"COPY tickets ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                    while chunk := data.read(1 << 20):
                        copy.write(chunk)
            total = connection.execute(text("SELECT COUNT(*) FROM tickets")).scalar_one()
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE tickets"))  # what autovacuum does
        print(
            f"loaded {total} tickets ({self.args.tickets} in {COMMUNITY} 2026-03) in "
            f"{time.perf_counter() - started:.1f} s",
            flush=True,
        )
        self.runtime = runtime

    def analytics(self) -> dict[str, float]:
        from sqlalchemy import text

        from services.intake.usecases import analytics, pooling

        def median_of(fn) -> float:
            times = []
            for _ in range(5):
                with self.runtime.unit_of_work() as uow:
                    started = time.perf_counter()
                    fn(uow)
                    times.append(time.perf_counter() - started)
            return statistics.median(times)

        summary = median_of(lambda uow: analytics.summary(uow, COMMUNITY, *MONTH))
        report = median_of(lambda uow: pooling.report(uow, COMMUNITY, *MONTH, 8.0))
        from services.intake.usecases.analytics import period_bounds
        from services.intake.usecases.desk_stats import _PG_QUERY

        start, end = period_bounds(*MONTH)
        with self.runtime.database.engine.connect() as connection:
            plan = (
                connection.execute(
                    text(f"EXPLAIN {_PG_QUERY.text}"), {"community": COMMUNITY, "start": start, "end": end}
                )
                .scalars()
                .all()
            )
        scan = next((line.strip(" ->") for line in plan if "Scan" in line), "?")
        uses_index = "ix_tickets_community_issued" in scan
        print(f"analytics summary, one community-month: {summary * 1000:.0f} ms (median of 5)")
        print(f"pooling report, one community-month:    {report * 1000:.0f} ms (median of 5)")
        print(f"query plan: {scan.split('  (')[0]}")
        return {"summary": summary, "pooling": report, "index": float(uses_index)}

    def gunicorn(self) -> str:
        port = free_port()
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "services.intake.app:create_app()",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(self.args.workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(self.args.threads),
            "--keep-alive",
            "5",
            "--log-level",
            "warning",
        ]
        process = subprocess.Popen(command, cwd=ROOT, env=self.env, start_new_session=True)
        self.processes.append(process)
        base = f"http://127.0.0.1:{port}"
        wait_http(base + "/healthz")
        return base

    def token(self, roles: list[str]) -> str:
        from services.chassis import auth
        from services.chassis.config import Settings

        settings = Settings.from_env("bench", {"data_dir": self.folder})
        auth.ensure_local_keys(settings)
        return auth.issue_token(settings, sub="bench-staff", roles=roles, communities=[COMMUNITY])

    def http_analytics(self, base: str) -> float:
        token = self.token(["committee_member"])
        url = f"{base}/analytics/summary?community={COMMUNITY}&from=2026-03-01&to=2026-03-31"
        times = []
        for _ in range(5):
            request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
            started = time.perf_counter()
            with urllib.request.urlopen(request, timeout=60) as response:
                json.loads(response.read())
            times.append(time.perf_counter() - started)
        value = statistics.median(times)
        print(f"GET /analytics/summary through gunicorn: {value * 1000:.0f} ms (median of 5)")
        return value

    def wrk(self, url: str, script: str | None = None) -> float:
        command = [
            "wrk",
            "-t",
            "2",
            "-c",
            str(self.args.connections),
            "-d",
            f"{self.args.duration}s",
            "--latency",
        ]
        if script:
            command += ["-s", script]
        output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
        match = re.search(r"Requests/sec:\s+([\d.]+)", output)
        errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
        if errors:
            raise RuntimeError(f"wrk saw {errors.group(1)} error responses:\n{output}")
        return float(match.group(1)) if match else 0.0

    def throughput(self, base: str) -> dict[str, float]:
        token = self.token(["center_staff"])
        codes = [
            "social_insurance_enrolment",
            "elderly_health_check",
            "elderly_meal_service",
            "water_supply_issue",
            "self_employed_guidance",
            "hazard_report",
        ]
        forms = {
            "social_insurance_enrolment": {"id_number": "440305199001011234", "scheme": ["pension"]},
            "elderly_health_check": {"preferred_date": "2026-12-01T09:00:00+08:00"},
            "elderly_meal_service": {"meal": ["lunch"]},
            "water_supply_issue": {"place": "5栋"},
            "self_employed_guidance": {"trade": "早餐店"},
            "hazard_report": {"kind": "manhole", "place": "北门"},
        }
        bodies = [
            json.dumps(
                {
                    "community": COMMUNITY,
                    "business_type": code,
                    "channel": "walk_in",
                    "attributes": forms.get(code, {}),
                },
                ensure_ascii=False,
            )
            for code in codes
        ]
        lua = self.folder / "post_ticket.lua"
        lua.write_text(
            "local bodies = {" + ",".join("[[" + b + "]]" for b in bodies) + "}\n"
            "local i = 0\n"
            "request = function()\n"
            "  i = i + 1\n"
            "  return wrk.format('POST', '/tickets', {['Content-Type'] = 'application/json', "
            f"['Authorization'] = 'Bearer {token}'}}, bodies[(i % #bodies) + 1])\n"
            "end\n",
            encoding="utf-8",
        )
        self.wrk(base + "/healthz")  # warm-up of both workers
        health = self.wrk(base + "/healthz")
        tickets = self.wrk(base + "/tickets", str(lua))
        ratio = tickets / health if health else 0.0
        print(f"GET /healthz:  {health:8.0f} req/s")
        print(f"POST /tickets: {tickets:8.0f} req/s")
        print(f"ratio POST /tickets / healthz: {ratio:.2f} (goal >= 0.40)")
        return {"healthz": health, "tickets": tickets, "ratio": ratio}

    def stop(self) -> None:
        for process in reversed(self.processes):
            try:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(10)
            except ProcessLookupError:
                continue
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        if getattr(self, "runtime", None) is not None:
            self.runtime.database.dispose()
        from sqlalchemy import create_engine, pool, text

        admin = create_engine(ADMIN_URL, poolclass=pool.NullPool, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)'))
        admin.dispose()
        shutil.rmtree(self.folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    ensure_wrk()
    bench = Bench(args)
    try:
        bench.prepare()
        bench.analytics()
        base = bench.gunicorn()
        bench.http_analytics(base)
        bench.throughput(base)
    finally:
        bench.stop()


if __name__ == "__main__":
    main()
