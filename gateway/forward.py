"""Forwarding a request to a service: over HTTP to its replicas, or to an in-process WSGI app."""

from __future__ import annotations

import io
import itertools
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from .headers import Headers, downstream_response_headers
from .http11 import Connection, Response
from .metrics import GatewayMetrics
from .problems import EdgeProblem, status_line
from .routes import IDEMPOTENT_METHODS
from .upstreams import Replica, ReplicaSet

log = logging.getLogger("gateway.forward")
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
_SMALL_BODY = 256 * 1024


@dataclass(frozen=True)
class ProxyRequest:
    """What goes to the service: the prefix already stripped from `target`."""

    service: str
    method: str
    target: str  # raw path and query as the service sees them, e.g. "/tickets?page=2"
    path_info: str  # the decoded path (WSGI PATH_INFO) as the service sees it
    query_string: str
    headers: Headers
    body: bytes
    read_timeout: float


@dataclass
class UpstreamAnswer:
    """The service's status line, headers (hop-by-hop removed) and body."""

    status: str
    headers: Headers
    body: Iterable[bytes]


class StreamingBody:
    """The service's body passed on as it arrives; the connection returns to the pool at the end."""

    def __init__(self, response: Response, connection: Connection, replica: Replica) -> None:
        self.response = response
        self.connection = connection
        self.replica = replica

    def __iter__(self) -> Iterator[bytes]:
        return self.response.iter_body()

    def close(self) -> None:
        if self.response.complete and not self.response.will_close:
            self.replica.give_back(self.connection)
        else:
            self.connection.close()


class HttpUpstream:
    """A service reached over HTTP: round-robin, breakers, retries, timeouts, kept-alive pools."""

    def __init__(
        self, replicas: ReplicaSet, *, connect_timeout: float, retries: int, metrics: GatewayMetrics
    ) -> None:
        self.replicas = replicas
        self.service = replicas.service
        self.connect_timeout = connect_timeout
        self.attempts = 1 + max(0, retries)
        self.metrics = metrics

    def forward(self, request: ProxyRequest, environ: dict[str, Any]) -> UpstreamAnswer:
        """Send `request` to a replica; 503/504/502 problems when none answers properly."""
        # Safe to send again after a broken connection: an idempotent method, or a write
        # carrying an Idempotency-Key (every write of the services honours it: a repeat
        # gets the first answer, never a second effect).
        idempotent = request.method in IDEMPOTENT_METHODS or any(
            name.lower() == "idempotency-key" for name, _ in request.headers
        )
        candidates = self.replicas.candidates()
        attempts = 0
        for replica in itertools.islice(itertools.cycle(candidates), len(candidates) * self.attempts):
            if attempts >= self.attempts:
                break
            if not replica.breaker.allows():
                continue
            attempts += 1
            answer = self._try(replica, request, idempotent)
            if answer is not None:
                return answer
        raise EdgeProblem(
            503,
            f"The {self.service} service is unavailable; try again shortly.",
            type_="upstream-unavailable",
            headers=[("Retry-After", str(self.replicas.retry_after()))],
        )

    def _try(self, replica: Replica, request: ProxyRequest, idempotent: bool) -> UpstreamAnswer | None:
        """One replica: None when it could not be reached and another may be tried."""
        connection = replica.take()
        if connection is not None:
            answer = self._exchange(replica, connection, request, reused=True, idempotent=idempotent)
            if answer is not None:
                return answer
        started = time.perf_counter()
        try:
            connection = replica.new_connection(self.connect_timeout)
        except OSError as exc:  # refused, unreachable or connect timeout: nothing was sent
            replica.breaker.failure()
            self.metrics.upstream_call(replica, "connect_error", time.perf_counter() - started)
            log.warning("cannot connect to %s: %s", replica, exc)
            return None
        return self._exchange(replica, connection, request, reused=False, idempotent=idempotent)

    def _exchange(
        self,
        replica: Replica,
        connection: Connection,
        request: ProxyRequest,
        *,
        reused: bool,
        idempotent: bool,
    ) -> UpstreamAnswer | None:
        started = time.perf_counter()
        try:
            connection.settimeout(request.read_timeout)
            response = connection.request(
                request.method,
                replica.path_prefix + request.target,
                replica.netloc,
                request.headers,
                request.body,
                send_length=bool(request.body) or request.method in _BODY_METHODS,
            )
        except TimeoutError:
            connection.close()
            replica.breaker.failure()
            self.metrics.upstream_call(replica, "timeout", time.perf_counter() - started)
            raise EdgeProblem(
                504,
                f"The {self.service} service did not answer within {request.read_timeout:g} s.",
                type_="upstream-timeout",
            ) from None
        except OSError as exc:
            connection.close()
            if reused and idempotent:
                return None  # a kept-alive connection the service had just closed: retry fresh
            if not reused:
                replica.breaker.failure()
            self.metrics.upstream_call(replica, "broken", time.perf_counter() - started)
            if idempotent:
                return None
            log.warning("connection to %s broke during %s: %s", replica, request.method, exc)
            raise EdgeProblem(
                502,
                f"The connection to the {self.service} service broke before it answered; "
                "the request may or may not have been applied. Repeat it with the same "
                "Idempotency-Key to be safe.",
                type_="upstream-broken",
            ) from None
        replica.breaker.success()
        self.metrics.upstream_call(replica, str(response.status), time.perf_counter() - started)
        return self._answer(replica, connection, response, request)

    def _answer(
        self, replica: Replica, connection: Connection, response: Response, request: ProxyRequest
    ) -> UpstreamAnswer:
        headers = downstream_response_headers(response.headers)
        status = f"{response.status} {response.reason or _phrase(response.status)}"
        length = response.length
        if length is not None and length <= _SMALL_BODY:
            try:
                data = response.read()
            except OSError:  # a timeout or a broken body: the answer cannot be passed on
                connection.close()
                raise EdgeProblem(
                    504,
                    f"The {self.service} service did not finish its answer "
                    f"within {request.read_timeout:g} s.",
                    type_="upstream-timeout",
                ) from None
            if response.will_close:
                connection.close()
            else:
                replica.give_back(connection)
            return UpstreamAnswer(status, headers, [data] if data else [])
        return UpstreamAnswer(status, headers, StreamingBody(response, connection, replica))


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


