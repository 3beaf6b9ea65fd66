"""One command: the local stack under the peak-hour load of N communities, and its report.

    python bench/load/run.py --communities 7 --minutes 3 [--communities 100 ...] [--out DIR]
                             [--workers 2 --threads 4]   (gunicorn per service, as deployed)

For each load (bench/loadmodel.md: rates per community-hour, scaled by the number of
communities): start the local stack (gunicorn per service, a worker per service, the
gateway; RabbitMQ and PostgreSQL of this machine; rate limits off), load the seven
communities' reference data (`community bootstrap`), open windows, make the users'
tokens, write Locust's plan and run Locust headless for the given minutes. Meanwhile it
samples every 2 s the CPU and memory of every process (the load generator's too: it
shares the two cores), the outbox rows not yet published and the service queues' depth.
Afterwards it reads the event lag from the databases (outbox `created_at` → the
consumer's inbox `processed_at`, for every event consumed) and the department's stream
(event `time` → arrival). It writes `report.md` (one table per load) and `load.png`
into --out (default var/load), and prints the report.

More virtual communities than the seven real ones: the load of N communities is spread
over the seven codes (each real community carries N/7 communities' load).
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import psutil  # noqa: E402
import requests  # noqa: E402

from deploy.stack import Stack, StackConfig  # noqa: E402
from services.chassis.config import COMMUNITIES  # noqa: E402
from tests.faults import consistency  # noqa: E402
from tests.support import environment  # noqa: E402

# Per community in its peak hour (bench/loadmodel.md).
PER_COMMUNITY_HOUR = {
    "issue": 60,  # tickets issued
    "serve": 60,  # tickets called, started and completed (5 % no-show)
    "ticket_page": 15 * 240,  # 15 waiting residents' pages, refreshed every 15 s
    "console": 5 * 360,  # 5 window consoles refreshed every 10 s
    "display": 360,  # one hall display every 10 s
    "grid": 30,  # 20 inspection submissions + 10 reports
}
# Locust's users are a closed loop: a user waits for its answer before the next request, so
# a slow answer lowers what one user offers. Many slow users (like the real pages) keep the
# offered load at the model's rate even when answers take a second.
PER_USER_MAX = {"issue": 0.2, "serve": 0.2, "ticket_page": 0.5, "console": 0.25, "display": 0.5, "grid": 0.2}
CLASSES = {
    "issue": "TicketTaker",
    "serve": "Clerk",
    "ticket_page": "TicketPage",
    "console": "Console",
    "display": "HallDisplay",
    "grid": "GridWorker",
}
DEPARTMENTS = 4  # city management, civil affairs, the 12345 hotline, public security


def users_and_rates(communities: int) -> tuple[dict[str, int], dict[str, float]]:
    """Locust users per class and each user's rate, so the classes add up to the model."""
    users, rates = {}, {}
    for kind, per_hour in PER_COMMUNITY_HOUR.items():
        total = per_hour * communities / 3600
        users[kind] = max(1, math.ceil(total / PER_USER_MAX[kind]))
        rates[kind] = total / users[kind]
    users["serve"] = min(max(users["serve"], len(COMMUNITIES)), 7 * 40)
    rates["serve"] = PER_COMMUNITY_HOUR["serve"] * communities / 3600 / users["serve"]
    return users, rates


