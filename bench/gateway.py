"""Gateway benchmark: direct to a service vs through the gateway vs through nginx.

All three on the same authenticated read endpoint, measured in one run with wrk:
  direct   wrk → service (gunicorn)
  gateway  wrk → gateway (gunicorn, `gateway.app:create_app()`) → service
  nginx    wrk → nginx (upstream keepalive) → service   (when nginx is installed)

The endpoint is the intake service's `GET /windows/<id>` (the window desk's read: bearer
token verified, community check, one PostgreSQL read, ETag, marshmallow response), the
real service under gunicorn on its own migrated database.

Three measurements per target, in rounds interleaved across the targets (medians):
  throughput  wrk saturating the server with 8 connections (closed loop) → requests/s,
              p50, and CPU per request of the service and of the proxy
  latency     8 connections each pausing a random 0–2×PAUSE_MS between requests (below
              saturation, so p50 shows the per-hop cost instead of queueing), run against
              the proxy and, at the same moment, against the service directly (a second
              wrk): added p50 = proxy p50 − direct p50 of that same interval. Measured one
              after the other, the direct p50 alone moved by 1–2 ms between rounds on this
              VM (cold caches and wake-ups after each pause), more than the effect measured;
              side by side both see the same machine.
  1 connection  closed loop, one connection → p50 of an unloaded, warm path

Run: python bench/gateway.py [--duration 10] [--redis]
Needs PostgreSQL on 127.0.0.1:5432, wrk (`apt-get install -y wrk nginx`; the script tries
apt-get itself when they are missing and it runs as root). Starts everything it needs on
free ports and drops its database afterwards.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.support import free_port, server_env, wait_http  # noqa: E402
from gateway.settings import UPSTREAMS  # noqa: E402

ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
CONNECTIONS = 8
PAUSE_MS = 50
DELAY_SCRIPT = f"function delay()\n  return math.random(0, {2 * PAUSE_MS})\nend\n"


def ensure_tools() -> None:
    missing = [
        tool
        for tool in ("wrk", "nginx")
        if shutil.which(tool) is None and not Path(f"/usr/sbin/{tool}").exists()
    ]
    if missing and os.geteuid() == 0 and shutil.which("apt-get"):
        print(f"installing {' '.join(missing)} with apt-get ...", flush=True)
        subprocess.run(
            ["apt-get", "install", "-y", "-q", *missing],
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install -y wrk")


def nginx_binary() -> str | None:
    fallback = "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    return shutil.which("nginx") or fallback


class Stack:
    """Database, keys, the service, the gateway and nginx; torn down in reverse order."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.folder = Path(tempfile.mkdtemp(prefix="bench-gateway-"))
        self.processes: list[subprocess.Popen[bytes]] = []
        self.last_group = 0
        self.database = f"bench_gateway_{uuid.uuid4().hex[:8]}"
        self.env = server_env(self.folder)

    def start(self) -> tuple[str, str]:
        """Create everything; return (token, window id)."""
        from sqlalchemy import create_engine, pool, text

        from deploy import registry
        from services.chassis import auth, migrations
        from services.chassis.config import Settings
        from services.chassis.runtime import Runtime
        from services.intake import models
        from services.intake.app import create_app

        admin = create_engine(ADMIN_URL, poolclass=pool.NullPool, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{self.database}"'))
        admin.dispose()
        url = ADMIN_URL.rsplit("/", 1)[0] + "/" + self.database
        migrations.upgrade(registry.migrations("intake"), url)
        self.env["INTAKE_DATABASE_URL"] = url
        settings = Settings.from_env(
            "intake", {"data_dir": self.folder, "database_url": url, "amqp_url": "memory://"}
        )
        auth.ensure_local_keys(settings)
        token = auth.issue_token(
            settings, sub="bench-staff", roles=["center_staff"], communities=["huaguoshan"]
        )
        runtime = Runtime(settings, models.Base.metadata)
        created = (
            create_app(runtime=runtime)
            .test_client()
            .post(
                "/windows",
                json={
                    "community": "huaguoshan",
                    "number": 3,
                    "mode": "generalist",
                    "status": "open",
                    "label": "3号窗口",
                },
                headers={"Authorization": f"Bearer {token}"},
            )
        )
        runtime.database.dispose()
        if created.status_code != 201:
            raise RuntimeError(f"could not create the window: {created.get_data(as_text=True)}")
        return token, created.get_json()["id"]

    def gunicorn(
        self,
        app: str,
        port: int,
        workers: int,
        threads: int,
        env: dict[str, str] | None = None,
        worker_class: str = "gthread",
    ) -> str:
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            app,
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            worker_class,
            "--threads",
            str(threads),
            "--keep-alive",
            "5",
            "--log-level",
            "warning",
        ]
        process = subprocess.Popen(command, cwd=ROOT, env={**self.env, **(env or {})}, start_new_session=True)
        self.processes.append(process)
        self.last_group = process.pid
        base = f"http://127.0.0.1:{port}"
        wait_http(base + "/healthz")
        return base

    def nginx(self, upstream_port: int) -> str | None:
        binary = nginx_binary()
        if binary is None:
            return None
        port = free_port()
        prefix = self.folder / "nginx"
        (prefix / "logs").mkdir(parents=True, exist_ok=True)
        config = prefix / "nginx.conf"
        config.write_text(f"""
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {prefix}/body; proxy_temp_path {prefix}/proxy;
  fastcgi_temp_path {prefix}/fastcgi; uwsgi_temp_path {prefix}/uwsgi; scgi_temp_path {prefix}/scgi;
  upstream intake {{ server 127.0.0.1:{upstream_port}; keepalive 32; }}
  server {{
    listen 127.0.0.1:{port};
    location /api/intake/ {{
      proxy_pass http://intake/;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Forwarded-For $remote_addr;
    }}
    location = /healthz {{ return 200 "ok"; }}
  }}
}}
""")
        process = subprocess.Popen(
            [binary, "-p", str(prefix), "-c", str(config), "-g", "daemon off;"], start_new_session=True
        )
        self.processes.append(process)
        self.last_group = process.pid
        base = f"http://127.0.0.1:{port}"
        wait_http(base + "/healthz")
        return base

    def stop(self) -> None:
        for process in reversed(self.processes):
            try:
                os.killpg(process.pid, signal.SIGTERM)
            except ProcessLookupError:
                continue
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        from sqlalchemy import create_engine, pool, text

        admin = create_engine(ADMIN_URL, poolclass=pool.NullPool, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)'))
        admin.dispose()
        shutil.rmtree(self.folder, ignore_errors=True)


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def wrk_command(
    url: str,
    token: str,
    duration: int,
    script: Path | None = None,
    connections: int = CONNECTIONS,
    threads: int = 2,
) -> list[str]:
    command = [
        "wrk",
        "-t",
        str(min(threads, connections)),
        "-c",
        str(connections),
        "-d",
        f"{duration}s",
        "--latency",
        "-H",
        f"Authorization: Bearer {token}",
        url,
    ]
    if script is not None:
        command[1:1] = ["-s", str(script)]
    return command