class WsgiUpstream:
    """A service living in this process (embedded mode): called as a WSGI app, no network."""

    def __init__(self, service: str, app: Callable[..., Iterable[bytes]]) -> None:
        self.service = service
        self.app = app

    def forward(self, request: ProxyRequest, environ: dict[str, Any]) -> UpstreamAnswer:
        """Call the app with the prefix moved into SCRIPT_NAME and the edge's headers."""
        inner = {k: v for k, v in environ.items() if not k.startswith("HTTP_")}
        inner.pop("wsgi.input_terminated", None)
        inner["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + f"/api/{self.service}"
        inner["PATH_INFO"] = request.path_info
        inner["QUERY_STRING"] = request.query_string
        inner["RAW_URI"] = inner["REQUEST_URI"] = inner["SCRIPT_NAME"] + request.target
        inner["wsgi.input"] = io.BytesIO(request.body)
        inner["CONTENT_LENGTH"] = str(len(request.body)) if request.body else ""
        for name, value in request.headers:
            if name != "Content-Type":
                inner["HTTP_" + name.upper().replace("-", "_")] = value
        if environ.get("HTTP_HOST"):  # same host: URLs the app builds point at the gateway
            inner["HTTP_HOST"] = environ["HTTP_HOST"]
        captured: dict[str, Any] = {}

        def start_response(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Callable[[bytes], None]:
            captured["status"] = status
            captured["headers"] = headers
            return _no_write

        body = self.app(inner, start_response)
        if "status" not in captured:  # an app that starts the response at its first chunk
            body = _prime(body)
        return UpstreamAnswer(
            captured.get("status", status_line(500)),
            downstream_response_headers(captured.get("headers", [])),
            body,
        )


def _no_write(_data: bytes) -> None:
    raise RuntimeError("the gateway does not support the WSGI write() callable")


def _prime(body: Iterable[bytes]) -> Iterable[bytes]:
    iterator = iter(body)
    first = next(iterator, b"")
    rest = list(iterator)
    if hasattr(body, "close"):
        body.close()
    return [first, *rest]
