"""The OpenAPI description of the Open311 facade: the spec's formats, parameters, bodies
and error lists (its views answer JSON or XML themselves, not through marshmallow)."""

from __future__ import annotations

from typing import Any

from services.chassis.config import COMMUNITIES
from services.chassis.schemas import TEXT_PATTERN, YEAR_PATTERN

from .. import domain
from ..usecases.open311_requests import MAX_RESULTS, URGENCY

XML = "text/xml"
JSON = "application/json"
FORMAT = {
    "in": "path",
    "name": "fmt",
    "required": True,
    "schema": {"type": "string", "enum": ["json", "xml"]},
    "description": "The answer's format: `json` or `xml` (GeoReport v2)",
}
JURISDICTION = {
    "in": "query",
    "name": "jurisdiction_id",
    "required": True,
    "schema": {"type": "string", "enum": list(COMMUNITIES)},
    "description": "The community code: " + ", ".join(COMMUNITIES),
}
_TEXT = {"type": "string", "pattern": TEXT_PATTERN, "maxLength": 2000}
_MOMENT = {"type": "string", "format": "date-time", "pattern": YEAR_PATTERN}
_NULLABLE_TEXT = {"type": "string", "nullable": True}
WINDOW = [
    {"in": "query", "name": "start_date", "schema": _MOMENT, "description": "W3C datetime with a zone"},
    {"in": "query", "name": "end_date", "schema": _MOMENT, "description": "W3C datetime with a zone"},
]
ERROR_LIST = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["code", "description"],
        "properties": {"code": {"type": "integer"}, "description": {"type": "string"}},
    },
}
SERVICE = {
    "type": "object",
    "properties": {
        "service_code": {"type": "string", "enum": list(domain.CATEGORIES)},
        "service_name": {"type": "string"},
        "description": {"type": "string"},
        "metadata": {"type": "boolean"},
        "type": {"type": "string", "enum": ["realtime", "batch", "blackbox"]},
        "keywords": {"type": "string"},
        "group": {"type": "string"},
    },
}
DEFINITION = {
    "type": "object",
    "properties": {
        "service_code": {"type": "string"},
        "attributes": {"type": "array", "items": {"type": "object"}},
    },
}
REQUEST = {
    "type": "object",
    "properties": {
        "service_request_id": {"type": "string"},
        "status": {"type": "string", "enum": ["open", "closed"]},
        "status_notes": {"type": "string"},
        "service_name": {"type": "string"},
        "service_code": {"type": "string"},
        "description": _NULLABLE_TEXT,
        "agency_responsible": {"type": "string"},
        "service_notice": {"type": "string"},
        "requested_datetime": {"type": "string", "format": "date-time"},
        "updated_datetime": {"type": "string", "format": "date-time"},
        "expected_datetime": {"type": "string", "format": "date-time"},
        "address": _NULLABLE_TEXT,
        "address_id": _NULLABLE_TEXT,
        "zipcode": _NULLABLE_TEXT,
        "lat": {"type": "number", "nullable": True},
        "long": {"type": "number", "nullable": True},
        "media_url": _NULLABLE_TEXT,
    },
}
POSTED = {
    "type": "object",
    "properties": {
        "service_request_id": {"type": "string"},
        "token": {"type": "string"},
        "service_notice": {"type": "string"},
        "account_id": _NULLABLE_TEXT,
    },
}
TOKEN = {
    "type": "object",
    "properties": {"service_request_id": {"type": "string"}, "token": {"type": "string"}},
}
UPDATE = {
    "type": "object",
    "required": ["update_id", "service_request_id", "status", "updated_datetime", "description"],
    "properties": {
        "update_id": {"type": "string"},
        "service_request_id": {"type": "string"},
        "status": {
            "type": "string",
            "enum": [
                "OPEN",
                "ACTION_SCHEDULED",
                "IN_PROGRESS",
                "INTERNAL_REFERRAL",
                "INVESTIGATING",
                "FIXED",
                "CLOSED",
            ],
        },
        "updated_datetime": {"type": "string", "format": "date-time"},
        "description": {"type": "string"},
        "media_url": {"type": "string"},
    },
}
ENDPOINT = {
    "type": "object",
    "properties": {
        "specification": {"type": "string"},
        "url": {"type": "string"},
        "changeset": {"type": "string"},
        "type": {"type": "string", "enum": ["production", "test"]},
        "formats": {"type": "array", "items": {"type": "string"}},
    },
}
DISCOVERY = {
    "type": "object",
    "properties": {
        "changeset": {"type": "string"},
        "contact": {"type": "string"},
        "key_service": {"type": "string"},
        "endpoints": {"type": "array", "items": ENDPOINT},
    },
}
POST_FORM = {
    "type": "object",
    "required": ["jurisdiction_id", "service_code"],
    "properties": {
        "jurisdiction_id": {"type": "string", "enum": list(COMMUNITIES)},
        "api_key": {**_TEXT, "description": "The client's key (or send a bearer token instead)"},
        "service_code": {"type": "string", "enum": list(domain.CATEGORIES)},
        "lat": {"type": "number", "minimum": -90, "maximum": 90},
        "long": {"type": "number", "minimum": -180, "maximum": 180},
        "address_string": {**_TEXT, "maxLength": 300},
        "description": {**_TEXT, "maxLength": 4000},
        "media_url": {"type": "string", "pattern": "^https?://", "maxLength": 500},
        "attribute[urgency]": {"type": "string", "enum": list(URGENCY)},
        "account_id": {**_TEXT, "maxLength": 100},
        "device_id": {**_TEXT, "maxLength": 100},
        "first_name": {**_TEXT, "maxLength": 200},
        "last_name": {**_TEXT, "maxLength": 200},
        "email": {**_TEXT, "maxLength": 200},
        "phone": {**_TEXT, "maxLength": 200},
    },
}
POST_RULES = (
    "a location: lat and long together, or address_string (400 otherwise)",
    "lat and long inside one of the jurisdiction's grid cells (400 otherwise)",
    "a valid api_key for the jurisdiction, or a bearer token of someone who may report there (403)",
)
SEARCH_RULES = ("start_date before end_date, at most 90 days apart (400 otherwise)",)