def wrk_figures(output: str) -> dict[str, float]:
    """Requests/s, p50/p99 in ms and the non-2xx count from wrk's report."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", output)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", output)
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    return {
        "rps": rps,
        "p50": _ms(*p50.groups()) if p50 else float("nan"),  # type: ignore[arg-type]
        "p99": _ms(*p99.groups()) if p99 else float("nan"),  # type: ignore[arg-type]
        "errors": float(errors.group(1)) if errors else 0.0,
    }


def wrk(
    url: str, token: str, duration: int, script: Path | None = None, connections: int = CONNECTIONS
) -> dict[str, float]:
    """Run wrk (8 connections by default); requests/s, p50/p99 in ms, non-2xx count."""
    command = wrk_command(url, token, duration, script, connections)
    return wrk_figures(subprocess.run(command, capture_output=True, text=True, check=True).stdout)


def wrk_side_by_side(urls: list[str], token: str, duration: int, script: Path) -> list[dict[str, float]]:
    """Paced wrk runs against every url at the same moment (one wrk thread each)."""
    runs = [
        subprocess.Popen(
            wrk_command(url, token, duration, script, threads=1), stdout=subprocess.PIPE, text=True
        )
        for url in urls
    ]
    outputs = [run.communicate()[0] for run in runs]
    if any(run.returncode for run in runs):
        raise RuntimeError("wrk failed")
    return [wrk_figures(output) for output in outputs]


def cpu_seconds(group: int) -> float:
    """User + system CPU seconds of every live process in process group `group`."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group:  # pgrp
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def check(url: str, token: str) -> None:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.status == 200, response.status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (medians)")
    parser.add_argument("--service-workers", type=int, default=2)
    parser.add_argument("--service-threads", type=int, default=4)
    parser.add_argument("--gateway-workers", type=int, default=2)
    parser.add_argument("--gateway-threads", type=int, default=4)
    parser.add_argument(
        "--gateway-worker-class",
        default="gevent",
        help="as deployed (deploy/gunicorn.conf.py); gthread to compare",
    )
    parser.add_argument(
        "--redis", action="store_true", help="also measure the gateway with rate-limit counters in Redis"
    )
    args = parser.parse_args()
    ensure_tools()
    stack = Stack(args)
    try:
        token, window_id = stack.start()
        path = f"/windows/{window_id}"
        service_port = free_port()
        service = stack.gunicorn(
            "services.intake.app:create_app()", service_port, args.service_workers, args.service_threads
        )
        upstream_env = {f"{s.upper()}_URL": service for s in UPSTREAMS}
        limits = {"RATE_LIMIT_READ": "100000000/minute"}
        targets = {"direct": service + path}
        groups = {"service": stack.last_group}
        gateway = stack.gunicorn(
            "gateway.app:create_app()",
            free_port(),
            args.gateway_workers,
            args.gateway_threads,
            {**upstream_env, **limits},
            args.gateway_worker_class,
        )
        targets["gateway"] = gateway + "/api/intake" + path
        groups["gateway"] = stack.last_group
        if args.redis:
            redis_gateway = stack.gunicorn(
                "gateway.app:create_app()",
                free_port(),
                args.gateway_workers,
                args.gateway_threads,
                {**upstream_env, **limits, "REDIS_URL": "redis://127.0.0.1:6379/15"},
            )
            targets["gateway+redis"] = redis_gateway + "/api/intake" + path
            groups["gateway+redis"] = stack.last_group
        nginx = stack.nginx(service_port)
        if nginx:
            targets["nginx"] = nginx + "/api/intake" + path
            groups["nginx"] = stack.last_group
        for url in targets.values():
            check(url, token)
        script = stack.folder / "delay.lua"
        script.write_text(DELAY_SCRIPT)
        rounds: list[dict[str, dict[str, dict[str, float]]]] = []
        for number in range(args.rounds):  # interleaved, so a busy moment hits every target
            print(f"round {number + 1}/{args.rounds} ...", flush=True)
            rounds.append(
                {
                    name: measure(name, url, targets["direct"], token, groups, args.duration, script)
                    for name, url in targets.items()
                }
            )
        report(medians(rounds), spreads(rounds), args)
    finally:
        stack.stop()


