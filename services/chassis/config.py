"""Settings read once from the environment, with safe defaults for the embedded mode."""

from __future__ import annotations

import os
import types
import typing
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, field, fields, is_dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

K = TypeVar("K")

# The seven communities of Zhaoshang subdistrict sharing one deployment (code → zh name).
COMMUNITY_NAMES = {
    "huaguoshan": "花果山",
    "chiwan": "赤湾",
    "shuiwan": "水湾",
    "yanshan": "沿山",
    "wenzhuyuan": "文竹园",
    "haiyue": "海月",
    "guiyuan": "桂园",
}
COMMUNITIES = tuple(COMMUNITY_NAMES)

# The licence of the open data (services' monthly files and the gateway's catalogue).
OPEN_DATA_LICENSE = {
    "name": "CC-BY-4.0",
    "title": "知识共享署名 4.0 国际许可协议 (Creative Commons Attribution 4.0)",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}

# Departments of Nanshan district that receive referred cases and subscribe to events
# (code → zh-CN name). A platform-wide vocabulary, like the community codes.
DEPARTMENTS = {
    "labour": "人力资源和社会保障局",
    "health": "卫生健康局（含计生）",
    "city_management": "城市管理和综合执法局",
    "civil_affairs": "民政局",
    "disability": "残疾人联合会",
    "housing": "住房和建设局",
    "public_security": "公安分局",
    "fire": "消防救援大队",
    "environment": "生态环境分局",
    "market_regulation": "市场监督管理局",
    "emergency": "应急管理局",
    "justice": "司法局",
    "education": "教育局",
    "water": "水务局",
}


def env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def env_int(name: str, default: int) -> int:
    value = env(name)
    return int(value) if value is not None else default


def env_float(name: str, default: float) -> float:
    value = env(name)
    return float(value) if value is not None else default


def env_bool(name: str, default: bool) -> bool:
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


@dataclass(frozen=True)
class Settings:
    """Everything a service or worker needs to know about its surroundings."""

    service: str
    data_dir: Path
    database_url: str
    amqp_url: str | None
    exchange: str = "community.events"
    bus_namespace: str = ""
    quorum_queues: bool = False
    consumer_prefetch: int = 32
    consumer_batch: int = 16
    retry_delays: tuple[float, ...] = (1.0, 5.0, 30.0)
    outbox_sweep_seconds: float = 2.0
    outbox_batch_size: int = 200
    outbox_retention_hours: float = 72.0
    jwt_issuer: str = "community-platform"
    jwt_audience: str = "community-platform"
    jwt_jwks_url: str | None = None
    jwt_public_key_path: Path | None = None
    jwt_private_key_path: Path | None = None
    jwt_leeway_seconds: int = 30
    max_body_bytes: int = 1_048_576
    reference_cache_seconds: float = 5.0
    public_base_url: str = "http://localhost:8080"
    log_level: str = "INFO"
    log_json: bool = True
    environment: str = "embedded"
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def source(self) -> str:
        """CloudEvents `source` attribute of this service's events."""
        return f"/services/{self.service}"

    def queue_name(self, suffix: str = "events") -> str:
        """The service's queue name, prefixed with the bus namespace (tests)."""
        base = f"{self.service}.{suffix}"
        return f"{self.bus_namespace}.{base}" if self.bus_namespace else base

    @property
    def exchange_name(self) -> str:
        return f"{self.bus_namespace}.{self.exchange}" if self.bus_namespace else self.exchange

    @classmethod
    def from_env(cls, service: str, overrides: Mapping[str, Any] | None = None) -> Settings:
        """Read settings for `service`; `overrides` (field name → value) win over the env."""
        overrides = dict(overrides or {})
        prefix = service.upper()
        data_dir = Path(overrides.get("data_dir") or env("COMMUNITY_DATA_DIR", "var")).resolve()
        keys_dir = data_dir / "keys"
        public_key = env("JWT_PUBLIC_KEY_PATH")
        private_key = env("JWT_PRIVATE_KEY_PATH")
        jwks_url = env("JWT_JWKS_URL")
        delays = env("EVENT_RETRY_DELAYS")
        values: dict[str, Any] = dict(
            service=service,
            data_dir=data_dir,
            database_url=env(f"{prefix}_DATABASE_URL", f"sqlite:///{data_dir / service}.db"),
            amqp_url=env("AMQP_URL", "memory://"),
            exchange=env("EVENT_EXCHANGE", "community.events"),
            bus_namespace=env("EVENT_BUS_NAMESPACE", ""),
            quorum_queues=env_bool("EVENT_QUORUM_QUEUES", False),
            consumer_prefetch=env_int("EVENT_PREFETCH", 32),
            consumer_batch=env_int("EVENT_BATCH", 16),
            retry_delays=tuple(float(x) for x in delays.split(",")) if delays else (1.0, 5.0, 30.0),
            outbox_sweep_seconds=env_float("OUTBOX_SWEEP_SECONDS", 2.0),
            outbox_batch_size=env_int("OUTBOX_BATCH_SIZE", 200),
            outbox_retention_hours=env_float("OUTBOX_RETENTION_HOURS", 72.0),
            jwt_issuer=env("JWT_ISSUER", "community-platform"),
            jwt_audience=env("JWT_AUDIENCE", "community-platform"),
            jwt_jwks_url=jwks_url,
            jwt_public_key_path=Path(public_key)
            if public_key
            else (None if jwks_url else keys_dir / "jwt-public.pem"),
            # A deployment that only verifies (JWKS, or a mounted public key) has no private key.
            jwt_private_key_path=Path(private_key)
            if private_key
            else (None if jwks_url or public_key else keys_dir / "jwt-private.pem"),
            jwt_leeway_seconds=env_int("JWT_LEEWAY_SECONDS", 30),
            max_body_bytes=env_int("MAX_BODY_BYTES", 1_048_576),
            reference_cache_seconds=env_float("REFERENCE_CACHE_SECONDS", 5.0),
            public_base_url=(env("PUBLIC_BASE_URL") or "http://localhost:8080").rstrip("/"),
            log_level=env("LOG_LEVEL", "INFO"),
            log_json=env_bool("LOG_JSON", True),
            environment=env("COMMUNITY_ENV", "embedded"),
        )
        known = {f.name for f in fields(cls)}
        extra: dict[str, Any] = {}
        for key, value in overrides.items():
            if key in known:
                values[key] = value
            else:
                extra[key] = value
        values["data_dir"] = data_dir
        return cls(**values, extra=extra)

    def with_changes(self, **changes: Any) -> Settings:
        return replace(self, **changes)


