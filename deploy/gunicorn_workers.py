"""Gunicorn worker classes that time out idle and slow clients (`HTTP_CLIENT_TIMEOUT`).

gunicorn bounds a keep-alive connection's wait for its next request (`keepalive`), but a
client that sends part of a request and then stalls (slowloris), or stops reading its
response, holds a gthread worker's thread for ever: the worker reads and writes its
socket in blocking mode without a timeout. These workers give every client socket a
timeout of `HTTP_CLIENT_TIMEOUT` seconds (default 30) for each read and write, so such a
connection is closed and its thread freed. The gateway's event streams write a heartbeat
far more often than that.
"""

from __future__ import annotations

import errno
import socket
from typing import Any

from gunicorn.workers.ggevent import GeventWorker
from gunicorn.workers.gthread import TConn, ThreadWorker

from .timeouts import DEFAULT_CLIENT_TIMEOUT, client_timeout


class _TimedSocket(socket.socket):
    """A client socket whose blocking mode is always "blocking, with the client timeout"."""

    client_timeout = DEFAULT_CLIENT_TIMEOUT

    def setblocking(self, flag: bool) -> None:
        if flag:
            self.settimeout(self.client_timeout)
        else:
            super().setblocking(False)


def _timed(sock: socket.socket, seconds: float) -> _TimedSocket:
    timed = _TimedSocket(sock.family, sock.type, sock.proto, fileno=sock.detach())
    timed.client_timeout = seconds
    timed.setblocking(True)
    return timed


class ClientTimeoutThreadWorker(ThreadWorker):
    """gthread (the services' worker) with the client timeout on every connection."""

    def accept(self, listener: Any) -> None:
        try:
            client_sock, client_addr = listener.accept()
            self.nr_conns += 1
            client = _timed(client_sock, client_timeout())
            self.enqueue_req(TConn(self.cfg, client, client_addr, listener.getsockname()))
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                raise


class ClientTimeoutGeventWorker(GeventWorker):
    """gevent (the gateway's worker) with the client timeout on every connection (gevent
    bounds only the wait for a request's head, by `keepalive`)."""

    def handle(self, listener: Any, client: Any, addr: Any) -> None:
        client.settimeout(client_timeout())
        super(GeventWorker, self).handle(listener, client, addr)  # not GeventWorker's setblocking(1)

    def handle_exit(self, sig: int, frame: Any) -> None:
        """A graceful stop (SIGTERM): the gateway's event streams, which never end by
        themselves, end too, so the stop does not wait out `graceful_timeout` for them."""
        super().handle_exit(sig, frame)
        end_streams = getattr(self.wsgi, "end_streams", None)
        if end_streams is not None:
            end_streams()
