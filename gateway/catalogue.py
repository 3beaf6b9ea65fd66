"""The platform's open-data catalogue: one Data Package at /api/datapackage.json, composed
from the parts each service serves at /api/<service>/open-data/datapackage.json.

A service's resources have paths relative to its own descriptor (`cases/2026-11.csv`);
here they become relative to /api/ (`grid/open-data/cases/2026-11.csv`), so the package
is valid wherever the platform is served. A service that serves no open data (404) is
left out; one that does not answer is named in the description and retried sooner.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

from services.chassis.config import OPEN_DATA_LICENSE as LICENSE

CATALOGUE_PATH = "/api/datapackage.json"
PART_PATH = "/open-data/datapackage.json"
CACHE_CONTROL = "public, max-age=300"


def compose(parts: Mapping[str, Mapping[str, Any]], missing: tuple[str, ...] = ()) -> dict[str, Any]:
    """One Data Package from `service → its part` (resource paths made relative to /api/)."""
    description = (
        "招商街道社区服务平台公开的数据：合同与付款、社区预算、考核结果、网格事件公开列表，"
        "每个数据集每月一个 CSV 和一个 JSON 文件，无需登录。"
        "Open data of the community services platform: one CSV and one JSON file per dataset "
        "and month, no sign-in. Amounts are integer fen (0.01 CNY); times are UTC."
    )
    if missing:
        description += f" 暂缺 (not included right now): {', '.join(missing)}."
    resources = [
        {**resource, "path": f"{service}/open-data/{resource['path']}"}
        for service, part in parts.items()
        for resource in part.get("resources", [])
    ]
    return {
        "name": "community-platform-open-data",
        "title": "社区服务平台公开数据 (community services platform open data)",
        "description": description,
        "homepage": "/api/docs",
        "licenses": [LICENSE],
        "resources": resources,
    }


class MergedCatalogue:
    """The composed catalogue as bytes with its ETag, rebuilt when older than `ttl`."""

    def __init__(
        self, fetch: Callable[[str], tuple[int, dict[str, Any] | None]], services: tuple[str, ...], ttl: float
    ) -> None:
        self.fetch = fetch
        self.services = services
        self.ttl = ttl
        self._lock = threading.Lock()
        self._body = b""
        self._etag = ""
        self._expires = 0.0

    def current(self) -> tuple[bytes, str]:
        """The descriptor's bytes and strong ETag."""
        with self._lock:
            if time.monotonic() >= self._expires:
                parts: dict[str, dict[str, Any]] = {}
                missing = []
                for service in self.services:
                    status, part = self.fetch(service)
                    if part is not None:
                        parts[service] = part
                    elif status != 404:
                        missing.append(service)
                self._body = json.dumps(compose(parts, tuple(missing)), ensure_ascii=False).encode()
                self._etag = f'"{hashlib.sha256(self._body).hexdigest()[:40]}"'
                self._expires = time.monotonic() + (5.0 if missing else self.ttl)
            return self._body, self._etag
