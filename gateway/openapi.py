"""One OpenAPI 3 document merged from the services' documents, for /api/docs.

Paths get the `/api/<service>` prefix, component names the `<service>.` prefix (so two
services may both have a `Ticket`), `$ref`s and discriminator mappings are rewritten to
match, tags and operation ids are namespaced the same way.
"""

from __future__ import annotations

import copy
import json
import logging
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

from services.chassis.config import COMMUNITIES

log = logging.getLogger("gateway.openapi")

COMPONENT_KINDS = (
    "schemas",
    "responses",
    "parameters",
    "examples",
    "requestBodies",
    "headers",
    "links",
    "callbacks",
)
# Where the merged document is served: next to the services' paths, and under the Swagger UI
# page (/api/docs), where a person who opened the docs looks for it. Same bytes at both.
DOCUMENT_PATHS = frozenset({"/api/openapi.json", "/api/docs/openapi.json"})
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
BEARER = {"bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}
_PROBLEM = {
    "description": "Problem details (RFC 9457)",
    "content": {"application/problem+json": {"schema": {"type": "object"}}},
}

GATEWAY_PATHS: dict[str, Any] = {
    "/healthz": {
        "get": {
            "tags": ["gateway"],
            "summary": "The gateway process is alive.",
            "security": [],
            "responses": {"200": {"description": "Alive"}},
        }
    },
    "/readyz": {
        "get": {
            "tags": ["gateway"],
            "security": [],
            "summary": "The gateway can route (each service's readiness is reported, not required).",
            "responses": {"200": {"description": "Ready"}},
        }
    },
    "/metrics": {
        "get": {
            "tags": ["gateway"],
            "security": [],
            "summary": "Prometheus metrics of the gateway.",
            "responses": {"200": {"description": "Text exposition format"}},
        }
    },
    "/api/datapackage.json": {
        "get": {
            "tags": ["gateway"],
            "security": [],
            "summary": "The open-data catalogue: a Data Package of every service's monthly files.",
            "parameters": [
                {
                    "name": "If-None-Match",
                    "in": "header",
                    "required": False,
                    "description": "An ETag you hold: 304 when it is still current",
                    "schema": {"type": "string"},
                }
            ],
            "responses": {
                "200": {
                    "description": "A Data Package descriptor (https://specs.frictionlessdata.io/data-package/)",
                    "headers": {
                        "ETag": {"schema": {"type": "string"}},
                        "Cache-Control": {"schema": {"type": "string"}},
                    },
                    "content": {"application/json": {"schema": {"type": "object"}}},
                },
                "304": {"description": "Not modified"},
            },
        }
    },
    "/api/changes/stream": {
        "get": {
            "tags": ["gateway"],
            "security": [],
            "summary": "A community's change signals for pages (public Server-Sent Events, no event data).",
            "description": '`event: change` with `data: {"topic", "community", "event"}` when an event '
            "changes a topic (`intake.queue`); a page refetches what it shows. No ids, no resume.",
            "parameters": [
                {
                    "name": "community",
                    "in": "query",
                    "required": True,
                    "schema": {"type": "string", "enum": list(COMMUNITIES)},
                }
            ],
            "responses": {
                "200": {
                    "description": "One SSE message per change",
                    "content": {"text/event-stream": {"schema": {"type": "string"}}},
                },
                "422": _PROBLEM,
                "429": _PROBLEM,
                "503": _PROBLEM,
            },
        }
    },
    "/api/events/stream": {
        "get": {
            "tags": ["gateway"],
            "summary": "Platform events as Server-Sent Events (department, subdistrict officer, admin).",
            "parameters": [
                {
                    "name": "types",
                    "in": "query",
                    "required": False,
                    "description": "Comma-separated event name patterns (`*` one word, `#` any), "
                    "e.g. grid.case.*",
                    "schema": {"type": "string"},
                },
                {
                    "name": "Last-Event-ID",
                    "in": "header",
                    "required": False,
                    "description": "Resume after this event id",
                    "schema": {"type": "string"},
                },
            ],
            "responses": {
                "200": {
                    "description": "One SSE message per CloudEvent",
                    "content": {"text/event-stream": {"schema": {"type": "string"}}},
                },
                "401": _PROBLEM,
                "403": _PROBLEM,
            },
        }
    },
}


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _rename_ref(ref: str, service: str, names: Mapping[str, Mapping[str, str]]) -> str:
    parts = ref.split("/", 3)
    if len(parts) == 4 and parts[0] == "#" and parts[1] == "components":
        kind, name = parts[2], _unescape(parts[3])
        new = names.get(kind, {}).get(name)
        if new is not None:
            return f"#/components/{kind}/{_escape(new)}"
    return ref


def _rewrite(node: Any, service: str, names: Mapping[str, Mapping[str, str]]) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                out[key] = _rename_ref(value, service, names)
            elif key == "operationRef" and isinstance(value, str) and value.startswith("#/paths/"):
                out[key] = f"#/paths/~1api~1{service}{value[len('#/paths/') :]}"
            elif key == "discriminator" and isinstance(value, dict) and "mapping" in value:
                out[key] = {
                    **value,
                    "mapping": {k: _rename_ref(v, service, names) for k, v in value["mapping"].items()},
                }
            else:
                out[key] = _rewrite(value, service, names)
        return out
    if isinstance(node, list):
        return [_rewrite(item, service, names) for item in node]
    return node


def merge_documents(
    documents: Mapping[str, Mapping[str, Any]], *, version: str = "1.0.0", unavailable: tuple[str, ...] = ()
) -> dict[str, Any]:
    """Merge `service → OpenAPI document` into one document served under /api/<service>."""
    description = (
        "Every service of the community platform behind the gateway. Send "
        "`Authorization: Bearer <token>`; public routes need none."
    )
    if unavailable:
        description += f" Not included right now (unreachable): {', '.join(unavailable)}."
    merged: dict[str, Any] = {
        "openapi": "3.0.3",
        "info": {"title": "Community services platform API", "version": version, "description": description},
        "servers": [{"url": "/"}],
        "tags": [{"name": "gateway", "description": "The gateway's own endpoints"}],
        "paths": copy.deepcopy(GATEWAY_PATHS),
        "components": {"securitySchemes": dict(BEARER)},
        "security": [{"bearerAuth": []}],
    }
    components = merged["components"]
    for service, document in documents.items():
        source = document.get("components", {})
        names = {
            kind: {name: f"{service}.{name}" for name in source.get(kind, {})} for kind in COMPONENT_KINDS
        }
        rewritten = _rewrite(document, service, names)
        service_security = rewritten.get("security")
        for tag in rewritten.get("tags", []):
            merged["tags"].append({**tag, "name": f"{service}: {tag['name']}"})
        for path, item in rewritten.get("paths", {}).items():
            for method in HTTP_METHODS:
                operation = item.get(method)
                if not isinstance(operation, dict):
                    continue
                operation["tags"] = [f"{service}: {t}" for t in operation.get("tags", [])] or [service]
                if "operationId" in operation:
                    operation["operationId"] = f"{service}.{operation['operationId']}"
                if (
                    "security" not in operation
                    and service_security is not None
                    and service_security != merged["security"]
                ):
                    operation["security"] = service_security
            merged["paths"][f"/api/{service}{path}"] = item
        for kind in COMPONENT_KINDS:
            for name, value in rewritten.get("components", {}).get(kind, {}).items():
                components.setdefault(kind, {})[names[kind][name]] = value
        for name, scheme in source.get("securitySchemes", {}).items():
            if components["securitySchemes"].setdefault(name, scheme) != scheme:
                log.warning("%s defines security scheme %s differently; kept the first", service, name)
    return merged


class MergedDocument:
    """The merged document, rebuilt when older than `ttl` (sooner while a service is missing)."""

    def __init__(
        self, fetch: Callable[[str], dict[str, Any] | None], services: tuple[str, ...], ttl: float
    ) -> None:
        self.fetch = fetch
        self.services = services
        self.ttl = ttl
        self._lock = threading.Lock()
        self._body: bytes = b""
        self._expires = 0.0

    def body(self) -> bytes:
        with self._lock:
            if time.monotonic() >= self._expires:
                documents: dict[str, dict[str, Any]] = {}
                missing = []
                for service in self.services:
                    document = self.fetch(service)
                    if document is None:
                        missing.append(service)
                    else:
                        documents[service] = document
                merged = merge_documents(documents, unavailable=tuple(missing))
                self._body = json.dumps(merged, ensure_ascii=False).encode()
                self._expires = time.monotonic() + (5.0 if missing else self.ttl)
            return self._body
