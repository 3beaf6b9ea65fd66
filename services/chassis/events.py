"""CloudEvents 1.0 envelope, event type declarations and payload schemas.

Each service declares the events it publishes as `EventType`s in its own `events.py`;
payload schemas are JSON Schema (draft 2020-12) objects that refuse unknown
properties, so personal data cannot slip into an event unnoticed.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

from . import clock
from .config import COMMUNITIES

SPEC_VERSION = "1.0"
CONTENT_TYPE = "application/cloudevents+json"
MAX_EVENT_BYTES = 64 * 1024
EVENT_NAME = re.compile(r"^[a-z]+(\.[a-z_]+){2}$")
EVENT_TYPE = re.compile(r"^(?P<name>[a-z]+(\.[a-z_]+){2})\.v(?P<version>[1-9][0-9]*)$")

_formats = FormatChecker(formats=())


@_formats.checks("uuid", raises=ValueError)
def _is_uuid(value: object) -> bool:
    return not isinstance(value, str) or str(uuid.UUID(value)) == value.lower()


def parse_time(value: object) -> datetime | None:
    """An RFC 3339 timestamp with its UTC offset (as event payloads carry them), or None."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


@_formats.checks("date-time", raises=ValueError)
def _is_datetime(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parsed = datetime.fromisoformat(value)
    return parsed.tzinfo is not None


@_formats.checks("date", raises=ValueError)
def _is_date(value: object) -> bool:
    if isinstance(value, str):
        datetime.strptime(value, "%Y-%m-%d")
    return True


class InvalidEvent(ValueError):
    """An event that does not fit its declaration (a programming error on publish)."""


class MalformedEvent(ValueError):
    """A message that is not a valid CloudEvent of this platform."""


# JSON Schema fragments for payload declarations -----------------------------------

UUID = {"type": "string", "format": "uuid"}
DATETIME = {"type": "string", "format": "date-time"}
DATE = {"type": "string", "format": "date"}
COMMUNITY = {"type": "string", "enum": list(COMMUNITIES)}
BOOLEAN = {"type": "boolean"}
NUMBER = {"type": "number"}
FEN = {"type": "integer", "minimum": 0, "description": "Amount in fen (1/100 CNY)"}


def string(max_length: int = 200, pattern: str | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string", "maxLength": max_length}
    if pattern:
        schema["pattern"] = pattern
    return schema


def integer(minimum: int | None = None, maximum: int | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "integer"}
    if minimum is not None:
        schema["minimum"] = minimum
    if maximum is not None:
        schema["maximum"] = maximum
    return schema


def enum(*values: str) -> dict[str, Any]:
    return {"type": "string", "enum": list(values)}


def array(items: Mapping[str, Any], max_items: int = 1000) -> dict[str, Any]:
    return {"type": "array", "items": dict(items), "maxItems": max_items}


def nullable(schema: Mapping[str, Any]) -> dict[str, Any]:
    return {"anyOf": [dict(schema), {"type": "null"}]}


def payload(
    required: Mapping[str, Mapping[str, Any]], optional: Mapping[str, Mapping[str, Any]] | None = None
) -> dict[str, Any]:
    """An object schema: `required` properties must be present, nothing else is allowed."""
    properties = {**{k: dict(v) for k, v in required.items()}}
    properties.update({k: dict(v) for k, v in (optional or {}).items()})
    return {
        "type": "object",
        "properties": properties,
        "required": sorted(required),
        "additionalProperties": False,
    }


@dataclass(frozen=True)
class EventType:
    """A published event: its name (= routing key), version, meaning and payload schema."""

    name: str
    description: str
    schema: Mapping[str, Any] = field(default_factory=lambda: payload({}))
    version: int = 1

    def __post_init__(self) -> None:
        if not EVENT_NAME.match(self.name):
            raise ValueError(f"event name {self.name!r} is not <service>.<aggregate>.<verb>")
        Draft202012Validator.check_schema(self.schema)

    @property
    def type(self) -> str:
        return f"{self.name}.v{self.version}"

    @property
    def service(self) -> str:
        return self.name.split(".", 1)[0]

    def validate(self, data: Mapping[str, Any]) -> None:
        validator = self.__dict__.get("_validator")
        if validator is None:  # built once per event type, on first use
            validator = Draft202012Validator(self.schema, format_checker=_formats)
            object.__setattr__(self, "_validator", validator)
        errors = sorted(validator.iter_errors(data), key=lambda e: list(e.path))
        if errors:
            where = "/".join(str(p) for p in errors[0].path) or "(root)"
            raise InvalidEvent(f"{self.type} payload invalid at {where}: {errors[0].message}")


def build(
    event_type: EventType,
    *,
    source: str,
    subject: str,
    community: str | None,
    data: Mapping[str, Any],
    sequence: int,
    correlation_id: str | None = None,
    event_id: str | None = None,
    time: datetime | None = None,
) -> dict[str, Any]:
    """A CloudEvent (structured mode) for `data`, validated against its declaration."""
    event_type.validate(data)
    event: dict[str, Any] = {
        "specversion": SPEC_VERSION,
        "id": event_id or str(uuid.uuid4()),
        "source": source,
        "type": event_type.type,
        "subject": str(subject),
        "time": (time or clock.now()).isoformat(),
        "datacontenttype": "application/json",
        "data": dict(data),
        "sequence": str(sequence),
    }
    if community:
        event["community"] = community
    if correlation_id:
        event["correlationid"] = correlation_id
    if len(encode(event)) > MAX_EVENT_BYTES:
        raise InvalidEvent(f"{event_type.type} is larger than {MAX_EVENT_BYTES} bytes")
    return event


def encode(event: Mapping[str, Any]) -> bytes:
    return json.dumps(event, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


_REQUIRED = ("specversion", "id", "source", "type")
_EXTENSION_NAME = re.compile(r"^[a-z0-9]{1,20}$")


def parse(body: bytes | str | Mapping[str, Any]) -> dict[str, Any]:
    """Parse and check a structured-mode CloudEvent; raise `MalformedEvent` if it is not one."""
    if isinstance(body, Mapping):
        event = dict(body)
    else:
        try:
            event = json.loads(body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise MalformedEvent(f"body is not JSON: {exc}") from None
    if not isinstance(event, dict):
        raise MalformedEvent("body is not a JSON object")
    for attribute in _REQUIRED:
        if not isinstance(event.get(attribute), str) or not event[attribute]:
            raise MalformedEvent(f"missing or empty attribute {attribute!r}")
    if event["specversion"] != SPEC_VERSION:
        raise MalformedEvent(f"unsupported specversion {event['specversion']!r}")
    if not EVENT_TYPE.match(event["type"]):
        raise MalformedEvent(f"type {event['type']!r} is not <service>.<aggregate>.<verb>.v<n>")
    if "time" in event:
        try:
            datetime.fromisoformat(str(event["time"]))
        except ValueError:
            raise MalformedEvent(f"time {event['time']!r} is not RFC 3339") from None
    for name, value in event.items():
        if not _EXTENSION_NAME.match(name):
            raise MalformedEvent(f"attribute name {name!r} is not a valid CloudEvents name")
        if name != "data" and isinstance(value, (dict, list)):
            # context attributes are scalars (CloudEvents type system); only data nests
            raise MalformedEvent(f"attribute {name!r} must not be a JSON object or array")
    if "data" in event and not isinstance(event["data"], dict):
        raise MalformedEvent("data must be a JSON object")
    return event


def event_name(event: Mapping[str, Any]) -> str:
    """`grid.case.resolved` of a parsed event whose type is `grid.case.resolved.v1`."""
    match = EVENT_TYPE.match(event["type"])
    if not match:
        raise MalformedEvent(f"type {event['type']!r} is not versioned")
    return match.group("name")


def topic_matches(pattern: str, routing_key: str) -> bool:
    """AMQP topic matching: `*` is one word, `#` is zero or more words."""
    return _topic_regex(pattern).match(routing_key) is not None


def _topic_regex(pattern: str) -> re.Pattern[str]:
    parts = []
    for word in pattern.split("."):
        if word == "*":
            parts.append(r"[^.]+")
        elif word == "#":
            parts.append(r".*")
        else:
            parts.append(re.escape(word))
    return re.compile("^" + r"\.".join(parts).replace(r".*\.", r"(?:.*\.)?") + "$")
