"""Real HTTP upstreams for gateway tests: tiny WSGI apps on free ports in threads."""

from __future__ import annotations

import io
import json
import socket
import threading
import time
from collections.abc import Callable, Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from werkzeug.serving import BaseWSGIServer, make_server

from deploy.registry import SERVICES
from gateway.app import Gateway, create_app
from gateway.settings import GatewaySettings
from tests.support.helpers import key_settings

WsgiApp = Callable[..., Iterable[bytes]]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _KeepAliveHandler(BaseHTTPRequestHandler):
    """A WSGI app behind HTTP/1.1 with keep-alive (as gunicorn's gthread workers do).

    werkzeug's development server closes every connection, which would hide whether the
    gateway reuses its upstream connections, so the tests use this one.
    """

    protocol_version = "HTTP/1.1"
    # The head and the body are separate writes: without TCP_NODELAY each answer waits for
    # the client's delayed ACK (about 40 ms), as gunicorn's own sockets do not.
    disable_nagle_algorithm = True

    def setup(self) -> None:
        super().setup()
        self.server.accepted.append(1)  # type: ignore[attr-defined]

    def log_message(self, *args: Any) -> None:
        pass

    def handle_one_request(self) -> None:
        self.raw_requestline = self.rfile.readline(65537)
        if not self.raw_requestline:
            self.close_connection = True
            return
        if not self.parse_request():
            return
        self._run_app()
        self.wfile.flush()

    def _run_app(self) -> None:
        path, _, query = self.path.partition("?")
        length = self.headers.get("Content-Length")
        body = self.rfile.read(int(length)) if length else b""
        environ: dict[str, Any] = {
            "REQUEST_METHOD": self.command,
            "PATH_INFO": unquote(path, "latin-1"),
            "QUERY_STRING": query,
            "RAW_URI": self.path,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": str(self.server.server_port),
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": self.client_address[0],
            "wsgi.input": io.BytesIO(body),
            "wsgi.url_scheme": "http",
            "wsgi.errors": io.StringIO(),
            "SCRIPT_NAME": "",
            "CONTENT_LENGTH": length or "",
            "CONTENT_TYPE": self.headers.get("Content-Type", ""),
            "wsgi.version": (1, 0),
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
        }
        for name, value in self.headers.items():
            key = "HTTP_" + name.upper().replace("-", "_")
            if key not in ("HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH"):
                environ[key] = value
        started: dict[str, Any] = {}

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            started.update(status=status, headers=headers)
            return None

        result = self.server.app(environ, start_response)  # type: ignore[attr-defined]
        try:
            status = started["status"]
            headers = started["headers"]
            code = int(status[:3])
            self.send_response_only(code, status[4:])
            no_body = self.command == "HEAD" or code in (204, 304)  # as gunicorn: no body, no framing
            chunked = not any(k.lower() == "content-length" for k, _ in headers) and not no_body
            for name, value in headers:
                self.send_header(name, value)
            if chunked:
                self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for data in result:
                if no_body or not data:
                    continue
                if chunked:
                    self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
                else:
                    self.wfile.write(data)
                self.wfile.flush()
            if chunked:
                self.wfile.write(b"0\r\n\r\n")
        finally:
            if hasattr(result, "close"):
                result.close()


class UpstreamServer:
    """A WSGI app served over real HTTP/1.1 (keep-alive) on 127.0.0.1 until `stop()`."""

    def __init__(self, app: WsgiApp, port: int = 0) -> None:
        self.app = app
        self.server = ThreadingHTTPServer(("127.0.0.1", port), _KeepAliveHandler)
        self.server.app = app  # type: ignore[attr-defined]
        self.server.accepted = []  # type: ignore[attr-defined]
        self.server.daemon_threads = True
        self.port = self.server.server_port
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def connections(self) -> int:
        return len(self.server.accepted)  # type: ignore[attr-defined]

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> UpstreamServer:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()


class EchoApp:
    """Answers with what it received; `/slow?seconds=`, `/stream`, `/readyz` behave specially."""

    def __init__(self, name: str = "echo") -> None:
        self.name = name
        self.calls: list[dict[str, Any]] = []
        self.ready = True

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        path = environ.get("PATH_INFO", "")
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        headers = {k[5:].replace("_", "-").title(): v for k, v in environ.items() if k.startswith("HTTP_")}
        if environ.get("CONTENT_TYPE"):
            headers["Content-Type"] = environ["CONTENT_TYPE"]
        call = {
            "server": self.name,
            "method": environ["REQUEST_METHOD"],
            "path": path,
            "raw_uri": environ.get("RAW_URI") or environ.get("REQUEST_URI"),
            "query": environ.get("QUERY_STRING", ""),
            "headers": headers,
            "body": body.decode("utf-8", "replace"),
        }
        self.calls.append(call)
        if path == "/readyz":
            status = "200 OK" if self.ready else "503 Service Unavailable"
            return _json(start_response, status, {"status": "ready" if self.ready else "no"})
        if path == "/slow":
            time.sleep(float(environ.get("QUERY_STRING", "seconds=1").split("=")[1]))
        if path == "/stream":
            start_response("200 OK", [("Content-Type", "text/event-stream"), ("Cache-Control", "no-cache")])
            return _ticks()
        if path == "/hop-by-hop":
            payload = b"{}"
            start_response(
                "200 OK",
                [
                    ("Content-Type", "application/json"),
                    ("Content-Length", str(len(payload))),
                    ("Connection", "X-Secret-Hop"),
                    ("X-Secret-Hop", "1"),
                    ("Keep-Alive", "timeout=5"),
                    ("Proxy-Authenticate", "Basic"),
                    ("Upgrade", "h2c"),
                    ("X-End-To-End", "kept"),
                ],
            )
            return [payload]
        return _json(start_response, "200 OK", call)


def _ticks() -> Iterable[bytes]:
    for number in range(3):
        yield f"data: tick {number}\n\n".encode()
        time.sleep(0.4)


def _json(start_response: Callable[..., Any], status: str, payload: Any) -> list[bytes]:
    body = json.dumps(payload).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


def http_gateway(
    key_dir: Path, tmp_path: Path, urls: dict[str, tuple[str, ...]] | str, **settings: Any
) -> Gateway:
    """A gateway whose four services all point to `urls` (one URL or per-service tuples)."""
    upstream_urls = (
        {s: (urls,) for s in SERVICES}
        if isinstance(urls, str)
        else {s: urls.get(s, next(iter(urls.values()))) for s in SERVICES}
    )
    config = {
        "data_dir": tmp_path,
        **key_settings(key_dir),
        "health_interval": 0,
        "upstream_urls": upstream_urls,
        "log_level": "WARNING",
        **settings,
    }
    return create_app(settings=GatewaySettings.from_env(config))


def inprocess_gateway(
    key_dir: Path, tmp_path: Path, upstreams: dict[str, WsgiApp], **settings: Any
) -> Gateway:
    """A gateway over in-process WSGI apps (the embedded mode)."""
    config = {"data_dir": tmp_path, **key_settings(key_dir), "log_level": "WARNING", **settings}
    return create_app(upstreams=upstreams, config=config)


def serve_in_thread(app: Any) -> BaseWSGIServer:
    """`app` on a free local port, served by a daemon thread (call `shutdown()` to stop it)."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
