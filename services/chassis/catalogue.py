"""The AsyncAPI 3.0 catalogue, generated from every service's events and handlers.

A service's `events.py` declares `PUBLISHES` (a sequence of `EventType`); what it
consumes (topic pattern → why it listens) comes from `usecases.CONSUMED`, the handlers
declared with `@consumes`. The document lists every event once as
a channel on the `community.events` topic exchange, with its CloudEvents envelope,
payload schema, producer and consumers.
"""

from __future__ import annotations

from typing import Any

import yaml

from services import SERVICES

from . import registry
from .events import CONTENT_TYPE, EventType, topic_matches

EXCHANGE_BINDING = {
    "is": "routingKey",
    "exchange": {
        "name": "community.events",
        "type": "topic",
        "durable": True,
        "autoDelete": False,
        "vhost": "/",
    },
    "bindingVersion": "0.3.0",
}

ENVELOPE = {
    "type": "object",
    "description": "CloudEvents 1.0, structured JSON mode.",
    "required": [
        "specversion",
        "id",
        "source",
        "type",
        "time",
        "subject",
        "datacontenttype",
        "data",
        "sequence",
    ],
    "properties": {
        "specversion": {"type": "string", "const": "1.0"},
        "id": {
            "type": "string",
            "format": "uuid",
            "description": "Unique per event; consumers dedupe on it.",
        },
        "source": {"type": "string", "description": "/services/<name>"},
        "type": {"type": "string", "description": "<event name>.v<version>"},
        "subject": {"type": "string", "description": "Aggregate id"},
        "time": {"type": "string", "format": "date-time"},
        "datacontenttype": {"type": "string", "const": "application/json"},
        "community": {"type": "string", "description": "Community code (extension)"},
        "correlationid": {"type": "string", "description": "Request id that caused the event (extension)"},
        "sequence": {"type": "string", "description": "Per-aggregate increasing number (extension)"},
    },
}


def _camel(name: str) -> str:
    parts = name.replace("_", ".").split(".")
    return parts[0] + "".join(p.capitalize() for p in parts[1:])


def collect() -> tuple[list[tuple[str, EventType]], dict[str, dict[str, str]]]:
    published: list[tuple[str, EventType]] = []
    consumed: dict[str, dict[str, str]] = {}
    for service in SERVICES:
        module = registry.event_catalogue(service)
        published.extend((service, e) for e in getattr(module, "PUBLISHES", ()))
        consumed[service] = consumed_purposes(service, module)
    return published, consumed


def consumed_purposes(service: str, catalogue: Any) -> dict[str, str]:
    """Pattern → why, from the service's `usecases.CONSUMED` (declared with `@consumes`);
    a service not yet in that shape still declares `events.CONSUMES`."""
    declared = getattr(registry.optional_module(service, "usecases"), "CONSUMED", None)
    if declared is not None:
        return dict(declared.purposes)
    return dict(getattr(catalogue, "CONSUMES", {}))


def document() -> dict[str, Any]:
    published, consumed = collect()
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    for producer, event in sorted(published, key=lambda item: item[1].name):
        key = _camel(event.name)
        consumers = sorted(
            service
            for service, patterns in consumed.items()
            if any(topic_matches(p, event.name) for p in patterns)
        )
        payload = {
            **ENVELOPE,
            "properties": {
                **ENVELOPE["properties"],
                "type": {"type": "string", "const": event.type},
                "data": dict(event.schema),
            },
        }
        messages[key] = {
            "name": event.type,
            "title": event.name,
            "summary": event.description,
            "contentType": CONTENT_TYPE,
            "payload": payload,
            "x-producer": producer,
            "x-consumers": consumers,
        }
        channels[key] = {
            "address": event.name,
            "description": event.description,
            "messages": {key: {"$ref": f"#/components/messages/{key}"}},
            "bindings": {"amqp": EXCHANGE_BINDING},
        }
        operations[f"{producer}Publishes{key[0].upper()}{key[1:]}"] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{key}"},
            "summary": f"{producer} publishes {event.name}",
            "messages": [{"$ref": f"#/channels/{key}/messages/{key}"}],
        }
        for consumer in consumers:
            operations[f"{consumer}Receives{key[0].upper()}{key[1:]}"] = {
                "action": "receive",
                "channel": {"$ref": f"#/channels/{key}"},
                "summary": f"{consumer} consumes {event.name}: {_why(consumed[consumer], event.name)}",
                "messages": [{"$ref": f"#/channels/{key}/messages/{key}"}],
            }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Community services platform events",
            "version": "1.0.0",
            "description": (
                "Events of the Zhaoshang subdistrict community services platform, published on the "
                "durable topic exchange `community.events` as persistent CloudEvents 1.0 "
                "(structured JSON). The routing key is the event name; the CloudEvents `type` adds "
                "the version. Events carry no personal data. Departments bind a queue of their own "
                "to the exchange (see docs/events.md). Generated by `community asyncapi`; do not edit."
            ),
        },
        "defaultContentType": CONTENT_TYPE,
        "servers": {
            "production": {
                "host": "rabbitmq:5672",
                "protocol": "amqp",
                "protocolVersion": "0.9.1",
                "description": "The district's RabbitMQ; one durable topic exchange `community.events`.",
            }
        },
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages},
    }


def _why(patterns: dict[str, str], name: str) -> str:
    return next((why for p, why in patterns.items() if topic_matches(p, name)), "")


def render_yaml() -> str:
    return yaml.safe_dump(document(), sort_keys=False, allow_unicode=True, width=100)
