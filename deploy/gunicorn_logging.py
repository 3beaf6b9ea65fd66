"""Gunicorn's own logs as JSON lines: the access log (one object per request) and the error log."""

from __future__ import annotations

import json
import logging
import os
from datetime import UTC, datetime
from typing import Any

from gunicorn.glogging import Logger

REQUEST_ID_HEADER = "x-request-id"


class JsonLineFormatter(logging.Formatter):
    """Formats a record as one JSON object; a dict message is merged in as fields."""

    def __init__(self, process: str | None) -> None:
        super().__init__()
        self.process = process

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "process": self.process,
            "pid": record.process,
        }
        if isinstance(record.msg, dict):
            line.update(record.msg)
        else:
            line["message"] = record.getMessage()
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class JsonLogger(Logger):
    """`logger_class` for gunicorn: the same outputs as the default logger, as JSON lines."""

    def _set_handler(self, log: logging.Logger, output: Any, fmt: Any, stream: Any = None) -> None:
        super()._set_handler(
            log, output, JsonLineFormatter(os.environ.get("COMMUNITY_PROCESS")), stream=stream
        )

    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> None:
        """One JSON object per request; the path without its query (it may hold personal data)."""
        if not self.access_log_enabled:
            return
        headers = {name.lower(): value for name, value in (resp.headers or [])}
        status = resp.status.split(None, 1)[0] if isinstance(resp.status, str) else resp.status
        fields = {
            "message": "request",
            "method": environ.get("REQUEST_METHOD"),
            "path": environ.get("PATH_INFO"),
            "status": int(status) if str(status).isdigit() else status,
            "bytes": getattr(resp, "sent", None),
            "duration_ms": round(request_time.total_seconds() * 1000, 2),
            "remote_addr": environ.get("REMOTE_ADDR"),
            "user_agent": environ.get("HTTP_USER_AGENT"),
            "request_id": headers.get(REQUEST_ID_HEADER) or environ.get("HTTP_X_REQUEST_ID"),
        }
        try:
            self.access_log.info(fields)
        except Exception:  # a log line must never break a response
            self.exception("could not write the access log line")
