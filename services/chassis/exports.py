"""Every paginated list downloads as CSV or XLSX: the same query, filters and masking as the
JSON list, all rows instead of one page, streamed in bounded memory.

A caller asks with `?format=csv|xlsx` or with `Accept: text/csv` /
`Accept: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet` (`format` wins;
`json`, the default, is the page as before). The chassis `Blueprint.response` does this for
every list that is also `@blp.paginate()`d, and documents the parameter and the two media
types on its 200 response; `web.paginate` reads the rows from a server-side cursor
(`yield_per`) instead of one page. The view's own projection masks personal data exactly as
in the JSON list, so an export never shows more than the list does.

CSV is UTF-8 with a byte-order mark (Excel then reads the Chinese right), one header row of
the response schema's field names. XLSX is written by openpyxl in write-only mode to a
temporary file (rows are never all in memory) and sent in chunks. A text cell that a
spreadsheet would run as a formula (`= + - @`) is kept as text: quoted with `'` in CSV, typed
as a string in XLSX.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import marshmallow as ma
from flask import Response, g, request, stream_with_context

from .errors import Unprocessable

CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MEDIA_TYPES = {"csv": CSV, "xlsx": XLSX}
FORMATS = ("json", "csv", "xlsx")
BATCH = 500
_CHUNK = 64 * 1024
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

FORMAT_PARAMETER = {
    "name": "format",
    "in": "query",
    "required": False,
    "description": (
        "json (default): this page as JSON. csv or xlsx: every row of the filtered list as a download "
        "(CSV in UTF-8 with a byte-order mark; XLSX). `Accept: text/csv` or the XLSX media type "
        "asks the same when format is absent."
    ),
    "schema": {"type": "string", "enum": list(FORMATS), "default": "json"},
}


def requested_format() -> str | None:
    """csv or xlsx when this request asks for a download, None for the JSON page."""
    chosen = request.args.getlist("format")
    if chosen:
        if len(chosen) > 1 or chosen[0] not in FORMATS:
            raise Unprocessable(
                "format must be one of json, csv, xlsx (once).",
                errors={"query.format": [f"Must be one of: {', '.join(FORMATS)}."]},
            )
        return None if chosen[0] == "json" else chosen[0]
    accepted = request.accept_mimetypes
    best = accepted.best_match(["application/json", CSV, XLSX])
    if best in (CSV, XLSX) and accepted[best] > accepted["application/json"]:
        return "csv" if best == CSV else "xlsx"
    return None


def exporting() -> bool:
    """True while a list view runs for a download (paginate then streams every row)."""
    return g.get("export_format") is not None


def download(rows: Iterable[Any], schema: ma.Schema, fmt: str, name: str) -> Response:
    """The rows (records or dicts, dumped by the list's schema) as a streamed CSV or XLSX file."""
    columns = list(schema.dump_fields)
    dumped = (schema.dump(row, many=False) for row in rows)
    body = _csv(columns, dumped) if fmt == "csv" else _xlsx(columns, dumped)
    response = Response(stream_with_context(body), mimetype=MEDIA_TYPES[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _text(value: Any) -> Any:
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return value


def _csv_cell(value: Any) -> Any:
    value = _text(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _csv(columns: list[str], rows: Iterator[dict[str, Any]]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow(columns)
    for count, row in enumerate(rows, start=1):
        writer.writerow([_csv_cell(row.get(column)) for column in columns])
        if count % BATCH == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def csv_chunks(columns: list[str], rows: Iterator[dict[str, Any]]) -> Iterator[bytes]:
    """CSV bytes (UTF-8 with a byte-order mark, header row, formulas kept as text) in chunks."""
    return _csv(columns, rows)


def _xlsx(columns: list[str], rows: Iterator[dict[str, Any]]) -> Iterator[bytes]:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(columns)
    for row in rows:
        sheet.append(_xlsx_row(sheet, [_text(row.get(column)) for column in columns]))
    with tempfile.TemporaryFile() as file:
        workbook.save(file)
        file.seek(0)
        while chunk := file.read(_CHUNK):
            yield chunk


def _xlsx_row(sheet: Any, values: list[Any]) -> list[Any]:
    from openpyxl.cell import WriteOnlyCell

    for index, value in enumerate(values):
        if isinstance(value, str) and value.startswith("="):
            values[index] = cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"  # text, never a formula
    return values


def workbook(sheets: dict[str, Iterable[Sequence[Any]]]) -> bytes:
    """A small XLSX file of named sheets of rows (a report, not a list: it is held in memory),
    its text cells kept as text like a list's download."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title=title[:31])  # Excel's limit on a sheet's name
        for row in rows:
            sheet.append(_xlsx_row(sheet, [_text(value) for value in row]))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def document(operation: dict[str, Any]) -> None:
    """Add the format parameter and the CSV and XLSX bodies to an exportable list's doc."""
    operation.setdefault("parameters", []).append(dict(FORMAT_PARAMETER))
    responses = operation.get("responses", {})
    ok = responses.get(200) or responses.get("200") or {}
    content = ok.setdefault("content", {})
    content[CSV] = {"schema": {"type": "string", "description": "UTF-8 with a byte-order mark"}}
    content[XLSX] = {"schema": {"type": "string", "format": "binary"}}