def measure(
    name: str, url: str, direct: str, token: str, groups: dict[str, int], duration: int, script: Path
) -> dict[str, dict[str, float]]:
    """Saturating run (with CPU per request), paced run beside a direct one, one connection."""
    wrk(url, token, 2)  # warm-up: connections, caches
    before = {group: cpu_seconds(pid) for group, pid in groups.items()}
    load = wrk(url, token, duration)
    requests = max(1.0, load["rps"] * duration)
    load["cpu_service"] = (cpu_seconds(groups["service"]) - before["service"]) / requests * 1000
    load["cpu_proxy"] = (
        (cpu_seconds(groups[name]) - before[name]) / requests * 1000 if name in groups else 0.0
    )
    if url == direct:
        paced = wrk(url, token, duration, script)
        paced["added"] = 0.0
    else:
        paced, beside = wrk_side_by_side([url, direct], token, duration, script)
        paced["added"] = paced["p50"] - beside["p50"]
    return {"load": load, "paced": paced, "single": wrk(url, token, max(2, duration // 2), connections=1)}


def medians(rounds: list[dict[str, dict[str, dict[str, float]]]]) -> dict[str, dict[str, dict[str, float]]]:
    """The median of every figure over the rounds."""
    merged: dict[str, dict[str, dict[str, float]]] = {}
    for name, result in rounds[0].items():
        merged[name] = {
            kind: {key: statistics.median(r[name][kind][key] for r in rounds) for key in figures}
            for kind, figures in result.items()
        }
    return merged


def spreads(rounds: list[dict[str, dict[str, dict[str, float]]]]) -> dict[str, tuple[float, float]]:
    """The lowest and highest added paced p50 of every target over the rounds."""
    return {
        name: (min(r[name]["paced"]["added"] for r in rounds), max(r[name]["paced"]["added"] for r in rounds))
        for name in rounds[0]
    }


def report(
    results: dict[str, dict[str, dict[str, float]]],
    spread: dict[str, tuple[float, float]],
    args: argparse.Namespace,
) -> None:
    direct = results["direct"]
    print(
        f"\nintake GET /windows/<id> (bearer token, one PostgreSQL read), {CONNECTIONS} connections, "
        f"{args.duration}s per run, median of {args.rounds} rounds, {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    print(
        f"service: gunicorn gthread {args.service_workers}x{args.service_threads}; gateway: "
        f"gunicorn {args.gateway_worker_class} {args.gateway_workers}x{args.gateway_threads}"
    )
    print(
        f"{'target':<14}{'req/s':>10}{'ratio':>8}{'p50 ms':>9}{'p99 ms':>9}"
        f"{'paced p50':>11}{'added p50':>11}{'(lowest-highest)':>18}{'1-conn p50':>12}"
        f"{'added':>7}{'non-2xx':>9}{'CPU ms/req svc+proxy':>22}"
    )
    for name, result in results.items():
        load, paced = result["load"], result["paced"]
        low, high = spread[name]
        print(
            f"{name:<14}{load['rps']:>10.0f}{load['rps'] / direct['load']['rps']:>8.2f}"
            f"{load['p50']:>9.2f}{load['p99']:>9.2f}{paced['p50']:>11.2f}"
            f"{paced['added']:>11.2f}{f'({low:.2f} to {high:.2f})':>18}"
            f"{result['single']['p50']:>12.2f}"
            f"{result['single']['p50'] - direct['single']['p50']:>7.2f}"
            f"{load['errors'] + paced['errors']:>9.0f}"
            f"{load['cpu_service']:>13.2f} + {load['cpu_proxy']:.2f}"
        )
    gateway = results["gateway"]
    ratio = gateway["load"]["rps"] / direct["load"]["rps"]
    added = gateway["paced"]["added"]
    single = gateway["single"]["p50"] - direct["single"]["p50"]
    print(
        f"\ngateway throughput {ratio:.2f}x direct (goal >= 0.5); added p50 {added:.2f} ms "
        f"at {CONNECTIONS} paced connections, measured beside direct (goal <= 1 ms; "
        f"{spread['gateway'][0]:.2f} to {spread['gateway'][1]:.2f} over the rounds), "
        f"{single:.2f} ms at 1 connection"
    )


if __name__ == "__main__":
    main()