def prepare(stack: Stack, clerks: int) -> dict[str, Any]:
    """Reference data, windows for the clerks, tokens: the plan Locust reads."""
    subprocess.run(
        [sys.executable, "-m", "deploy.cli", "bootstrap"],
        env=stack.env,
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    gateway = stack.gateway_url
    officer = stack.token("subdistrict_officer", sub="officer-load")
    places, windows, owners = [], [], {}
    per_community = math.ceil(clerks / len(COMMUNITIES))
    for code in COMMUNITIES:
        staff = stack.token("center_staff", communities=(code,), sub=f"staff-{code}-load")
        auth = {"Authorization": f"Bearer {staff}"}
        found = requests.get(
            f"{gateway}/api/intake/windows?community={code}&page_size=100", headers=auth
        ).json()
        open_generalist = [w for w in found if w["mode"] == "generalist" and w["status"] == "open"]
        for number in range(100, 100 + per_community - len(open_generalist)):
            created = requests.post(
                f"{gateway}/api/intake/windows",
                json={"community": code, "number": number, "status": "open", "mode": "generalist"},
                headers=auth,
            )
            created.raise_for_status()
            open_generalist.append(created.json())
        windows += [{"id": w["id"], "staff": staff} for w in open_generalist[:per_community]]
        types = requests.get(
            f"{gateway}/api/intake/business-types?community={code}&page_size=100", headers=auth
        ).json()
        cells = requests.get(
            f"{gateway}/api/grid/cells?community={code}&page_size=100",
            headers={"Authorization": f"Bearer {officer}"},
        ).json()
        residents = []
        for n in range(20):
            sub = f"resident-{code}-{n}"
            residents.append(stack.token("resident", communities=(code,), sub=sub))
            owners[sub] = residents[-1]
        places.append(
            {
                "code": code,
                "staff": staff,
                "residents": residents,
                "business_types": [(t["code"], answers(t["attributes"])) for t in types],
                "cells": [cell_plan(stack, code, c) for c in cells if c.get("workers")],
            }
        )
    checklist = requests.get(
        f"{gateway}/api/grid/checklist", headers={"Authorization": f"Bearer {officer}"}
    ).json()
    return {
        "communities": places,
        "windows": windows,
        "owners": owners,
        "checklist": [item["code"] for item in checklist][:12],
        "category": checklist[0]["case_category"],
        "department": stack.token("department", sub="department-load"),
    }


def cell_plan(stack: Stack, community: str, cell: dict[str, Any]) -> dict[str, Any]:
    ring = cell["boundary"]["coordinates"][0]
    lon = sum(p[0] for p in ring[:-1]) / (len(ring) - 1)
    lat = sum(p[1] for p in ring[:-1]) / (len(ring) - 1)
    worker = stack.token("grid_worker", communities=(community,), sub=cell["workers"][0])
    return {"code": cell["code"], "worker": worker, "lon": round(lon, 6), "lat": round(lat, 6)}


def answers(form: list[dict[str, Any]]) -> dict[str, Any]:
    """A valid value for each required field of a business type's form."""
    values: dict[str, Any] = {}
    for field in form:
        if not field.get("required"):
            continue
        keys = [v["key"] for v in field.get("values") or []]
        values[field["code"]] = {
            "singlevaluelist": keys[:1] and keys[0],
            "multivaluelist": keys[:1],
            "number": 1,
            "datetime": "2026-12-01T09:00:00+08:00",
        }.get(field["datatype"], "440305199001011234" if field.get("personal") else "社区服务中心")
    return values


class Sampler(threading.Thread):
    """Every 2 s: CPU seconds and RSS per process (with its children), outbox and queues."""

    def __init__(self, stack: Stack, extra: dict[str, int], namespace: str, amqp: str) -> None:
        super().__init__(daemon=True)
        self.stack, self.extra, self.namespace, self.amqp = stack, extra, namespace, amqp
        self.stop = threading.Event()
        self.samples: list[dict[str, Any]] = []
        self._server_seen: dict[int, float] = {}  # pid → CPU seconds at the last sample
        self._server_total = {"postgresql": 0.0, "rabbitmq": 0.0}

    def processes(self) -> dict[str, psutil.Process]:
        found = {name: child.process.pid for name, child in self.stack.children.items() if child.process}
        found.update(self.extra)
        processes = {}
        for name, pid in found.items():
            try:
                processes[name] = psutil.Process(pid)
            except psutil.Error:  # it exited (a crash the supervisor restarts, or the end)
                continue
        return processes

    @staticmethod
    def usage(process: psutil.Process) -> tuple[float, int]:
        cpu, rss = 0.0, 0
        for member in [process, *process.children(recursive=True)]:
            try:
                times = member.cpu_times()
                cpu += times.user + times.system
                rss += member.memory_info().rss
            except psutil.Error:
                continue
        return cpu, rss

    def servers(self) -> dict[str, float]:
        """CPU seconds used so far by this machine's PostgreSQL and RabbitMQ processes (each
        process's growth since it was first seen, so backends that come and go count too)."""
        for process in psutil.process_iter(["name", "cpu_times"]):
            name = process.info["name"] or ""
            server = (
                "postgresql" if name.startswith("postgres") else "rabbitmq" if name == "beam.smp" else None
            )
            times = process.info["cpu_times"]
            if server is None or times is None:
                continue
            used = times.user + times.system
            self._server_total[server] += used - self._server_seen.get(process.pid, used)
            self._server_seen[process.pid] = used
        return dict(self._server_total)

    def run(self) -> None:
        while not self.stop.wait(2.0):
            sample: dict[str, Any] = {"at": time.monotonic(), "cpu": {}, "rss": {}}
            times = psutil.cpu_times()
            # busy: user, nice, system, interrupts (not idle, I/O wait, or time the hypervisor stole)
            sample["machine"] = (
                times.user
                + times.nice
                + times.system
                + getattr(times, "irq", 0.0)
                + getattr(times, "softirq", 0.0)
            )
            sample["servers"] = self.servers()
            for name, process in self.processes().items():
                sample["cpu"][name], sample["rss"][name] = self.usage(process)
            try:
                sample["unsent"] = sum(consistency.unsent_by_service(self.stack.database_urls).values())
                queues = consistency.queued(self.amqp, self.namespace)
                sample["queued"] = sum(n for q, n in queues.items() if q.endswith(".events"))
            except Exception:  # noqa: BLE001 - the broker or a database away (the soak's faults): no depth
                sample["unsent"] = sample["queued"] = None
            self.samples.append(sample)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def consumer_lags(database_urls: dict[str, str]) -> list[float]:
    """Seconds from each consumed event's outbox row to the consumer's inbox row."""
    created: dict[str, Any] = {}
    for url in database_urls.values():
        created.update(consistency.rows(url, "SELECT event_id, created_at FROM outbox"))
    lags = []
    for url in database_urls.values():
        for event_id, processed_at in consistency.rows(url, "SELECT event_id, processed_at FROM inbox"):
            if event_id in created:
                lags.append((processed_at - created[event_id]).total_seconds())
    return lags


def stack_config(namespace: str, amqp_url: str, **overrides: Any) -> StackConfig:
    """The local stack for a load run: its own databases and exchange, rate limits off."""
    settings: dict[str, Any] = {
        "postgres_url": environment.postgres_admin_url(),
        "amqp_url": amqp_url,
        "service_port_base": 0,
        "gateway_port": 0,
        "database_prefix": f"{namespace}_",
        "data_dir": Path(tempfile.mkdtemp(prefix="load-stack-")),
        "bus_namespace": namespace,
        "drop_databases_on_stop": True,
        "gunicorn_workers": 2,
        "extra_env": {"RATE_LIMITS_ENABLED": "false", "LOG_LEVEL": "WARNING", "SSE_MAX_PER_SUBJECT": "8"},
    }
    return StackConfig(**(settings | overrides))


class LoadRun:
    """Locust driving the peak hour of N communities through a running stack's gateway,
    with the sampler beside it; `start()`, then `finish()` when Locust's time is up."""

    def __init__(
        self, stack: Stack, communities: int, minutes: float, folder: Path, observe: str | None = None
    ) -> None:
        self.stack, self.communities, self.minutes, self.folder = stack, communities, minutes, folder
        self.observe = observe or stack.config.amqp_url  # the broker the sampler reads queue depths from
        self.users, self.rates = users_and_rates(communities)
        self.lags_path = folder / "department-lags.txt"
        self.errors_path = folder / "errors.txt"
        self.retries_path = folder / "retries.txt"
        folder.mkdir(parents=True, exist_ok=True)

    def start(self) -> None:
        plan = prepare(self.stack, self.users["serve"])
        plan.update(rates=self.rates, seconds=self.minutes * 60)
        plan_path = self.folder / "plan.json"
        plan_path.write_text(json.dumps(plan), encoding="utf-8")
        self.lags_path.write_text("", encoding="utf-8")
        self.errors_path.write_text("", encoding="utf-8")
        self.retries_path.write_text("", encoding="utf-8")
        classes = [CLASSES[k] for k in self.users for _ in range(self.users[k])]
        classes += ["Department"] * DEPARTMENTS
        total_users = len(classes)
        locustfile = str(Path(__file__).with_name("locustfile.py"))
        command = [
            sys.executable, "-m", "locust", "-f", locustfile, "--headless", "--host", self.stack.gateway_url,
            "-u", str(total_users), "-r", str(max(1, total_users // 5)), "-t", f"{int(self.minutes * 60)}s",
            "--csv", str(self.folder / "locust"), "--only-summary", "--stop-timeout", "10",
            *sorted(set(classes)),
        ]  # fmt: skip
        env = {
            **os.environ,
            "LOAD_PLAN": str(plan_path),
            "LOAD_LAGS": str(self.lags_path),
            "LOAD_ERRORS": str(self.errors_path),
            "LOAD_RETRIES": str(self.retries_path),
            "PYTHONPATH": str(ROOT),
            # Fixed user counts per class (the locustfile sets each class's `fixed_count`).
            "LOAD_USER_COUNTS": json.dumps(
                {CLASSES[k]: self.users[k] for k in self.users} | {"Department": DEPARTMENTS}
            ),
        }
        self.started = time.time()
        self.locust = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        namespace = self.stack.config.bus_namespace
        self.sampler = Sampler(self.stack, {"locust": self.locust.pid}, namespace, self.observe)
        self.sampler.start()

    def finish(self) -> None:
        output = self.locust.communicate()[0].decode(errors="replace")
        time.sleep(5)  # the last events reach their consumers
        self.sampler.stop.set()
        self.sampler.join()
        (self.folder / "locust.log").write_text(output, encoding="utf-8")

    def department_deliveries(self) -> list[tuple[float, str, str, str]]:
        """(seconds from the event's time to its arrival, event id, stream id, reader) per delivery."""
        lines = self.lags_path.read_text(encoding="utf-8").splitlines()
        return [(float(lag), event, offset, reader) for lag, event, offset, reader in map(str.split, lines)]

    def retries(self) -> list[str]:
        """`<unix time> <method> <path> <error>` per request the client sent once more."""
        return self.retries_path.read_text(encoding="utf-8").splitlines()

    def failures(self) -> list[tuple[float, str, str]]:
        """(unix time, operation, status or error) per failed request."""
        lines = self.errors_path.read_text(encoding="utf-8").splitlines()
        return [(float(at), name, status) for at, name, status in (line.split(maxsplit=2) for line in lines)]


def run_load(
    communities: int, minutes: float, out: Path, workers: int = 2, threads: int = 4
) -> dict[str, Any]:
    namespace = f"load{uuid.uuid4().hex[:6]}"
    vhost = environment.RabbitVhost()  # the run's own, deleted after it: no queue of it stays behind
    config = stack_config(namespace, vhost.url, gunicorn_workers=workers, gunicorn_threads=threads)
    try:
        with Stack(config) as stack:
            stack.wait_ready(timeout=240)
            run = LoadRun(stack, communities, minutes, out / f"n{communities}")
            run.start()
            run.finish()
            # Requests the services took before Locust stopped may still be running (an overloaded
            # service works through its backlog after the clients left): check once all is quiet.
            consistency.wait_until_quiet(stack.database_urls, config.amqp_url, namespace, timeout=300)
            lags = consumer_lags(stack.database_urls)
            department = [delivery[0] for delivery in run.department_deliveries()]
            problems = consistency.problems(stack.database_urls, config.amqp_url, namespace)
    finally:
        vhost.delete()
    result = summarize(
        communities,
        minutes,
        run.users,
        run.folder,
        run.sampler.samples,
        lags,
        department,
        problems,
        len(run.retries()),
    )
    return result | {"workers": workers, "threads": threads}


def locust_operations(folder: Path) -> list[dict[str, Any]]:
    """Per operation from Locust's statistics: requests, failures, req/s, p50/p95/p99 (ms)."""
    with open(folder / "locust_stats.csv", encoding="utf-8") as handle:
        return [
            {
                "operation": row["Name"],
                "count": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "rps": float(row["Requests/s"]),
                "p50": float(row["50%"]),
                "p95": float(row["95%"]),
                "p99": float(row["99%"]),
            }
            for row in csv.DictReader(handle)
            if row["Name"] != "Aggregated"
        ]


def summarize(
    communities: int,
    minutes: float,
    users: dict[str, int],
    folder: Path,
    samples: list[dict[str, Any]],
    lags: list[float],
    department: list[float],
    problems: list[str],
    retries: int,
) -> dict[str, Any]:
    operations = locust_operations(folder)
    cpu, rss = {}, {}
    for name in {name for sample in samples for name in sample["cpu"]}:
        seen = [s for s in samples if name in s["cpu"]]
        span = seen[-1]["at"] - seen[0]["at"]
        cpu[name] = (seen[-1]["cpu"][name] - seen[0]["cpu"][name]) / span if span > 0 else 0.0
        rss[name] = seen[-1]["rss"][name] / 2**20
    span = samples[-1]["at"] - samples[0]["at"] if len(samples) > 1 else 0.0

    def cores(first: float, last: float) -> float:
        return (last - first) / span if span > 0 else 0.0

    return {
        "communities": communities,
        "minutes": minutes,
        "users": users,
        "operations": operations,
        "retries": retries,
        "machine_cores": cores(samples[0]["machine"], samples[-1]["machine"]),
        "server_cores": {
            name: cores(samples[0]["servers"][name], samples[-1]["servers"][name])
            for name in ("postgresql", "rabbitmq")
        },
        "consumer_lag": {"count": len(lags), "p50": percentile(lags, 50), "p99": percentile(lags, 99)},
        "department_lag": {
            "count": len(department),
            "p50": percentile(department, 50),
            "p99": percentile(department, 99),
        },
        "cpu_cores": cpu,
        "rss_mb": rss,
        "unsent_max": max((s["unsent"] or 0 for s in samples), default=0),
        "queued_max": max((s["queued"] or 0 for s in samples), default=0),
        "series": [
            {"t": s["at"] - samples[0]["at"], "unsent": s["unsent"], "queued": s["queued"]}
            for s in samples
            if s["unsent"] is not None
        ],
        "problems": problems,
    }


def report(results: list[dict[str, Any]]) -> str:
    lines = ["# Load report (bench/load/run.py)", ""]
    for result in results:
        held = all(op["p99"] < 300 for op in result["operations"]) and result["consumer_lag"]["p99"] < 2
        offered = sum(PER_COMMUNITY_HOUR.values()) * result["communities"] / 3600
        achieved = sum(op["rps"] for op in result["operations"])
        lines += [
            f"## {result['communities']} communities, {result['minutes']} min,"
            f" {result['workers']}×{result['threads']} gunicorn workers×threads per service"
            f" — p99 < 300 ms everywhere and event lag p99 < 2 s: {'held' if held else 'NOT held'}",
            "",
            f"Requests answered: {achieved:.1f}/s (the model's request cycles: {offered:.1f}/s; a console"
            " refresh and a clerk's cycle are several requests).",
            "",
            "| operation | requests | failures | req/s | p50 ms | p95 ms | p99 ms |",
            "|---|---|---|---|---|---|---|",
        ]
        for op in sorted(result["operations"], key=lambda o: -o["count"]):
            lines.append(
                f"| {op['operation']} | {op['count']} | {op['failures']} | {op['rps']:.2f} |"
                f" {op['p50']:.0f} | {op['p95']:.0f} | {op['p99']:.0f} |"
            )
        consumer, dept = result["consumer_lag"], result["department_lag"]
        total_cpu = sum(v for k, v in result["cpu_cores"].items() if k != "locust")
        lines += [
            "",
            f"Event lag, outbox row → consumer's inbox row: p50 {consumer['p50'] * 1000:.0f} ms,"
            f" p99 {consumer['p99'] * 1000:.0f} ms over {consumer['count']} events;"
            f" event time → department's stream: p50 {dept['p50'] * 1000:.0f} ms,"
            f" p99 {dept['p99'] * 1000:.0f} ms over {dept['count']} deliveries.",
            f"Requests sent once more after a kept-alive connection closed under them before any answer"
            f" (as a browser does; `BROWSER_RETRY` in the locustfile): {result['retries']}.",
            f"Outbox rows unsent at most {result['unsent_max']}; service queues at most"
            f" {result['queued_max']} messages. Consistency: {result['problems'] or 'no problem found'}.",
            f"CPU (cores) of the platform's processes: {total_cpu:.2f}; of the load generator:"
            f" {result['cpu_cores'].get('locust', 0):.2f}. Per process: "
            + ", ".join(
                f"{k} {v:.2f}" for k, v in sorted(result["cpu_cores"].items(), key=lambda kv: -kv[1])
            ),
            f"The machine: {result['machine_cores']:.2f} of {psutil.cpu_count()} cores busy, of which"
            f" PostgreSQL {result['server_cores']['postgresql']:.2f} and RabbitMQ"
            f" {result['server_cores']['rabbitmq']:.2f}.",
            "Memory (RSS MB): " + ", ".join(f"{k} {v:.0f}" for k, v in sorted(result["rss_mb"].items())),
            "",
        ]
    return "\n".join(lines)


def plot(results: list[dict[str, Any]], path: Path) -> None:
    """p99 of each operation against the load (left); answered and offered requests/s and
    the event lag's p99 against the load (right)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    results = sorted(results, key=lambda r: r["communities"])
    loads = [r["communities"] for r in results]
    figure, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    names = sorted({op["operation"] for r in results for op in r["operations"]})
    for name in names:
        points = [
            (r["communities"], op["p99"])
            for r in results
            for op in r["operations"]
            if op["operation"] == name
        ]
        if name != "GET /events/stream":
            left.plot(*zip(*points, strict=True), marker="o", markersize=3, linewidth=1, label=name)
    left.axhline(300, color="red", linestyle="--", label="goal: p99 300 ms")
    left.set(xscale="log", yscale="log", xlabel="communities", ylabel="p99 ms", title="p99 per operation")
    left.legend(fontsize=6, ncol=2)
    answered = [sum(op["rps"] for op in r["operations"]) for r in results]
    offered = [sum(PER_COMMUNITY_HOUR.values()) * n / 3600 for n in loads]
    right.plot(loads, answered, marker="o", label="requests answered /s")
    right.plot(loads, offered, marker="o", linestyle=":", label="the model's request cycles /s")
    right.set(
        xscale="log", yscale="log", xlabel="communities", ylabel="per second", title="throughput, event lag"
    )
    lag = right.twinx()
    lag.plot(
        loads,
        [r["consumer_lag"]["p99"] * 1000 for r in results],
        color="grey",
        marker="s",
        label="event lag p99 ms",
    )
    lag.set(yscale="log", ylabel="event lag p99 ms (commit → consumer)")
    right.legend(fontsize=7, loc="upper left")
    lag.legend(fontsize=7, loc="lower right")
    figure.tight_layout()
    figure.savefig(path, dpi=90)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communities", type=int, action="append", help="repeat for several loads")
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "load")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per service")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (GUNICORN_THREADS)")
    args = parser.parse_args()
    results = [
        run_load(n, args.minutes, args.out, args.workers, args.threads) for n in args.communities or [7]
    ]
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    text = report(results)
    (args.out / "report.md").write_text(text, encoding="utf-8")
    plot(results, args.out / "load.png")
    print(text)


if __name__ == "__main__":
    main()
