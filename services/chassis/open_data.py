"""Open data: what the reform makes public, read without a token, one file per dataset and
month, described by a Data Package (https://specs.frictionlessdata.io/data-package/).

A service lists its `Dataset`s (name, Table Schema fields, and the function that reads a
month's rows from its own database) and adds `blueprint(datasets)` to its API. It then serves

- `GET /open-data/datapackage.json`: its part of the catalogue, one Data Resource per
  dataset, month and format, paths relative to the descriptor (`<dataset>/<YYYY-MM>.csv`);
- `GET /open-data/<dataset>/<YYYY-MM>.csv`: the month's rows as CSV (UTF-8 with a
  byte-order mark, like the list downloads of `exports`);
- `GET /open-data/<dataset>/<YYYY-MM>.json`: the same rows as a JSON array of objects.

A month is a calendar month in the communities' zone (`clock.local_zone()`). Every answer
has a strong ETag (a hash of its bytes) and `Cache-Control: public`: a day for a closed
month, five minutes for the current one; `If-None-Match` naming it is answered 304. A
month after the current one is 404 (not published yet), an unknown dataset 404, a month
that is not `YYYY-MM` 422. Rows hold no personal data: each dataset names its columns,
and the personal-data scans (tests/unit/chassis/test_open_data.py,
tests/e2e/test_open_data.py) read every file.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from flask import Response, request
from flask.views import MethodView
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from . import clock, exports
from .auth import public
from .blueprint import Blueprint
from .config import OPEN_DATA_LICENSE
from .errors import PROBLEM_JSON, NotFound, Unprocessable
from .web import uow

MONTH_PATTERN = r"^(19|2[0-9])[0-9]{2}-(0[1-9]|1[0-2])$"
CLOSED_MONTH_CACHE = "public, max-age=86400"
CURRENT_MONTH_CACHE = "public, max-age=300"
LICENSE = OPEN_DATA_LICENSE
FORMATS = {"csv": exports.CSV + "; charset=utf-8", "json": "application/json"}
_MONTH = re.compile(MONTH_PATTERN)

Rows = Callable[[Session, datetime, datetime], Iterable[Mapping[str, Any]]]


@dataclass(frozen=True)
class Field:
    """One column: its Table Schema type (string, integer, date, datetime, boolean)."""

    name: str
    type: str
    title: str
    description: str


@dataclass(frozen=True)
class Dataset:
    """A public dataset of one service: its columns and how to read one month's rows
    (`rows(session, start, end)`, moments in [start, end) UTC) and the first moment it
    has (`first(session)`, None while empty)."""

    name: str
    title: str
    description: str
    fields: tuple[Field, ...]
    rows: Rows
    first: Callable[[Session], datetime | None]

    def table_schema(self) -> dict[str, Any]:
        return {
            "fields": [
                {"name": f.name, "type": f.type, "title": f.title, "description": f.description}
                for f in self.fields
            ]
        }


def earliest(column: Any, *conditions: Any) -> Callable[[Session], datetime | None]:
    """A dataset's `first`: the smallest value of `column` (where `conditions` hold)."""
    return lambda session: session.scalar(select(func.min(column)).where(*conditions))


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """The month `YYYY-MM` (local calendar) as [start, end) in UTC; 422 when malformed."""
    if not _MONTH.match(month):
        raise Unprocessable(
            f"{month!r} is not a month; write YYYY-MM (e.g. 2026-11).",
            type="invalid-month",
            errors={"path.month": [f"Must match {MONTH_PATTERN}."]},
        )
    first, following = clock.month_days(month)
    return clock.local_midnight(first), clock.local_midnight(following)


def month_of(moment: datetime) -> str:
    return clock.local(moment).strftime("%Y-%m")


def months_until_now(first: datetime | None) -> list[str]:
    """Every month from the one holding `first` to the current one (none while empty)."""
    if first is None:
        return []
    year, number = map(int, month_of(first).split("-"))
    last = month_of(clock.now())
    found = []
    while (current := f"{year:04d}-{number:02d}") <= last:
        found.append(current)
        year, number = (year + 1, 1) if number == 12 else (year, number + 1)
    return found


def cell(value: Any) -> Any:
    """A value as written to the files: moments in UTC with Z, days ISO, the rest as is."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    return value


def render(dataset: Dataset, rows: Iterable[Mapping[str, Any]], fmt: str) -> bytes:
    """The month's rows as the bytes of the CSV or JSON file."""
    columns = [f.name for f in dataset.fields]
    records = [{column: cell(row.get(column)) for column in columns} for row in rows]
    if fmt == "csv":
        return b"".join(exports.csv_chunks(columns, iter(records)))
    return json.dumps(records, ensure_ascii=False, separators=(",", ":")).encode()


