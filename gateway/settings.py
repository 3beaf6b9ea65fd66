"""The gateway's settings, read once from the environment into a typed object."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

from services.chassis.config import Settings, env, env_bool, env_float, env_int

UPSTREAMS = ("intake", "contracts", "grid", "evaluation", "governance", "subscriptions", "notifications")
"""The services behind the gateway: `/api/<name>/...` goes to `<name>` (`<NAME>_URL`)."""

# Route classes (see gateway/routes.py) and their default limits, in the `limits` notation.
DEFAULT_RATE_LIMITS = {
    "anonymous": "120/minute",
    "read": "1200/minute",
    "write": "300/minute",
    "stream": "30/minute",
}


def _list(value: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (value or "").split(",") if part.strip())


def _archive_age(value: str | None) -> str | None:
    """`EVENT_ARCHIVE_MAX_AGE`: a RabbitMQ `x-max-age` (`30D`, `72h`), or `off` for no archive."""
    return None if not value or value.lower() in ("off", "none", "0") else value


def upstream_env_name(service: str) -> str:
    """`INTAKE_URL` for `intake`: the variable holding that service's replica base URLs."""
    return f"{service.upper()}_URL"


def _route_timeouts(value: str | None) -> tuple[tuple[str, float], ...]:
    """`intake/analytics=60,grid=10` → ((prefix, seconds), ...), longest prefix first."""
    pairs = []
    for item in _list(value):
        prefix, _, seconds = item.partition("=")
        if not seconds:
            raise ValueError(f"GATEWAY_ROUTE_TIMEOUTS item {item!r} is not <service/path>=<seconds>")
        pairs.append(("/api/" + prefix.strip().strip("/"), float(seconds)))
    return tuple(sorted(pairs, key=lambda pair: -len(pair[0])))


