"""Gunicorn settings for the gateway.

    gunicorn -c python:gateway.gunicorn_conf 'gateway.app:create_app()'

Threaded workers (gthread): they keep client connections alive and let an event stream
(SSE) hold one thread while the others go on proxying. Keep SSE_MAX_CLIENTS (per
process) well below GATEWAY_THREADS. Do not preload the app: each worker starts its
own event feed and health prober after the fork (the gateway also restarts them itself
if it finds it was forked).
"""

from __future__ import annotations

import os

bind = os.environ.get("GATEWAY_BIND", "0.0.0.0:8080")
worker_class = "gthread"
workers = int(os.environ.get("GATEWAY_WORKERS", "2"))
threads = int(os.environ.get("GATEWAY_THREADS", "8"))
keepalive = int(os.environ.get("GATEWAY_KEEPALIVE", "5"))
timeout = 30
graceful_timeout = 20
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
