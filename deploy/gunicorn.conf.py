"""Gunicorn settings for every web process of the platform (services and gateway).

Everything comes from the environment so one image fits every deployment:
GUNICORN_WORKERS, GUNICORN_THREADS, GUNICORN_TIMEOUT, GUNICORN_GRACEFUL_TIMEOUT,
GUNICORN_KEEPALIVE, GUNICORN_MAX_REQUESTS, GUNICORN_BIND (or HOST and PORT),
GUNICORN_WORKER_CLASS (gevent for the gateway, gthread for the services), HTTP_CLIENT_TIMEOUT,
GUNICORN_ACCESS_LOG ("-" for stdout, "off" for none), FORWARDED_ALLOW_IPS, LOG_LEVEL,
PROMETHEUS_MULTIPROC_DIR. See docs/operations.md.
"""

import gc
import os
import shutil
import tempfile


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


bind = os.environ.get("GUNICORN_BIND") or (
    f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"
)
workers = _int("GUNICORN_WORKERS", 2)
threads = _int("GUNICORN_THREADS", 4)
# The gateway only moves bytes between sockets: gevent workers serve it with less CPU per
# request than threads and hold event streams cheaply (bench/gateway.py). The services
# talk to PostgreSQL through psycopg and keep threads.
_gateway = os.environ.get("COMMUNITY_PROCESS", "").startswith("gateway")
# Both with a timeout on every client socket (HTTP_CLIENT_TIMEOUT, deploy/gunicorn_workers.py):
# an idle or slow client never holds a thread or a connection slot for ever.
_WORKERS = {
    "gevent": "deploy.gunicorn_workers.ClientTimeoutGeventWorker",
    "gthread": "deploy.gunicorn_workers.ClientTimeoutThreadWorker",
}
_worker_kind = os.environ.get("GUNICORN_WORKER_CLASS") or ("gevent" if _gateway else "gthread")
worker_class = _WORKERS.get(_worker_kind, _worker_kind)
if _worker_kind == "gevent":
    worker_connections = _int("GUNICORN_WORKER_CONNECTIONS", 1000)
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 25)
# The gateway keeps a client's idle connection 20 s: pages polling every 10-15 s reuse it.
# gunicorn's gevent worker bounds the parsing of the next request by the same deadline, so
# a request arriving just before it is dropped unanswered; keeping the deadline away from
# the clients' intervals makes that rare (docs/operations.md). Below HTTP_CLIENT_TIMEOUT
# (30 s). The services keep 5 s, above the gateway's pool idle time (1.5 s).
keepalive = _int("GUNICORN_KEEPALIVE", 20 if _gateway else 5)
max_requests = _int("GUNICORN_MAX_REQUESTS", 0)
max_requests_jitter = max_requests // 10
_SHM = "/dev/shm"  # heartbeat files in memory: /tmp may be a slow or read-only disk
worker_tmp_dir = _SHM if os.path.isdir(_SHM) and os.access(_SHM, os.W_OK) else None
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = os.environ.get("COMMUNITY_PROCESS") or None
# No `gunicornc` control socket: it would land in $HOME (read-only in the image) and
# several gunicorns of the local stack would fight over one path.
control_socket_disable = True

loglevel = os.environ.get("LOG_LEVEL", "info").lower()
errorlog = "-"
# Off by default: every service and the gateway already write one JSON access line per
# request (with its request id); "-" adds gunicorn's own (bytes, peer, user agent).
_access = os.environ.get("GUNICORN_ACCESS_LOG", "off").strip()
accesslog = None if _access.lower() in ("off", "none", "") else _access
logger_class = "deploy.gunicorn_logging.JsonLogger"

# Prometheus metrics from several worker processes: each worker writes its samples to
# files in one folder, /metrics adds them up. The folder must be set before
# prometheus_client is imported (the app is imported after this file, in the workers).
_created_multiproc_dir = False
if workers > 1 and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = os.path.join(tempfile.gettempdir(), f"prometheus-{os.getpid()}")
    _created_multiproc_dir = True


def on_starting(server) -> None:  # noqa: ANN001 - gunicorn's hook signature
    """Start from an empty metrics folder: files of a previous run would be added up."""
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder, exist_ok=True)


def post_worker_init(worker) -> None:  # noqa: ANN001
    """Put what the worker loaded (modules, schemas, ORM mappings: ~150 000 objects in a
    service) out of the garbage collector's reach. A full collection walked all of it,
    pausing every thread of the process for about 80 ms (measured under load); now it walks what requests left
    (docs/performance.md, "The load test")."""
    gc.freeze()


def child_exit(server, worker) -> None:  # noqa: ANN001
    """Drop the live gauges of a worker that exited (its counters stay counted)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


def on_exit(server) -> None:  # noqa: ANN001
    """Remove the metrics folder this file made up (a configured one is left to its owner)."""
    if _created_multiproc_dir:
        shutil.rmtree(os.environ["PROMETHEUS_MULTIPROC_DIR"], ignore_errors=True)
