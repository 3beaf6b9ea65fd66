"""The OCDS 1.1 export edge: ocids, yuan amounts, release and record packages.

This is the only place where fen become yuan: `Decimal(fen).scaleb(-2)`, exact, and
written to JSON as a plain number by `dumps` (the standard encoder has no exact
decimal form). Releases are the stored snapshots; a record's compiled release is
their merge by the OCDS merge rules (objects merged, arrays of objects with `id`
merged by id, anything else replaced by the newer value).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any

from ..models import OcdsRelease
from ..usecases.ocds_contract import DOCUMENT_URL_MARK

OCDS_VERSION = "1.1"
PUBLISHER = {"name": "招商街道办事处 (Zhaoshang subdistrict office, Nanshan, Shenzhen)"}


def ocid(prefix: str, tender_id: str) -> str:
    return f"{prefix}-{tender_id}"


def tender_id_of(prefix: str, value: str) -> str | None:
    """The tender id inside an ocid of this publisher, or None for a foreign ocid."""
    head = f"{prefix}-"
    return value[len(head) :] if value.startswith(head) and len(value) > len(head) else None


def to_yuan(value: Any) -> Any:
    """Replace every `{"amount_fen": n, ...}` by `{"amount": n/100 (Decimal), ...}`."""
    if isinstance(value, dict):
        converted = {k: to_yuan(v) for k, v in value.items() if k != "amount_fen"}
        if "amount_fen" in value:
            converted = {"amount": Decimal(int(value["amount_fen"])).scaleb(-2), **converted}
        return converted
    if isinstance(value, list):
        return [to_yuan(v) for v in value]
    return value


def resolve_urls(value: Any, root: str) -> Any:
    """Make every document url stored relative to the service's root absolute."""
    if isinstance(value, dict):
        return {
            k: (
                root + v[len(DOCUMENT_URL_MARK) :]
                if k == "url" and isinstance(v, str) and v.startswith(DOCUMENT_URL_MARK)
                else resolve_urls(v, root)
            )
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [resolve_urls(v, root) for v in value]
    return value


def release(prefix: str, row: OcdsRelease, root: str = "") -> dict[str, Any]:
    """One stored snapshot as an OCDS release (document urls under the service's `root`)."""
    the_ocid = ocid(prefix, row.tender_id)
    return {
        "ocid": the_ocid,
        "id": f"{the_ocid}-{row.seq:03d}",
        "date": row.date.isoformat(),
        "tag": list(row.tags),
        **resolve_urls(to_yuan(row.body), root),
    }


def release_package(prefix: str, rows: Iterable[OcdsRelease], uri: str, root: str = "") -> dict[str, Any]:
    releases = [release(prefix, row, root) for row in rows]
    return {
        "uri": uri,
        "version": OCDS_VERSION,
        "publisher": PUBLISHER,
        "publishedDate": _latest(releases),
        "releases": releases,
    }


def record_package(prefix: str, rows: list[OcdsRelease], uri: str, root: str = "") -> dict[str, Any]:
    releases = [release(prefix, row, root) for row in rows]
    compiled: dict[str, Any] = {}
    for item in releases:
        compiled = merge(compiled, item)
    compiled.update(
        {"id": f"{releases[-1]['ocid']}-compiled", "tag": ["compiled"], "date": releases[-1]["date"]}
    )
    record = {"ocid": releases[0]["ocid"], "releases": releases, "compiledRelease": compiled}
    return {
        "uri": uri,
        "version": OCDS_VERSION,
        "publisher": PUBLISHER,
        "publishedDate": _latest(releases),
        "records": [record],
    }


def _latest(releases: list[dict[str, Any]]) -> str:
    return max(datetime.fromisoformat(r["date"]) for r in releases).isoformat()


def merge(old: Any, new: Any) -> Any:
    """OCDS merge of a newer release into what is known."""
    if isinstance(old, dict) and isinstance(new, dict):
        merged = dict(old)
        for key, value in new.items():
            merged[key] = merge(old.get(key), value) if key in old else value
        return merged
    if _identified(old) and _identified(new):
        by_id = {item["id"]: item for item in old}
        order = [item["id"] for item in old]
        for item in new:
            if item["id"] in by_id:
                by_id[item["id"]] = merge(by_id[item["id"]], item)
            else:
                by_id[item["id"]] = item
                order.append(item["id"])
        return [by_id[i] for i in order]
    return new


def _identified(value: Any) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(item, dict) and "id" in item for item in value)
    )


def dumps(value: Any) -> str:
    """JSON text with Decimals written as exact numbers (never through float)."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dict):
        return (
            "{"
            + ",".join(f"{json.dumps(str(k), ensure_ascii=False)}:{dumps(v)}" for k, v in value.items())
            + "}"
        )
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(dumps(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)
