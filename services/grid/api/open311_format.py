"""Open311 GeoReport v2 wire formats: JSON arrays and the spec's XML documents, errors too.

Every error under `/open311/` leaves the service as the spec's error list
(`[{"code": 404, "description": "..."}]`, or `<errors><error>…</error></errors>`) with
the same HTTP status: an `after_request` hook rewrites the chassis' problem+json.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any
from xml.etree import ElementTree

from flask import Flask, Response, request

from services.chassis import hygiene
from services.chassis.errors import PROBLEM_JSON, Problem

FORMATS = ("json", "xml")
PREFIX = "/open311/"
JSON_TYPE = "application/json; charset=utf-8"
XML_TYPE = "text/xml; charset=utf-8"
# XML element of each item of a list member (the spec's plural → singular names).
ITEM_TAGS = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "errors": "error",
    "service_request_updates": "request_update",
    "endpoints": "endpoint",
    "formats": "format",
}


class UnsupportedFormat(Problem):
    problem_status = 400

    def __init__(self, fmt: str) -> None:
        super().__init__(f"The format {fmt!r} is not supported; use .json or .xml.")


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise UnsupportedFormat(fmt)
    return fmt


def _text(value: Any) -> str:
    """An element's text; characters XML 1.0 cannot hold (C0 controls) become U+FFFD."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else hygiene.scrubbed(str(value))


def _element(parent: ElementTree.Element, tag: str, value: Any) -> None:
    child = ElementTree.SubElement(parent, tag)
    if isinstance(value, Mapping):
        for key, item in value.items():
            _element(child, key, item)
    elif isinstance(value, Sequence) and not isinstance(value, str):
        for item in value:
            _element(child, ITEM_TAGS.get(tag, "item"), item)
    else:
        child.text = _text(value)


def to_xml(root: str, body: Any) -> bytes:
    """The spec's XML: a root element holding one element per item (or the object's fields)."""
    top = ElementTree.Element(root)
    if isinstance(body, Mapping):
        for key, value in body.items():
            _element(top, key, value)
    else:
        for item in body:
            _element(top, ITEM_TAGS.get(root, "item"), item)
    declaration = b'<?xml version="1.0" encoding="UTF-8"?>\n'
    return declaration + ElementTree.tostring(top, "unicode").encode()


def respond(body: Any, fmt: str, root: str, status: int = 200) -> Response:
    """A JSON or XML response (`root` names the XML document element)."""
    if fmt == "xml":
        return Response(to_xml(root, body), status=status, content_type=XML_TYPE)
    return Response(json.dumps(body, ensure_ascii=False), status=status, content_type=JSON_TYPE)


def requested_format(path: str) -> str:
    return "xml" if path.rsplit("/", 1)[-1].endswith(".xml") else "json"


def error_response(status: int, description: str, fmt: str) -> Response:
    return respond([{"code": status, "description": description}], fmt, "errors", status)


def _rewrite_problem(response: Response) -> Response:
    if not request.path.startswith(PREFIX) or response.mimetype != PROBLEM_JSON:
        return response
    try:
        problem = json.loads(response.get_data(as_text=True))
    except ValueError:
        problem = {}
    status = response.status_code
    description = problem.get("detail") or problem.get("title") or "Error"
    rewritten = error_response(status, description, requested_format(request.path))
    for header in ("WWW-Authenticate", "Allow", "Retry-After", "X-Request-ID"):
        if header in response.headers:
            rewritten.headers[header] = response.headers[header]
    return rewritten


def install(app: Flask) -> None:
    """Answer every error under /open311/ as the spec's error list."""
    app.after_request(_rewrite_problem)
