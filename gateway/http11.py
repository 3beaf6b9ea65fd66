"""A lean HTTP/1.1 client connection for the proxy path.

http.client parses every response's headers through the email package and writes each
header with its own call; on the gateway's hot path that was a fifth of the CPU per
request. This client sends the request in one `sendall`, reads the status line and
headers with the buffered reader's C `readline`, and frames the body by Content-Length,
chunked encoding or connection close (RFC 9112 §6).
"""

from __future__ import annotations

import io
import socket
import ssl
from collections.abc import Iterator

_MAX_LINE = 65536
_MAX_HEADERS = 200
NO_BODY_STATUSES = frozenset({204, 304})


class ProtocolError(OSError):
    """The peer broke HTTP/1.1 framing or closed the connection early."""


class Response:
    """Status, headers and a body reader of one response."""

    __slots__ = (
        "status",
        "reason",
        "headers",
        "length",
        "chunked",
        "will_close",
        "_file",
        "_remaining",
        "complete",
    )

    def __init__(
        self,
        file: io.BufferedReader,
        status: int,
        reason: str,
        headers: list[tuple[str, str]],
        *,
        head: bool,
        keep_alive: bool,
    ) -> None:
        self._file = file
        self.status = status
        self.reason = reason
        self.headers = headers
        self.length: int | None = None
        self.chunked = False
        self.complete = False
        lowered = {name.lower(): value for name, value in headers}
        if head or status in NO_BODY_STATUSES or 100 <= status < 200:
            self.length = 0
        elif "chunked" in lowered.get("transfer-encoding", "").lower():
            self.chunked = True
        elif "content-length" in lowered:
            try:
                self.length = int(lowered["content-length"])
            except ValueError:
                raise ProtocolError("bad Content-Length from the service") from None
        connection = lowered.get("connection", "").lower()
        self.will_close = (
            not keep_alive or "close" in connection or (self.length is None and not self.chunked)
        )
        self._remaining = self.length
        if self.length == 0:
            self.complete = True

    def read(self) -> bytes:
        """The whole body."""
        return b"".join(self.iter_body())

    def iter_body(self) -> Iterator[bytes]:
        """The body as it arrives (one piece per chunk or per read)."""
        file = self._file
        if self.chunked:
            while True:
                size_line = file.readline(_MAX_LINE)
                if not size_line:
                    raise ProtocolError("connection closed inside a chunked body")
                size = int(size_line.split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while file.readline(_MAX_LINE) not in (b"\r\n", b"\n", b""):
                        pass  # trailers are dropped (hop-by-hop at a proxy)
                    break
                data = file.read(size)
                if len(data) < size:
                    raise ProtocolError("connection closed inside a chunk")
                file.readline(_MAX_LINE)
                yield data
        elif self._remaining is not None:
            while self._remaining > 0:
                data = file.read1(min(self._remaining, 65536))
                if not data:
                    raise ProtocolError("connection closed before the end of the body")
                self._remaining -= len(data)
                yield data
        else:
            while True:
                data = file.read1(65536)
                if not data:
                    break
                yield data
        self.complete = True


class Connection:
    """One kept-alive TCP connection to a service replica."""

    def __init__(self, host: str, port: int, connect_timeout: float, tls: bool = False) -> None:
        sock = socket.create_connection((host, port), timeout=connect_timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if tls:
            sock = ssl.create_default_context().wrap_socket(sock, server_hostname=host)
        self.sock = sock
        self.file = self.sock.makefile("rb", buffering=65536)

    def settimeout(self, seconds: float) -> None:
        self.sock.settimeout(seconds)

    def request(
        self,
        method: str,
        target: str,
        host: str,
        headers: list[tuple[str, str]],
        body: bytes,
        send_length: bool,
    ) -> Response:
        """Send one request and read the response head (the body stays to be read)."""
        lines = [f"{method} {target} HTTP/1.1\r\nHost: {host}\r\n"]
        for name, value in headers:
            if "\n" in value or "\r" in value:
                continue
            lines.append(f"{name}: {value}\r\n")
        if send_length:
            lines.append(f"Content-Length: {len(body)}\r\n")
        lines.append("\r\n")
        self.sock.sendall("".join(lines).encode("latin-1") + body)
        return self._read_head(head=method == "HEAD")

    def _read_head(self, head: bool) -> Response:
        while True:
            line = self.file.readline(_MAX_LINE)
            if not line:
                raise ProtocolError("the service closed the connection without answering")
            try:
                version, status_text, *rest = line.decode("latin-1").rstrip("\r\n").split(" ", 2)
                status = int(status_text)
            except ValueError:
                raise ProtocolError(f"bad status line {line[:80]!r}") from None
            headers = self._read_headers()
            if 100 <= status < 200 and status != 101:
                continue  # interim response (e.g. 103 Early Hints): wait for the final one
            keep_alive = version == "HTTP/1.1" or any(
                n.lower() == "connection" and "keep-alive" in v.lower() for n, v in headers
            )
            return Response(
                self.file, status, rest[0] if rest else "", headers, head=head, keep_alive=keep_alive
            )

    def _read_headers(self) -> list[tuple[str, str]]:
        headers: list[tuple[str, str]] = []
        while True:
            line = self.file.readline(_MAX_LINE)
            if line in (b"\r\n", b"\n"):
                return headers
            if not line:
                raise ProtocolError("connection closed inside the response headers")
            if len(headers) >= _MAX_HEADERS:
                raise ProtocolError("too many response headers")
            name, sep, value = line.decode("latin-1").partition(":")
            if not sep:
                raise ProtocolError("malformed response header")
            headers.append((name.strip(), value.strip()))

    def close(self) -> None:
        try:
            self.file.close()
        finally:
            self.sock.close()
