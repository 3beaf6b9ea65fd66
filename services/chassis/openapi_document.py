"""The last touches of a service's OpenAPI document: nullable references, request headers, links.

Nullable nested schemas: written so that only null or the schema is allowed.

Bodies: a JSON body whose schema requires nothing is optional (the server reads none as `{}`).

Conditional GET (`conditional.revalidate`): every read answering JSON names its ETag and
takes `If-None-Match`, with 304 among its answers.

Headers: a view's decorators (`web.transactional`'s Idempotency-Key, `Blueprint.if_match`)
describe the headers they check under the operation's `x-headers`; they become header
parameters here (flask-smorest would replace, not extend, a view's parameter list).

Links between operations, found from the paths by convention:

A response whose body is an object with an `id` feeds the operations on that resource:
`POST /rounds` (a Round) → `GET /rounds/{round_id}`, `POST /rounds/{round_id}/close`, ...
The resource's collection is the path itself when operations exist below it
(`/rounds`, `/cases/{case_id}/notes`), otherwise the path cut before its last parameter
(an action such as `/tickets/{ticket_id}/start` answers with the ticket). Each target's
other path parameters are taken from the request when the source has them too. Clients
and stateful testers (schemathesis) follow the links to play call sequences.
"""

from __future__ import annotations

import copy
import re
from typing import Any

_METHODS = ("get", "put", "post", "patch", "delete")
_PARAMETER = re.compile(r"^\{([^}]+)\}$")


def _schema(document: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = document["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def _has_id(document: dict[str, Any], response: dict[str, Any]) -> bool:
    media = response.get("content", {}).get("application/json")
    if not media or "schema" not in media:
        return False
    schema = _schema(document, media["schema"])
    return schema.get("type", "object") == "object" and "id" in schema.get("properties", {})


def _collection(path: str, paths: dict[str, Any]) -> str | None:
    if any(_PARAMETER.match(p[len(path) + 1 :].split("/")[0]) for p in paths if p.startswith(path + "/")):
        return path
    segments = path.split("/")
    for index in range(len(segments) - 1, 0, -1):
        if _PARAMETER.match(segments[index]):
            return "/".join(segments[:index])
    return None


def _pointer(path: str, method: str) -> str:
    return "#/paths/" + path.replace("~", "~0").replace("/", "~1") + "/" + method


def _name(path: str, method: str) -> str:
    words = re.sub(r"[^A-Za-z0-9]+", "_", path).strip("_")
    return f"{method}_{words}" if words else method


_ANY_OR_NULL = {"type": "object", "nullable": True}


def _nullable_refs(node: Any) -> Any:
    """apispec writes a nullable nested schema as `anyOf: [{type: object, nullable: true},
    {$ref}]`, which lets any object through; say `nullable` on the referenced schema."""
    if isinstance(node, dict):
        variants = node.get("anyOf")
        if isinstance(variants, list) and len(variants) == 2 and _ANY_OR_NULL in variants:
            rest = {k: v for k, v in node.items() if k != "anyOf"}
            other = variants[1 - variants.index(_ANY_OR_NULL)]
            return {**rest, "allOf": [_nullable_refs(other)], "nullable": True}
        return {key: _nullable_refs(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_nullable_refs(item) for item in node]
    return node


def complete(document: dict[str, Any]) -> dict[str, Any]:
    """The document with its nullable references, header parameters and links."""
    document = _nullable_refs(document)
    for item in document.get("paths", {}).values():
        for method in _METHODS:
            operation = item.get(method)
            if isinstance(operation, dict):
                _optional_body(document, operation)
            if method == "get" and isinstance(operation, dict):
                _conditional_get(document, operation)
            if isinstance(operation, dict) and "x-headers" in operation:
                headers = operation.pop("x-headers")
                operation.setdefault("parameters", []).extend(
                    {"in": "header", "name": name, **spec} for name, spec in headers.items()
                )
    return link_operations(document)


IF_NONE_MATCH = {
    "in": "header",
    "name": "If-None-Match",
    "required": False,
    "description": "The ETag of the answer you hold: 304 without a body while it is current. "
    "Reads whose ETag is a record's version (the one If-Match names) always answer 200.",
    "schema": {"type": "string"},
}
_ETAG = {
    "description": 'A weak tag of the body (W/"…"), or the record\'s version for If-Match',
    "schema": {"type": "string"},
}
_NOT_MODIFIED = {"description": "Not modified: the ETag you sent is current", "headers": {"ETag": _ETAG}}


def _parameter(document: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """A parameter, its `$ref` (flask-smorest's ETag parameters) resolved."""
    if "$ref" in node:
        return document.get("components", {}).get("parameters", {}).get(node["$ref"].rsplit("/", 1)[1], {})
    return node


def _conditional_get(document: dict[str, Any], operation: dict[str, Any]) -> None:
    """A read answering JSON: its ETag, `If-None-Match` and the 304 (where not described already)."""
    ok = operation.get("responses", {}).get("200")
    if not isinstance(ok, dict) or "application/json" not in ok.get("content", {}):
        return
    ok.setdefault("headers", {}).setdefault("ETag", copy.deepcopy(_ETAG))
    parameters = operation.setdefault("parameters", [])
    named = [_parameter(document, p) for p in parameters]
    if not any(p.get("in") == "header" and p.get("name", "").lower() == "if-none-match" for p in named):
        parameters.append(copy.deepcopy(IF_NONE_MATCH))
    operation["responses"].setdefault("304", copy.deepcopy(_NOT_MODIFIED))


def _optional_body(document: dict[str, Any], operation: dict[str, Any]) -> None:
    """A JSON body whose schema requires no field may be left out (it reads as `{}`)."""
    body = operation.get("requestBody")
    media = body.get("content", {}).get("application/json") if isinstance(body, dict) else None
    if media and "schema" in media and not _schema(document, media["schema"]).get("required"):
        body["required"] = False


def link_operations(document: dict[str, Any]) -> dict[str, Any]:
    """Add `links` to every 2xx response of `document` whose body has an `id` (in place)."""
    paths: dict[str, Any] = document.get("paths", {})
    for path, item in paths.items():
        collection = _collection(path, paths)
        if collection is None:
            continue
        source_parameters = set(re.findall(r"\{([^}]+)\}", path))
        targets = [p for p in paths if p.startswith(collection + "/{")]
        for method in _METHODS:
            operation = item.get(method)
            if not isinstance(operation, dict):
                continue
            for status, response in operation.get("responses", {}).items():
                if (
                    not status.startswith("2")
                    or not isinstance(response, dict)
                    or not _has_id(document, response)
                ):
                    continue
                links = _links(paths, collection, targets, source_parameters)
                if links:
                    response.setdefault("links", {}).update(links)
    return document


def _links(
    paths: dict[str, Any], collection: str, targets: list[str], source_parameters: set[str]
) -> dict[str, Any]:
    links: dict[str, Any] = {}
    for target in targets:
        id_parameter = _PARAMETER.match(target[len(collection) + 1 :].split("/")[0])
        if id_parameter is None:
            continue
        parameters = {id_parameter.group(1): "$response.body#/id"}
        others = set(re.findall(r"\{([^}]+)\}", target)) - set(parameters)
        if not others <= source_parameters:
            continue
        parameters.update({name: f"$request.path.{name}" for name in sorted(others)})
        for method in _METHODS:
            if isinstance(paths[target].get(method), dict):
                links[_name(target, method)] = {
                    "operationRef": _pointer(target, method),
                    "parameters": parameters,
                }
    return links