def read_settings(kind: type[K], settings: Settings, prefix: str | None = None) -> K:
    """A service's own settings (a frozen dataclass with defaults), read once.

    Each field comes from the test override `settings.extra[<field>]`, else from the
    environment variable `<PREFIX>_<FIELD>` (prefix: the service's name), else from its
    default; text is converted by the field's type (str, int, float, bool, Path, or a
    tuple of those, comma-separated). The one way a service reads its knobs.
    """
    if not is_dataclass(kind):
        raise TypeError(f"{kind!r} is not a dataclass")
    prefix = (prefix or settings.service).upper()
    hints = typing.get_type_hints(kind)
    values: dict[str, Any] = {}
    for item in fields(kind):
        if not item.init:
            continue
        variable = f"{prefix}_{item.name.upper()}"
        if item.name in settings.extra:
            values[item.name] = settings.extra[item.name]
        elif (text := env(variable)) is not None:
            try:
                values[item.name] = _convert(text, hints[item.name])
            except ValueError as error:
                raise ValueError(f"{variable}: {error}") from None
        elif item.default is MISSING and item.default_factory is MISSING:
            raise ValueError(f"set {variable}")
    return kind(**values)


def _convert(text: str, hint: Any) -> Any:
    origin = typing.get_origin(hint)
    arguments = [a for a in typing.get_args(hint) if a is not type(None)]
    if origin in (typing.Union, types.UnionType) and len(arguments) == 1:
        return _convert(text, arguments[0])
    if origin is tuple:
        return tuple(_convert(part.strip(), arguments[0]) for part in text.split(",") if part.strip())
    if hint is bool:
        if text.strip().lower() in ("1", "true", "yes", "on"):
            return True
        if text.strip().lower() in ("0", "false", "no", "off"):
            return False
        raise ValueError(f"not a yes/no value: {text!r}")
    if hint in (int, float, str, Path):
        return hint(text)
    raise TypeError(f"cannot read a setting of type {hint!r}")