def cached(body: bytes, media_type: str, cache_control: str, name: str | None = None) -> Response:
    """A public, cacheable answer: strong ETag of the bytes, 304 when If-None-Match names it."""
    digest = hashlib.sha256(body).hexdigest()[:40]
    headers = {"ETag": f'"{digest}"', "Cache-Control": cache_control}
    if request.if_none_match.contains_weak(digest):
        return Response(status=304, headers=headers)
    response = Response(body, mimetype=None, content_type=media_type, headers=headers)
    if name is not None:
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def descriptor(service: str, datasets: Iterable[Dataset], session: Session) -> dict[str, Any]:
    """This service's Data Package: a resource per dataset, month and format."""
    resources = []
    for dataset in datasets:
        for month in months_until_now(dataset.first(session)):
            for fmt, media_type in FORMATS.items():
                resources.append(
                    {
                        "name": f"{service}-{dataset.name}-{month}-{fmt}",
                        "title": f"{dataset.title} · {month}",
                        "description": dataset.description,
                        "path": f"{dataset.name}/{month}.{fmt}",
                        "format": fmt,
                        "mediatype": media_type.split(";")[0],
                        "encoding": "utf-8",
                        "profile": "tabular-data-resource",
                        "licenses": [LICENSE],
                        "schema": dataset.table_schema(),
                    }
                )
    return {
        "name": f"{service}-open-data",
        "title": f"{service} 公开数据 (open data)",
        "licenses": [LICENSE],
        "resources": resources,
    }


_PROBLEM = {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}
_CACHE_HEADERS = {
    "ETag": {"description": "Strong entity tag of the bytes", "schema": {"type": "string"}},
    "Cache-Control": {"description": "public; a day for a closed month", "schema": {"type": "string"}},
}
IF_NONE_MATCH = {
    "in": "header",
    "name": "If-None-Match",
    "required": False,
    "schema": {"type": "string"},
    "description": "An ETag you hold: 304 when it is still current",
}
_NOT_MODIFIED = {"description": "Not modified (the ETag you sent is current)", "headers": _CACHE_HEADERS}


def _path_parameters(datasets: list[str]) -> list[dict[str, Any]]:
    return [
        {
            "in": "path",
            "name": "dataset",
            "required": True,
            "schema": {"type": "string", "enum": datasets},
            "description": "The dataset: " + ", ".join(datasets),
        },
        {
            "in": "path",
            "name": "month",
            "required": True,
            "schema": {"type": "string", "pattern": MONTH_PATTERN},
            "description": "A calendar month YYYY-MM (not after the current one)",
        },
    ]


def _file_doc(fmt: str) -> dict[str, Any]:
    body = (
        {"type": "string", "description": "UTF-8 CSV with a byte-order mark, one header row"}
        if fmt == "csv"
        else {"type": "array", "items": {"type": "object"}}
    )
    return {
        "parameters": [IF_NONE_MATCH],
        "responses": {
            "200": {
                "description": "The month's rows",
                "headers": _CACHE_HEADERS,
                "content": {FORMATS[fmt].split(";")[0]: {"schema": body}},
            },
            "304": _NOT_MODIFIED,
            "404": {"description": "No such dataset, or the month is not published yet", "content": _PROBLEM},
            "422": {"description": "The month is not YYYY-MM", "content": _PROBLEM},
        },
    }


def blueprint(service: str, datasets: Iterable[Dataset]) -> Blueprint:
    """The open-data routes of a service serving `datasets` (all public)."""
    by_name = {d.name: d for d in datasets}
    blp = Blueprint("open_data", __name__, description="公开数据 (open data): monthly files, no token")

    def download(dataset: str, month: str, fmt: str) -> Response:
        found = by_name.get(dataset)
        if found is None:
            raise NotFound(f"No open dataset {dataset!r}; see datapackage.json.", type="unknown-dataset")
        start, end = month_bounds(month)
        current = month_of(clock.now())
        if month > current:
            raise NotFound(f"{month} is not over yet and not published.", type="month-not-published")
        body = render(found, found.rows(uow().session, start, end), fmt)
        cache = CURRENT_MONTH_CACHE if month == current else CLOSED_MONTH_CACHE
        return cached(body, FORMATS[fmt], cache, f"{service}-{dataset}-{month}.{fmt}")

    @blp.route("/open-data/datapackage.json")
    class Catalogue(MethodView):
        @public
        @blp.doc(
            parameters=[IF_NONE_MATCH],
            responses={
                "200": {
                    "description": "A Data Package descriptor",
                    "headers": _CACHE_HEADERS,
                    "content": {"application/json": {"schema": {"type": "object"}}},
                },
                "304": _NOT_MODIFIED,
            },
        )
        def get(self) -> Response:
            """This service's open-data catalogue (Data Package): every dataset and month."""
            document = descriptor(service, by_name.values(), uow().session)
            body = json.dumps(document, ensure_ascii=False).encode()
            return cached(body, "application/json", CURRENT_MONTH_CACHE)

    names = list(by_name)

    @blp.route("/open-data/<string:dataset>/<string:month>.csv", parameters=_path_parameters(names))
    class MonthCsv(MethodView):
        @public
        @blp.doc(**_file_doc("csv"))
        def get(self, dataset: str, month: str) -> Response:
            """One dataset's rows of one month as CSV (UTF-8 with a byte-order mark)."""
            return download(dataset, month, "csv")

    @blp.route("/open-data/<string:dataset>/<string:month>.json", parameters=_path_parameters(names))
    class MonthJson(MethodView):
        @public
        @blp.doc(**_file_doc("json"))
        def get(self, dataset: str, month: str) -> Response:
            """One dataset's rows of one month as a JSON array of objects."""
            return download(dataset, month, "json")

    return blp
