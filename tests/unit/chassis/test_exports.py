"""The export writer: a text that a spreadsheet would run as a formula stays text."""

from __future__ import annotations

import io

import marshmallow as ma
import openpyxl
from flask import Flask

from services.chassis import exports


class NoteSchema(ma.Schema):
    note = ma.fields.String(allow_none=True)
    count = ma.fields.Integer()
    tags = ma.fields.List(ma.fields.String())


ROWS = [
    {"note": '=HYPERLINK("http://x")', "count": -1, "tags": ["甲", "乙"]},
    {"note": None, "count": 2, "tags": []},
]


def _body(fmt: str) -> bytes:
    app = Flask(__name__)
    with app.test_request_context("/notes"):
        response = exports.download(iter(ROWS), NoteSchema(many=True), fmt, "notes")
        return b"".join(response.response)


def test_csv_quotes_a_formula_and_writes_lists_as_json():
    text = _body("csv").decode("utf-8")
    assert text == '\ufeffnote,count,tags\r\n"\'=HYPERLINK(""http://x"")",-1,"[""甲"",""乙""]"\r\n,2,[]\r\n'


def test_xlsx_keeps_a_formula_as_text():
    sheet = openpyxl.load_workbook(io.BytesIO(_body("xlsx"))).active
    assert sheet["A2"].value == '=HYPERLINK("http://x")' and sheet["A2"].data_type == "s"
    assert [c.value for c in sheet[3]] == [None, 2, "[]"]
