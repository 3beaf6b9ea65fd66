"""The lean HTTP/1.1 client: framing by length, chunks or close; interim answers; errors."""

from __future__ import annotations

import socket
import threading

import pytest

from gateway.http11 import Connection, ProtocolError


class CannedServer:
    """Accepts one connection and answers each request with the next canned reply."""

    def __init__(self, *replies: bytes, close_after: bool = False) -> None:
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(1)
        self.port = self.listener.getsockname()[1]
        self.requests: list[bytes] = []
        self.replies = list(replies)
        self.close_after = close_after
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        connection, _ = self.listener.accept()
        with connection:
            for reply in self.replies:
                data = b""
                while b"\r\n\r\n" not in data:
                    data += connection.recv(65536)
                self.requests.append(data)
                connection.sendall(reply)
            if self.close_after:
                connection.shutdown(socket.SHUT_WR)

    def connect(self) -> Connection:
        return Connection("127.0.0.1", self.port, 2.0)


def test_content_length_body_and_keep_alive():
    server = CannedServer(
        b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A: 1\r\n\r\nhello", b"HTTP/1.1 204 No Content\r\n\r\n"
    )
    connection = server.connect()
    response = connection.request("GET", "/a?b=1", "svc:8000", [("X-Req", "r")], b"", send_length=False)
    assert (response.status, response.reason) == (200, "OK")
    assert ("X-A", "1") in response.headers
    assert response.read() == b"hello" and not response.will_close
    second = connection.request("DELETE", "/a", "svc:8000", [], b"", send_length=False)
    assert second.status == 204 and second.read() == b""
    assert server.requests[0].startswith(b"GET /a?b=1 HTTP/1.1\r\nHost: svc:8000\r\nX-Req: r\r\n")


def test_chunked_body_with_extensions_and_trailers_arrives_chunk_by_chunk():
    body = b"4;ext=1\r\nWiki\r\n5\r\npedia\r\n0\r\nX-Trailer: t\r\n\r\n"
    server = CannedServer(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + body)
    response = server.connect().request("GET", "/", "h", [], b"", send_length=False)
    assert response.chunked and response.length is None
    assert list(response.iter_body()) == [b"Wiki", b"pedia"]
    assert response.complete and not response.will_close


def test_interim_answers_are_skipped_and_head_has_no_body():
    server = CannedServer(
        b"HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n"
    )
    response = server.connect().request("HEAD", "/", "h", [], b"", send_length=False)
    assert response.status == 200 and response.read() == b"" and response.complete


def test_body_until_close_and_http10_are_not_kept_alive():
    server = CannedServer(b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nall of it", close_after=True)
    response = server.connect().request("GET", "/", "h", [], b"", send_length=False)
    assert response.will_close
    assert response.read() == b"all of it"


def test_request_body_is_sent_with_its_length_and_header_injection_is_dropped():
    server = CannedServer(b"HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n")
    response = server.connect().request(
        "POST", "/t", "h", [("X-Ok", "1"), ("X-Bad", "a\r\nInjected: yes")], b'{"a":1}', send_length=True
    )
    assert response.status == 201
    request = server.requests[0]
    assert b"Content-Length: 7\r\n" in request and b"Injected" not in request


@pytest.mark.parametrize(
    "reply",
    [
        b"",  # closed without answering
        b"garbage\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nbroken header line\r\n\r\n",
    ],
)
def test_broken_answers_raise_protocol_errors(reply):
    server = CannedServer(reply, close_after=True)
    with pytest.raises(ProtocolError):
        server.connect().request("GET", "/", "h", [], b"", send_length=False)


def test_truncated_body_raises():
    server = CannedServer(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", close_after=True)
    response = server.connect().request("GET", "/", "h", [], b"", send_length=False)
    with pytest.raises(ProtocolError):
        response.read()
