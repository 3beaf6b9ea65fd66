"""The local stack: the production topology as processes on this machine.

Each service's PostgreSQL database and role are created and migrated first; then the
Procfile's processes start (gunicorn per service on its own port, one worker per
service, the gateway with INTAKE_URL/CONTRACTS_URL/GRID_URL/EVALUATION_URL pointing at
them), all against RabbitMQ (AMQP_URL) and PostgreSQL.

    with Stack(StackConfig(...)) as stack:   # start() + wait_ready(), stop() at the end
        stack.kill_worker("grid"); stack.restart_worker("grid")

With `replicas=2` each service runs two web processes (the gateway balances over both)
and two workers (competing consumers; the relays share the outbox). As under compose
or Kubernetes, a process that exits on its own is restarted (with a growing delay while
it keeps failing) and the restart is reported in the log; one stopped on purpose
(`kill_worker`, `stop_worker`, `stop`) is not.
"""

from __future__ import annotations

import base64
import logging
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from services.chassis import auth
from services.chassis.config import COMMUNITIES, Settings

from . import databases, procfile
from .registry import SERVICES

# Services that seal data at rest (each gets its key).
PERSONAL_DATA_SERVICES = ("contracts", "grid", "intake", "subscriptions", "notifications")

DEPLOY_DIR = Path(__file__).resolve().parent
ROOT = DEPLOY_DIR.parent
log = logging.getLogger("deploy.stack")
RESTART_FIRST_DELAY = 0.1
RESTART_MAX_DELAY = 5.0
RESTART_STABLE_SECONDS = 10.0  # a process up this long starts again from the first delay


class StackError(RuntimeError):
    """The stack could not be prepared, or a process failed."""


@dataclass
class StackConfig:
    """Where the stack's processes find PostgreSQL and RabbitMQ, and where they listen."""

    postgres_url: str = "postgresql://postgres@127.0.0.1:5432/postgres"
    amqp_url: str = "amqp://guest:guest@127.0.0.1:5672//"
    host: str = "127.0.0.1"
    gateway_port: int = 8080
    service_port_base: int = 8101  # intake 8101, contracts 8102, ...; 0: free ports
    database_prefix: str = "community_"
    data_dir: Path = field(default_factory=lambda: Path("var/stack"))
    bus_namespace: str = ""
    gunicorn_workers: int = 1
    gunicorn_threads: int = 4
    replicas: int = 1  # web processes and workers per service
    supervise: bool = True  # restart a process that exits on its own
    gateway: bool = True  # start the gateway (it reads the services' *_URL variables)
    log_to_files: bool = True
    drop_databases_on_stop: bool = False
    extra_env: dict[str, str] = field(default_factory=dict)
    procfile: Path = DEPLOY_DIR / "Procfile"


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


