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


def test_a_reports_workbook_has_named_sheets_numbers_and_formulas_as_text():
    from decimal import Decimal

    book = openpyxl.load_workbook(
        io.BytesIO(
            exports.workbook(
                {"月度报告 Summary": [["指标", "数值"], ["到期金额（元）", Decimal("3000.50")]], "空": []}
            )
        )
    )
    assert book.sheetnames == ["月度报告 Summary", "空"]
    sheet = book["月度报告 Summary"]
    assert [c.value for c in sheet[2]] == ["到期金额（元）", 3000.5]
    risky = openpyxl.load_workbook(io.BytesIO(exports.workbook({"s": [['=HYPERLINK("http://x")']]})))["s"][
        "A1"
    ]
    assert risky.value == '=HYPERLINK("http://x")' and risky.data_type == "s"