def _errors(description: str) -> dict[str, Any]:
    return {
        "description": f"{description} (the spec's error list)",
        "content": {JSON: {"schema": ERROR_LIST}, XML: {"schema": {"type": "string"}}},
    }


def answer(schema: dict[str, Any], *, status: str = "200", many: bool = True) -> dict[str, Any]:
    """The responses of an Open311 operation: its body in JSON or XML, and the error lists."""
    body = {"type": "array", "items": schema} if many else schema
    return {
        status: {
            "description": "JSON or XML, as the path asks",
            "content": {JSON: {"schema": body}, XML: {"schema": {"type": "string"}}},
        },
        "400": _errors("A parameter is missing or wrong"),
        "403": _errors("The api_key or token may not do this"),
        "404": _errors("Unknown jurisdiction, service or request"),
        "default": _errors("Any other error"),
    }


SEARCH = [
    {
        "in": "query",
        "name": "service_request_id",
        "schema": {**_TEXT, "maxLength": 500},
        "description": "Comma-separated request ids (overrides the other filters)",
    },
    {"in": "query", "name": "service_code", "schema": {"type": "string", "enum": list(domain.CATEGORIES)}},
    {
        "in": "query",
        "name": "status",
        "schema": {"type": "string", "enum": ["open", "closed", "open,closed"]},
    },
    *WINDOW,
    {"in": "query", "name": "page", "schema": {"type": "integer", "minimum": 1, "maximum": 1_000_000}},
    {"in": "query", "name": "page_size", "schema": {"type": "integer", "minimum": 1, "maximum": MAX_RESULTS}},
]
