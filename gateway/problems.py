"""RFC 9457 problem responses and small JSON answers for the raw WSGI edge."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any

from services.chassis.errors import PROBLEM_BASE, PROBLEM_JSON

Headers = list[tuple[str, str]]
StartResponse = Callable[..., Any]


def status_line(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"{status} Error"


class EdgeProblem(Exception):
    """An error the gateway answers itself, before or instead of the service."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        type_: str | None = None,
        headers: Headers | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.type = type_
        self.headers = headers or []
        self.extra = extra


def problem_body(
    status: int, detail: str, instance: str, request_id: str | None, type_: str | None = None, **extra: Any
) -> bytes:
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + type_ if type_ else "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": instance,
    }
    if request_id:
        body["request_id"] = request_id
    body.update({k: v for k, v in extra.items() if v is not None})
    return json.dumps(body, ensure_ascii=False).encode()


def send_problem(
    start_response: StartResponse,
    problem: EdgeProblem,
    instance: str,
    request_id: str | None,
    extra_headers: Headers = (),
) -> Iterable[bytes]:
    """Answer `problem` as application/problem+json."""
    body = problem_body(problem.status, problem.detail, instance, request_id, problem.type, **problem.extra)
    headers = [
        ("Content-Type", PROBLEM_JSON),
        ("Content-Length", str(len(body))),
        *problem.headers,
        *extra_headers,
    ]
    start_response(status_line(problem.status), headers)
    return [body]


def send_json(
    start_response: StartResponse,
    status: int,
    payload: Any,
    extra_headers: Headers = (),
    content_type: str = "application/json",
) -> Iterable[bytes]:
    """Answer `payload` as JSON."""
    body = json.dumps(payload, ensure_ascii=False).encode()
    start_response(
        status_line(status),
        [("Content-Type", content_type), ("Content-Length", str(len(body))), *extra_headers],
    )
    return [body]
