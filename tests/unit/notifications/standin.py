"""A local HTTP server standing in for a provider's endpoint: it records each request and
answers from a queue of canned JSON answers (the last one repeats)."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit


@dataclass(frozen=True)
class Received:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    at: float = field(default_factory=time.monotonic)  # when it arrived (CLOCK_MONOTONIC)


class StandIn:
    def __init__(self, *answers: dict[str, Any]) -> None:
        self.answers = list(answers) or [{}]
        self.received: list[Received] = []
        self.lock = threading.Lock()
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                with stand_in.lock:
                    stand_in.received.append(
                        Received(
                            self.command, parts.path, dict(parse_qsl(parts.query)), _lower(self.headers), body
                        )
                    )
                    answer = stand_in.answers.pop(0) if len(stand_in.answers) > 1 else stand_in.answers[0]
                raw = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            do_GET = do_POST = _answer  # noqa: N815 - http.server's names

            def log_message(self, *args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> StandIn:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()


def _lower(headers: Any) -> dict[str, str]:
    """Header names are case-insensitive: kept in lower case."""
    return {name.lower(): value for name, value in headers.items()}