@dataclass(frozen=True)
class GatewaySettings:
    """Where the services are and how the edge behaves."""

    chassis: Settings
    upstream_urls: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    connect_timeout: float = 2.0
    read_timeout: float = 30.0
    route_timeouts: tuple[tuple[str, float], ...] = ()
    retries: int = 2
    pool_idle_seconds: float = 1.5
    pool_size: int = 64
    breaker_failures: int = 5
    breaker_reset_seconds: float = 10.0
    health_interval: float = 5.0
    readyz_cache_seconds: float = 2.0
    max_header_bytes: int = 16_384
    max_header_count: int = 100
    cors_origins: tuple[str, ...] = ()
    trusted_proxies: int = 0
    rate_limits: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_RATE_LIMITS))
    rate_limits_enabled: bool = True
    redis_url: str | None = None
    sse_replay_size: int = 1000
    sse_heartbeat_seconds: float = 15.0
    sse_max_clients: int = 1000
    event_archive_max_age: str | None = "30D"
    metrics_token: str | None = None
    sse_max_per_subject: int = 2
    sse_max_per_address: int = 10
    sse_disconnect_check_seconds: float = 1.0
    docs_cache_seconds: float = 60.0
    oidc_issuer: str | None = None
    oidc_client_id: str | None = None
    oidc_scope: str = "openid profile"
    # The maps' base layer: an XYZ/WMTS tile URL template ({z}/{x}/{y}, {s} for subdomains),
    # e.g. Tianditu's with the district's key; none: cells on a plain background.
    map_tile_url: str | None = None
    map_tile_attribution: str = ""
    map_tile_subdomains: str = ""
    map_max_zoom: int = 18

    @property
    def max_body_bytes(self) -> int:
        return self.chassis.max_body_bytes

    def read_timeout_for(self, path: str) -> float:
        """The read timeout of the route `path` (`/api/<service>/...`)."""
        for prefix, seconds in self.route_timeouts:
            if path == prefix or path.startswith(prefix + "/"):
                return seconds
        return self.read_timeout

    @classmethod
    def from_env(cls, overrides: Mapping[str, Any] | None = None) -> GatewaySettings:
        """Read the environment; `overrides` (field name → value) win, chassis keys go down."""
        overrides = dict(overrides or {})
        own = {f.name for f in fields(cls)}
        chassis_overrides = {k: v for k, v in overrides.items() if k not in own}
        limits = dict(DEFAULT_RATE_LIMITS)
        for route_class in DEFAULT_RATE_LIMITS:
            value = env(f"RATE_LIMIT_{route_class.upper()}")
            if value:
                limits[route_class] = value
        values: dict[str, Any] = dict(
            chassis=Settings.from_env("gateway", chassis_overrides),
            upstream_urls={
                service: tuple(u.rstrip("/") for u in _list(env(upstream_env_name(service))))
                for service in UPSTREAMS
                if env(upstream_env_name(service))
            },
            connect_timeout=env_float("GATEWAY_CONNECT_TIMEOUT", 2.0),
            read_timeout=env_float("GATEWAY_READ_TIMEOUT", 30.0),
            route_timeouts=_route_timeouts(env("GATEWAY_ROUTE_TIMEOUTS")),
            retries=env_int("GATEWAY_RETRIES", 2),
            pool_idle_seconds=env_float("GATEWAY_POOL_IDLE_SECONDS", 1.5),
            pool_size=env_int("GATEWAY_POOL_SIZE", 64),
            breaker_failures=env_int("GATEWAY_BREAKER_FAILURES", 5),
            breaker_reset_seconds=env_float("GATEWAY_BREAKER_RESET_SECONDS", 10.0),
            health_interval=env_float("GATEWAY_HEALTH_INTERVAL", 5.0),
            readyz_cache_seconds=env_float("GATEWAY_READYZ_CACHE_SECONDS", 2.0),
            max_header_bytes=env_int("GATEWAY_MAX_HEADER_BYTES", 16_384),
            max_header_count=env_int("GATEWAY_MAX_HEADER_COUNT", 100),
            cors_origins=_list(env("GATEWAY_CORS_ORIGINS")),
            trusted_proxies=env_int("GATEWAY_TRUSTED_PROXIES", 0),
            rate_limits=limits,
            rate_limits_enabled=env_bool("RATE_LIMITS_ENABLED", True),
            redis_url=env("REDIS_URL"),
            sse_replay_size=env_int("SSE_REPLAY_SIZE", 1000),
            sse_heartbeat_seconds=env_float("SSE_HEARTBEAT_SECONDS", 15.0),
            sse_max_clients=env_int("SSE_MAX_CLIENTS", 1000),
            event_archive_max_age=_archive_age(env("EVENT_ARCHIVE_MAX_AGE", "30D")),
            metrics_token=env("METRICS_TOKEN"),
            sse_max_per_subject=env_int("SSE_MAX_PER_SUBJECT", 2),
            sse_max_per_address=env_int("SSE_MAX_PER_ADDRESS", 10),
            sse_disconnect_check_seconds=env_float("SSE_DISCONNECT_CHECK_SECONDS", 1.0),
            docs_cache_seconds=env_float("GATEWAY_DOCS_CACHE_SECONDS", 60.0),
            oidc_issuer=env("OIDC_ISSUER"),
            oidc_client_id=env("OIDC_CLIENT_ID"),
            oidc_scope=env("OIDC_SCOPE") or "openid profile",
            map_tile_url=env("MAP_TILE_URL"),
            map_tile_attribution=env("MAP_TILE_ATTRIBUTION") or "",
            map_tile_subdomains=env("MAP_TILE_SUBDOMAINS") or "",
            map_max_zoom=env_int("MAP_MAX_ZOOM", 18),
        )
        for key in own & overrides.keys():
            values[key] = overrides[key]
        if "rate_limits" in overrides:
            values["rate_limits"] = {**DEFAULT_RATE_LIMITS, **overrides["rate_limits"]}
        if "route_timeouts" in overrides and isinstance(overrides["route_timeouts"], str):
            values["route_timeouts"] = _route_timeouts(overrides["route_timeouts"])
        return cls(**values)

    def with_changes(self, **changes: Any) -> GatewaySettings:
        return replace(self, **changes)
