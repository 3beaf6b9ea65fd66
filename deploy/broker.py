"""RabbitMQ definitions of the platform: exchange, queues, bindings, users, permissions.

Built from the chassis itself (the queues and arguments `services.chassis.bus.Bus`
declares, the bindings of each service's `usecases.CONSUMED`), so the broker's
definitions and what the workers declare cannot drift apart: RabbitMQ refuses a
redeclaration whose arguments differ.

Users: one per service (configure and read its own queues, publish its own events
`<service>.*` on the exchange, send retries and dead letters through the default
exchange), `ops` (the `community events tail` and `community dlq` commands), `gateway`
(the event stream for departments) and an administrator for the management UI.
`deploy/rabbitmq/definitions.json` is the template (no passwords: such users cannot log
in); `community broker-definitions` renders it with password hashes from the
environment.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
from collections.abc import Iterable, Mapping
from typing import Any

from services.chassis.bus import Bus
from services.chassis.config import Settings

from . import registry
from .registry import SERVICES

HASHING_ALGORITHM = "rabbit_password_hashing_sha256"
OPS_USER = "ops"
GATEWAY_USER = "gateway"
# The event stream's exclusive queues (gateway/stream.py: gateway.stream.<12 hex digits>).
GATEWAY_STREAM_QUEUES = r"gateway\.stream\.[0-9a-f]{12}"
# The event archive (gateway/archive.py): a stream queue the gateway declares with its retention
# (EVENT_ARCHIVE_MAX_AGE), so the definitions need not repeat that setting.
EVENT_ARCHIVE = r"community\.events\.archive"
# Provisions departments' AMQP subscriptions through the management API (services/subscriptions):
# it makes the `dept.<department>` users and their `dept.<department>.<id>` queues, so it needs
# the administrator tag (user management); its vhost rights reach those queues only.
PROVISIONER_USER = "subscriptions-admin"
DEPARTMENT_QUEUES = r"dept\..*"
ADMIN_USER = "admin"
NOTHING = "^$"


def password_hash(password: str, salt: bytes | None = None) -> str:
    """RabbitMQ's salted SHA-256 password hash: base64(salt + sha256(salt + password))."""
    salt = os.urandom(4) if salt is None else salt
    return base64.b64encode(salt + hashlib.sha256(salt + password.encode()).digest()).decode()


def handler_patterns(service: str) -> list[str]:
    """The event names (topic patterns) the service's consumer binds its queue to."""
    return list(registry.consumed(service).patterns)


def _names(names: Iterable[str], *patterns: str) -> str:
    """A regex matching exactly these names and patterns (RabbitMQ's are unanchored)."""
    alternatives = [re.escape(name) for name in names] + list(patterns)
    return NOTHING if not alternatives else "^(" + "|".join(alternatives) + ")$"


def _bus(service: str, settings: Settings) -> Bus:
    return Bus(settings.with_changes(service=service, amqp_url="amqp://definitions/"))


def _queue(queue: Any, vhost: str) -> dict[str, Any]:
    return {
        "name": queue.name,
        "vhost": vhost,
        "durable": bool(queue.durable),
        "auto_delete": bool(queue.auto_delete),
        "arguments": dict(queue.queue_arguments or {}),
    }


def _user(name: str, tags: list[str], passwords: Mapping[str, str] | None) -> dict[str, Any]:
    hashed = password_hash(passwords[name]) if passwords is not None else ""
    return {"name": name, "password_hash": hashed, "hashing_algorithm": HASHING_ALGORITHM, "tags": tags}


def _permission(user: str, vhost: str, configure: str, write: str, read: str) -> dict[str, str]:
    return {"user": user, "vhost": vhost, "configure": configure, "write": write, "read": read}