class Stack:
    """Starts, watches and stops the local stack's processes."""

    def __init__(self, config: StackConfig | None = None) -> None:
        self.config = config or StackConfig()
        self.data_dir = self.config.data_dir.resolve()
        self.ports: dict[str, int] = {}
        self.database_urls: dict[str, str] = {}
        self.children: dict[str, procfile.Child] = {}
        self.env: dict[str, str] = {}
        self.restarts: list[tuple[float, str, int | None]] = []  # (monotonic time, name, exit status)
        self._held: set[str] = set()  # stopped on purpose: not restarted
        self._lock = threading.RLock()
        self._stopping = threading.Event()
        self._supervisor: threading.Thread | None = None

    # -- set-up -----------------------------------------------------------------------

    def _choose_ports(self) -> None:
        base = self.config.service_port_base
        for index, service in enumerate(SERVICES):
            self.ports[service] = base + index if base else free_port(self.config.host)
            for replica in range(2, self.config.replicas + 1):
                port = base + index + 10 * (replica - 1) if base else free_port(self.config.host)
                self.ports[f"{service}.{replica}"] = port
        self.ports["gateway"] = self.config.gateway_port or free_port(self.config.host)
        for replica in range(2, self.config.replicas + 1):
            gateway_port = self.config.gateway_port
            self.ports[f"gateway.{replica}"] = (
                gateway_port + 10 * (replica - 1) if gateway_port else free_port(self.config.host)
            )

    def _replica_ports(self, service: str) -> list[int]:
        return [self.ports[service]] + [
            self.ports[f"{service}.{r}"] for r in range(2, self.config.replicas + 1)
        ]

    def database_name(self, service: str) -> str:
        return f"{self.config.database_prefix}{service}"

    def prepare(self) -> None:
        """Key pair, one database and role per service (created and migrated), environment."""
        keys = self.data_dir / "keys"
        auth.generate_key_pair(keys / "jwt-private.pem", keys / "jwt-public.pem")
        self._choose_ports()
        for service in SERVICES:
            self.database_urls[service] = databases.provision(
                self.config.postgres_url, self.database_name(service), secrets.token_hex(16)
            )
        self.env = self._environment()
        for service in SERVICES:
            result = subprocess.run(
                [sys.executable, "-m", "deploy.cli", "migrate", service],
                env=self.env,
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=300,
            )
            if result.returncode != 0:
                raise StackError(f"migrating {service} failed:\n{result.stderr[-3000:]}")

    def _environment(self) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.endswith("_DATABASE_URL") and key != "PROMETHEUS_MULTIPROC_DIR"
        }
        host = self.config.host
        env.update(
            {
                "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
                "DEPLOY_DIR": str(DEPLOY_DIR),
                "HOST": host,
                "GATEWAY_PORT": str(self.ports["gateway"]),
                "COMMUNITY_DATA_DIR": str(self.data_dir),
                "COMMUNITY_ENV": "stack",
                "AMQP_URL": self.config.amqp_url,
                "EVENT_BUS_NAMESPACE": self.config.bus_namespace,
                "GUNICORN_WORKERS": str(self.config.gunicorn_workers),
                "GUNICORN_THREADS": str(self.config.gunicorn_threads),
                "GUNICORN_ACCESS_LOG": env.get("GUNICORN_ACCESS_LOG", "off"),
                "JWT_PUBLIC_KEY_PATH": str(self.data_dir / "keys" / "jwt-public.pem"),
                "JWT_PRIVATE_KEY_PATH": str(self.data_dir / "keys" / "jwt-private.pem"),
                "TMPDIR": str(self.data_dir / "tmp"),
            }
        )
        (self.data_dir / "tmp").mkdir(parents=True, exist_ok=True)
        for service in PERSONAL_DATA_SERVICES:
            env.setdefault(f"{service.upper()}_PERSONAL_DATA_KEY", self._personal_data_key(service))
        for service in SERVICES:
            env[f"{service.upper()}_PORT"] = str(self.ports[service])
            env[f"{service.upper()}_URL"] = ",".join(
                f"http://{host}:{port}" for port in self._replica_ports(service)
            )
            env[f"{service.upper()}_DATABASE_URL"] = self.database_urls[service]
        env.update(self.config.extra_env)
        return env

    def _personal_data_key(self, service: str) -> str:
        """The stack's key of a service, made once and kept with its data (like a real deployment)."""
        path = self.data_dir / "keys" / f"{service}-personal-data.key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(base64.urlsafe_b64encode(os.urandom(32)).decode())
            path.chmod(0o600)
        return path.read_text().strip()

    # -- running ----------------------------------------------------------------------

    def start(self) -> Stack:
        """Prepare, then start every Procfile process (the gateway as configured)."""
        self.prepare()
        entries = procfile.parse(self.config.procfile)
        if not self.config.gateway:
            entries = [e for e in entries if e.name != "gateway"]
        for entry in entries:
            self._spawn(entry)
            for replica in range(2, self.config.replicas + 1):
                self._spawn(entry, replica)
        if self.config.supervise:
            self._supervisor = threading.Thread(target=self._supervise, name="stack-supervisor", daemon=True)
            self._supervisor.start()
        return self

    def _spawn(self, entry: procfile.Entry, replica: int = 1, name: str | None = None) -> procfile.Child:
        name = name or (entry.name if replica == 1 else f"{entry.name}.{replica}")
        env = {**self.env, "COMMUNITY_PROCESS": name}
        service = entry.name.split("-")[0]
        if replica > 1 and (entry.name.endswith("-web") or entry.name == "gateway"):
            env[f"{service.upper()}_PORT"] = str(self.ports[f"{service}.{replica}"])
        log_path = self.data_dir / "logs" / f"{name}.log" if self.config.log_to_files else None
        child = procfile.Child(entry, entry.argv(env), env, ROOT, log_path, replica=replica)
        child.start()
        with self._lock:
            self.children[name] = child
        return child

    def _supervise(self) -> None:
        """Restart every process that exits on its own, sooner the longer it had run."""
        delays: dict[str, float] = {}
        due: dict[str, float] = {}
        while not self._stopping.wait(0.05):
            now = time.monotonic()
            with self._lock:
                for name, child in list(self.children.items()):
                    if name in self._held or child.running():
                        continue
                    if name not in due:
                        status = child.process.returncode if child.process else None
                        stable = now - child.started_at > RESTART_STABLE_SECONDS
                        delay = RESTART_FIRST_DELAY if stable else delays.get(name, RESTART_FIRST_DELAY)
                        delays[name] = min(delay * 2, RESTART_MAX_DELAY)
                        due[name] = now + delay
                        self.restarts.append((now, name, status))
                        log.warning("supervisor: %s exited with %s; restarting in %.1fs", name, status, delay)
                        self._log_to(child, f"supervisor: exited with {status}; restarting in {delay:.1f}s")
                        child.terminate_group()  # gunicorn's orphaned workers finish their requests
                        child.close()
                    elif now >= due[name]:
                        del due[name]
                        self._spawn(child.entry, child.replica, name)

    @staticmethod
    def _log_to(child: procfile.Child, message: str) -> None:
        if child.log_path is not None:
            with child.log_path.open("a") as handle:
                handle.write(f"{message}\n")

    @property
    def urls(self) -> dict[str, str]:
        """Base URL of each service's web process."""
        return {s: f"http://{self.config.host}:{self.ports[s]}" for s in SERVICES}

    @property
    def gateway_urls(self) -> list[str]:
        """Base URL of each gateway process (one per replica)."""
        if "gateway" not in self.children:
            return []
        return [
            f"http://{self.config.host}:{self.ports[name]}"
            for name in ["gateway"] + [f"gateway.{r}" for r in range(2, self.config.replicas + 1)]
        ]

    @property
    def gateway_url(self) -> str | None:
        return f"http://{self.config.host}:{self.ports['gateway']}" if ("gateway" in self.children) else None

    def token(
        self, *roles: str, communities: tuple[str, ...] = COMMUNITIES, sub: str | None = None, **claims: Any
    ) -> str:
        """A bearer token the stack's processes accept (signed with the stack's key)."""
        settings = Settings.from_env(
            "stack",
            {
                "data_dir": self.data_dir,
                "jwt_jwks_url": None,
                "jwt_private_key_path": self.data_dir / "keys" / "jwt-private.pem",
                "jwt_public_key_path": self.data_dir / "keys" / "jwt-public.pem",
                "jwt_issuer": self.env.get("JWT_ISSUER") or "community-platform",
                "jwt_audience": self.env.get("JWT_AUDIENCE") or "community-platform",
            },
        )
        return auth.issue_token(
            settings, sub=sub or f"{roles[0]}-stack", roles=roles, communities=communities, **claims
        )

    def failed(self) -> dict[str, int]:
        """Processes that exited, with their exit status."""
        return {
            name: child.process.returncode
            for name, child in self.children.items()
            if child.process is not None and child.process.poll() is not None
        }

    def wait_ready(self, timeout: float = 60.0) -> None:
        """Wait until every web process's /readyz (and the gateway's) answers 200."""
        pending = {
            f"{service}-web:{port}": f"http://{self.config.host}:{port}/readyz"
            for service in SERVICES
            for port in self._replica_ports(service)
        }
        for url in self.gateway_urls:
            pending[f"gateway:{url}"] = f"{url}/readyz"
        deadline = time.monotonic() + timeout
        while pending:
            failed = self.failed()
            if failed:
                name = next(iter(failed))
                raise StackError(f"{name} exited with {failed[name]}:\n{self.children[name].tail()}")
            for name, url in list(pending.items()):
                if _answers_200(url):
                    del pending[name]
            if pending and time.monotonic() > deadline:
                raise StackError(f"not ready after {timeout}s: {', '.join(sorted(pending))}")
            time.sleep(0.2)

    def crash(self, name: str) -> int:
        """SIGKILL process `name` as a crash would (the supervisor restarts it); its old pid."""
        child = self.children[name]
        pid = child.pid
        assert pid is not None
        child.signal(signal.SIGKILL)
        return pid

    def restart(self, name: str) -> int:
        """SIGTERM process `name` (it finishes what it is doing); the supervisor starts it again."""
        child = self.children[name]
        pid = child.pid
        assert pid is not None
        child.signal(signal.SIGTERM)
        return pid

    def kill_worker(self, service: str) -> int:
        """SIGKILL the service's worker (no chance to finish anything); return its old pid."""
        self._held.add(f"{service}-worker")
        child = self.children[f"{service}-worker"]
        pid = child.pid
        child.signal(signal.SIGKILL)
        child.wait(10)
        assert pid is not None
        return pid

    def stop_worker(self, service: str, timeout: float = 30.0) -> int | None:
        """SIGTERM the worker (it finishes the message in hand); return its exit status."""
        self._held.add(f"{service}-worker")
        child = self.children[f"{service}-worker"]
        child.signal(signal.SIGTERM)
        return child.wait(timeout)

    def restart_worker(self, service: str) -> int:
        """Start the service's worker again (stopping it first if it runs); return its pid."""
        name = f"{service}-worker"
        old = self.children[name]
        if old.running():
            self.stop_worker(service)
        old.close()
        child = self._spawn(old.entry)
        self._held.discard(name)
        assert child.pid is not None
        return child.pid

    def stop(self, timeout: float = 30.0) -> dict[str, int | None]:
        """SIGTERM every process (gateway first), wait, SIGKILL what is left; exit statuses."""
        self._stopping.set()
        if self._supervisor is not None:
            self._supervisor.join(5)
        order = sorted(
            self.children.values(), key=lambda c: (c.entry.name != "gateway", c.entry.name.endswith("worker"))
        )
        for child in order:
            child.signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        statuses: dict[str, int | None] = {}
        for child in order:
            status = child.wait(max(0.1, deadline - time.monotonic()))
            statuses[child.env.get("COMMUNITY_PROCESS", child.entry.name)] = status
            if status is None:
                child.kill_group()
            child.close()
        if self.config.drop_databases_on_stop:
            self.drop_databases()
        return statuses

    def drop_databases(self) -> None:
        for service in SERVICES:
            databases.drop(self.config.postgres_url, self.database_name(service))

    def __enter__(self) -> Stack:
        try:
            self.start()
            self.wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()


def _answers_200(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False
