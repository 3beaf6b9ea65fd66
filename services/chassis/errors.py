"""RFC 9457 problem details for every error path.

Domain modules stay free of web imports: any exception class that carries a
`problem_status` attribute (and optionally `problem_type`, `problem_title`,
`errors`) becomes a problem response with that status. The classes below are the
web-side ones the chassis and the API layers raise themselves.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from flask import Flask, Response, g, json, request
from marshmallow import ValidationError
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from werkzeug.exceptions import HTTPException

from . import hygiene

PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "urn:community:problem:"

log = logging.getLogger(__name__)


class Problem(Exception):
    """An error that becomes a problem+json response."""

    problem_status = 400
    problem_type: str | None = None
    problem_title: str | None = None

    def __init__(
        self,
        detail: str | None = None,
        *,
        status: int | None = None,
        type: str | None = None,  # noqa: A002 - the RFC's member name
        title: str | None = None,
        errors: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail or "")
        if status is not None:
            self.problem_status = status
        if type is not None:
            self.problem_type = type
        if title is not None:
            self.problem_title = title
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}
        self.extra = extra


class BadRequest(Problem):
    problem_status = 400


class Unauthorized(Problem):
    problem_status = 401
    problem_type = "unauthorized"

    def __init__(self, detail: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("headers", {"WWW-Authenticate": 'Bearer realm="community"'})
        super().__init__(detail, **kwargs)


class Forbidden(Problem):
    problem_status = 403
    problem_type = "forbidden"


class NotFound(Problem):
    problem_status = 404
    problem_type = "not-found"


class Conflict(Problem):
    problem_status = 409
    problem_type = "conflict"


class PreconditionFailed(Problem):
    problem_status = 412
    problem_type = "precondition-failed"


class PreconditionRequired(Problem):
    problem_status = 428
    problem_type = "precondition-required"


class Unprocessable(Problem):
    problem_status = 422
    problem_type = "validation-failed"


def problem_response(
    status: int,
    *,
    title: str | None = None,
    detail: str | None = None,
    type_: str | None = None,
    errors: Any = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response:
    """Build an `application/problem+json` response."""
    body: dict[str, Any] = {
        "type": (PROBLEM_BASE + type_) if type_ and ":" not in type_ else (type_ or "about:blank"),
        "title": title or _reason(status),
        "status": status,
    }
    if detail:
        body["detail"] = detail
    try:
        body["instance"] = request.script_root + request.path
        request_id = g.get("request_id")
        if request_id:
            body["request_id"] = request_id
    except RuntimeError:  # outside a request
        pass
    if errors:
        body["errors"] = errors
    body.update({k: v for k, v in extra.items() if v is not None})
    # An echoed input may hold a lone surrogate, which UTF-8 cannot encode: scrub it.
    text = hygiene.scrubbed(json.dumps(body, ensure_ascii=False))
    response = Response(text, status=status, mimetype=PROBLEM_JSON)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _http_exception(exc: HTTPException) -> Response:
    status = exc.code or 500
    data = getattr(exc, "data", None) or {}
    errors = data.get("messages") if isinstance(data, dict) else None
    headers = {k: v for k, v in exc.get_headers() if k.lower() != "content-type"}
    if isinstance(data, dict):
        headers.update(data.get("headers") or {})
    detail = data.get("message") if isinstance(data, dict) else None
    if status == 422 and errors:
        errors = _flatten_locations(errors)
        return problem_response(
            422,
            title="Validation failed",
            type_="validation-failed",
            detail=detail or "The request has invalid fields.",
            errors=errors,
            headers=headers,
        )
    if status == 400 and errors:
        detail = _first_message(errors) or detail
    if status == 405:
        allowed = exc.valid_methods if hasattr(exc, "valid_methods") else None
        if allowed:
            headers["Allow"] = ", ".join(allowed)
    if status == 413:
        detail = detail or "The request body is larger than this service accepts."
    if detail is None and exc.description and status != 500:
        detail = exc.description
    return problem_response(status, detail=detail, headers=headers)


def _flatten_locations(messages: dict[str, Any]) -> dict[str, Any]:
    """webargs nests errors by location ({"json": {...}}); keep the fields, note queries."""
    flat: dict[str, Any] = {}
    for location, fields in messages.items():
        if isinstance(fields, dict):
            for name, value in fields.items():
                key = name if location in ("json", "form", "files") else f"{location}.{name}"
                flat[key] = value
        else:
            flat[location] = fields
    return flat


def _first_message(errors: Any) -> str | None:
    if isinstance(errors, dict):
        for value in errors.values():
            found = _first_message(value)
            if found:
                return found
    if isinstance(errors, list) and errors:
        return _first_message(errors[0]) if not isinstance(errors[0], str) else errors[0]
    return errors if isinstance(errors, str) else None


def to_problem(exc: BaseException) -> Response:
    """Map any exception to a problem response (unknown ones to a bare 500)."""
    if isinstance(exc, HTTPException):
        return _http_exception(exc)
    status = getattr(exc, "problem_status", None)
    if isinstance(status, int):
        detail = getattr(exc, "detail", None) or (str(exc) or None)
        return problem_response(
            status,
            title=getattr(exc, "problem_title", None),
            detail=detail,
            type_=getattr(exc, "problem_type", None),
            errors=getattr(exc, "errors", None),
            headers=getattr(exc, "headers", None),
            **getattr(exc, "extra", {}),
        )
    if isinstance(exc, ValidationError):
        return problem_response(
            422,
            title="Validation failed",
            type_="validation-failed",
            detail="The request has invalid fields.",
            errors=exc.messages_dict if isinstance(exc.messages, dict) else {"_schema": exc.messages},
        )
    if isinstance(exc, IntegrityError):
        log.info("integrity conflict: %s", exc.orig)
        return problem_response(409, type_="conflict", detail="The change conflicts with existing data.")
    if isinstance(exc, DataError):
        return problem_response(
            422, type_="validation-failed", detail="A value is out of the range the store accepts."
        )
    if isinstance(exc, OperationalError):
        log.error("database unavailable: %s", exc.orig)
        return problem_response(
            503, type_="unavailable", detail="The database is unavailable.", headers={"Retry-After": "5"}
        )
    log.exception("unhandled error", exc_info=exc)
    return problem_response(500, detail="An unexpected error occurred; it has been logged.")


def install_error_handlers(app: Flask) -> None:
    """Every error, including Flask's own 404/405 and webargs' 422, as problem+json."""

    @app.errorhandler(Exception)
    def _handle(exc: Exception) -> Response:
        return to_problem(exc)