def definitions(
    settings: Settings | None = None,
    *,
    vhost: str = "/",
    user_prefix: str = "",
    admin_user: str = ADMIN_USER,
    passwords: Mapping[str, str] | None = None,
    bindings: Mapping[str, Iterable[str]] | None = None,
) -> dict[str, Any]:
    """The definitions document; `settings` carries exchange, namespace, quorum and retries.

    `passwords` maps user names (with prefix) to passwords; None leaves every password
    unset. `bindings` overrides the handler tables (tests).
    """
    settings = settings or Settings(
        service="broker",
        data_dir=os.path.abspath("var"),
        database_url="sqlite://",
        amqp_url="amqp://definitions/",
    )
    exchange = settings.exchange_name
    queues: list[dict[str, Any]] = []
    queue_bindings: list[dict[str, Any]] = []
    users = [_user(admin_user, ["administrator"], passwords)]
    permissions = [_permission(admin_user, vhost, ".*", ".*", ".*")]
    topic_permissions: list[dict[str, str]] = []
    dead_queues: list[str] = []
    for service in SERVICES:
        bus = _bus(service, settings)
        patterns = (
            sorted(set(bindings[service]))
            if bindings and service in bindings
            else (handler_patterns(service))
        )
        main, dead, retries = bus.service_queue(patterns), bus.dead_queue(), bus.retry_queues()
        queues.extend(_queue(q, vhost) for q in (main, *retries, dead))
        dead_queues.append(dead.name)
        queue_bindings.extend(
            {
                "source": exchange,
                "vhost": vhost,
                "destination": main.name,
                "destination_type": "queue",
                "routing_key": b.routing_key,
                "arguments": {},
            }
            for b in sorted(main.bindings, key=lambda b: b.routing_key)
        )
        user = f"{user_prefix}{service}"
        users.append(_user(user, [], passwords))
        permissions.append(
            _permission(
                user,
                vhost,
                configure=_names([exchange, main.name, *(q.name for q in retries), dead.name]),
                write=_names([exchange, main.name, "amq.default"]),
                read=_names([exchange, main.name, dead.name]),
            )
        )
        topic_permissions.append(
            {
                "user": user,
                "vhost": vhost,
                "exchange": exchange,
                "write": f"^{re.escape(service)}\\.",
                "read": _names(patterns),
            }
        )
    server_named = r"amq\.gen-.*"
    ops, gateway = f"{user_prefix}{OPS_USER}", f"{user_prefix}{GATEWAY_USER}"
    provisioner = f"{user_prefix}{PROVISIONER_USER}"
    users += [
        _user(ops, ["monitoring"], passwords),
        _user(gateway, [], passwords),
        _user(provisioner, ["administrator"], passwords),
    ]
    dead_or_generated = _names([exchange, *dead_queues], server_named)
    permissions += [
        _permission(
            ops,
            vhost,
            configure=dead_or_generated,
            write=_names(["amq.default"], server_named),
            read=dead_or_generated,
        ),
        _permission(
            gateway,
            vhost,
            configure=_names([exchange], server_named, GATEWAY_STREAM_QUEUES, EVENT_ARCHIVE),
            write=_names([], server_named, GATEWAY_STREAM_QUEUES, EVENT_ARCHIVE),
            read=_names([exchange], server_named, GATEWAY_STREAM_QUEUES, EVENT_ARCHIVE),
        ),
        _permission(
            provisioner,
            vhost,
            configure=_names([], DEPARTMENT_QUEUES),
            write=_names([], DEPARTMENT_QUEUES),
            read=_names([exchange]),
        ),
    ]
    topic_permissions += [
        {"user": name, "vhost": vhost, "exchange": exchange, "write": NOTHING, "read": ".*"}
        for name in (ops, gateway)
    ]
    return {
        "rabbit_version": "3.13.0",
        "users": users,
        "vhosts": [{"name": vhost}],
        "permissions": permissions,
        "topic_permissions": topic_permissions,
        "parameters": [],
        "global_parameters": [],
        "policies": [],
        "exchanges": [
            {
                "name": exchange,
                "vhost": vhost,
                "type": "topic",
                "durable": True,
                "auto_delete": False,
                "internal": False,
                "arguments": {},
            }
        ],
        "queues": queues,
        "bindings": queue_bindings,
    }


def password_variables(user_prefix: str = "") -> dict[str, str]:
    """User name → the environment variable holding its password."""
    names = {f"{user_prefix}{service}": f"RABBITMQ_{service.upper()}_PASSWORD" for service in SERVICES}
    names[f"{user_prefix}{OPS_USER}"] = "RABBITMQ_OPS_PASSWORD"
    names[f"{user_prefix}{GATEWAY_USER}"] = "RABBITMQ_GATEWAY_PASSWORD"
    names[f"{user_prefix}{PROVISIONER_USER}"] = "RABBITMQ_SUBSCRIPTIONS_ADMIN_PASSWORD"
    return names


def passwords_from_env(environ: Mapping[str, str], admin_user: str, user_prefix: str = "") -> dict[str, str]:
    """Every user's password from the environment; ValueError naming what is missing."""
    wanted = {admin_user: "RABBITMQ_ADMIN_PASSWORD", **password_variables(user_prefix)}
    missing = sorted(variable for variable in wanted.values() if not environ.get(variable))
    if missing:
        raise ValueError(f"set {', '.join(missing)}")
    return {user: environ[variable] for user, variable in wanted.items()}
