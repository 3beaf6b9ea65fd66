"""Idle and slow clients are cut off by the embedded server (HTTP_CLIENT_TIMEOUT)."""

from __future__ import annotations

import socket
import threading

import pytest

from deploy.embedded import make_http_server


def _hello(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "5")])
    return [b"hello"]


@pytest.fixture
def server(monkeypatch):
    monkeypatch.setenv("HTTP_CLIENT_TIMEOUT", "0.5")
    server = make_http_server("127.0.0.1", 0, _hello)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()


def _closed_by_server(sock: socket.socket) -> bool:
    """Whether the server hung up (EOF or reset) before our own 20 s patience ran out."""
    sock.settimeout(20)
    try:
        return sock.recv(65536) == b""
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False


@pytest.mark.parametrize("sent", [b"", b"GET /healthz HTTP/1.1\r\nHost: slow"])
def test_an_idle_or_slow_client_is_cut_off(server, sent):
    with socket.create_connection(("127.0.0.1", server.server_port)) as sock:
        sock.sendall(sent)
        assert _closed_by_server(sock)
    with socket.create_connection(("127.0.0.1", server.server_port)) as sock:
        sock.sendall(b"GET / HTTP/1.0\r\n\r\n")
        sock.settimeout(20)
        assert sock.recv(65536).startswith(b"HTTP/1.")  # a prompt client is served
