"""AMQP subscriptions: a department's queues and its read-only user, made through RabbitMQ's
management HTTP API (credentials of their own: `SUBSCRIPTIONS_BROKER_API_*`).

A department's user is `dept.<department>`; its queues are `dept.<department>.<id>`, durable
(quorum where the platform uses quorum queues), bound to `community.events` per filter. Its
permissions: configure nothing, write nothing, read exactly its own queues.
"""

from __future__ import annotations

import base64
import json
import re
import secrets
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import quote

from services.chassis.errors import Problem

from ..settings import BrokerSettings


class BrokerUnavailable(Problem):
    problem_status = 503
    problem_type = "broker-unavailable"


def user_of(department: str) -> str:
    return f"dept.{department}"


def queue_of(department: str, subscription_id: str) -> str:
    return f"dept.{department}.{subscription_id}"


class BrokerAdmin:
    """The few management API calls provisioning needs."""

    def __init__(self, settings: BrokerSettings, exchange: str, quorum: bool) -> None:
        if not settings.broker_api_url:
            raise BrokerUnavailable("未配置消息代理管理接口。 (SUBSCRIPTIONS_BROKER_API_URL is not set.)")
        self.settings, self.exchange, self.quorum = settings, exchange, quorum
        self.vhost = quote(settings.broker_vhost, safe="")

    def _call(self, method: str, path: str, body: Any = None, missing_ok: bool = False) -> Any:
        auth = f"{self.settings.broker_api_user}:{self.settings.broker_api_password or ''}"
        request = urllib.request.Request(
            self.settings.broker_api_url.rstrip("/") + path,  # type: ignore[union-attr]
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={
                "Authorization": "Basic " + base64.b64encode(auth.encode()).decode(),
                "Content-Type": "application/json",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - configured URL
                text = response.read()
                return json.loads(text) if text else None
        except urllib.error.HTTPError as error:
            if missing_ok and error.code == 404:
                return None
            raise BrokerUnavailable(
                f"消息代理拒绝了请求。 (The broker answered {error.code} to {method}.)"
            ) from None
        except OSError as error:
            raise BrokerUnavailable(f"消息代理不可达。 (The broker is unreachable: {error}.)") from None

    def user_exists(self, department: str) -> bool:
        return (
            self._call("GET", f"/api/users/{quote(user_of(department), safe='')}", missing_ok=True)
            is not None
        )

    def set_password(self, department: str) -> str:
        """Create the department's user (or give it a new password); the password, shown once."""
        password = secrets.token_urlsafe(24)
        user = quote(user_of(department), safe="")
        self._call("PUT", f"/api/users/{user}", {"password": password, "tags": ""})
        own = "^" + re.escape(f"dept.{department}.") + ".*$"
        rights = {"configure": "^$", "write": "^$", "read": own}
        self._call("PUT", f"/api/permissions/{self.vhost}/{user}", rights)
        return password

    def provision(self, department: str, subscription_id: str, patterns: list[str]) -> str:
        """The durable queue bound per pattern; its name."""
        name = queue_of(department, subscription_id)
        arguments = {"x-queue-type": "quorum"} if self.quorum else {}
        queue = quote(name, safe="")
        self._call("PUT", f"/api/queues/{self.vhost}/{queue}", {"durable": True, "arguments": arguments})
        for pattern in patterns:
            path = f"/api/bindings/{self.vhost}/e/{quote(self.exchange, safe='')}/q/{queue}"
            self._call("POST", path, {"routing_key": pattern, "arguments": {}})
        return name

    def unbind(self, queue: str, patterns: list[str]) -> None:
        """Take bindings off a queue (a revoked grant); its routing key is the binding's key."""
        exchange, name = quote(self.exchange, safe=""), quote(queue, safe="")
        for pattern in patterns:
            path = f"/api/bindings/{self.vhost}/e/{exchange}/q/{name}/{quote(pattern, safe='')}"
            self._call("DELETE", path, missing_ok=True)

    def remove(self, queue: str, department: str, last: bool) -> None:
        """Delete the queue (and the department's user with its last queue)."""
        self._call("DELETE", f"/api/queues/{self.vhost}/{quote(queue, safe='')}", missing_ok=True)
        if last:
            self._call("DELETE", f"/api/users/{quote(user_of(department), safe='')}", missing_ok=True)
