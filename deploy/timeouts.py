"""How long a web server waits on a silent client, in every server mode (`HTTP_CLIENT_TIMEOUT`).

gunicorn's workers (`deploy/gunicorn_workers.py`) and the embedded server
(`deploy/embedded.py`) give every client socket this timeout for each read and write:
an idle connection, a request sent a byte at a time (slowloris) or a response nobody
reads is closed and its thread freed.
"""

from __future__ import annotations

import os

CLIENT_TIMEOUT_ENV = "HTTP_CLIENT_TIMEOUT"
DEFAULT_CLIENT_TIMEOUT = 30.0


def client_timeout() -> float:
    """Seconds a client may stay silent while its request is read or its answer written."""
    value = os.environ.get(CLIENT_TIMEOUT_ENV, "").strip()
    return float(value) if value else DEFAULT_CLIENT_TIMEOUT
