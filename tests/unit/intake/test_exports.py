"""A list downloads as CSV or XLSX (services/chassis/exports.py): every filtered row, the same
masking as the JSON list, asked with ?format= or Accept, declared in the OpenAPI document."""

from __future__ import annotations

import csv
import io

import openpyxl

from services.chassis.exports import CSV, XLSX
from tests.support.helpers import assert_problem, bearer
from tests.unit.intake.test_access import PASSPORT
from tests.unit.intake.test_personal_data import PHONE, passport_ticket


def _rows(response) -> list[dict[str, str]]:
    text = response.get_data().decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_csv_has_a_bom_every_filtered_row_and_masked_personal_data(desk):
    passport_ticket(desk)
    for _ in range(3):
        desk.ticket("general", attributes={})
    desk.business_type("elderly", name_zh="高龄老人津贴申领", ticket_prefix="C")
    desk.ticket("elderly", priority=True)

    response = desk.client.get("/tickets?community=huaguoshan&format=csv&page_size=1", headers=desk.staff)
    assert response.status_code == 200
    assert response.mimetype == CSV
    assert response.headers["Content-Disposition"] == 'attachment; filename="tickets.csv"'
    rows = _rows(response)
    assert len(rows) == 5  # every row, not the page of one
    passport = next(r for r in rows if r["business_type"] == "passport")
    assert passport["contact_phone"] == "138****8000"
    assert '"applicant_id":"***"' in passport["attributes"]

    only = _rows(desk.client.get("/tickets?format=csv&business_type=general", headers=desk.staff))
    assert {r["business_type"] for r in only} == {"general"} and len(only) == 3


def test_the_owner_exports_their_own_tickets_unmasked(desk):
    passport_ticket(desk)
    desk.ticket("general")
    rows = _rows(desk.client.get("/tickets?format=csv", headers=desk.resident))
    assert len(rows) == 1 and rows[0]["contact_phone"] == PHONE
    assert PASSPORT["applicant_id"] in rows[0]["attributes"]


def test_xlsx_opens_with_openpyxl_with_every_row(desk):
    for _ in range(7):
        desk.ticket("general")
    response = desk.client.get("/tickets?community=huaguoshan", headers={**desk.staff, "Accept": XLSX})
    assert response.status_code == 200 and response.mimetype == XLSX
    workbook = openpyxl.load_workbook(io.BytesIO(response.get_data()), read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][:3] == ("id", "community", "number") and len(rows) == 8
    assert {row[1] for row in rows[1:]} == {"huaguoshan"}


def test_accept_csv_downloads_and_json_stays_the_default(desk):
    desk.ticket("general")
    assert desk.client.get("/tickets", headers={**desk.staff, "Accept": "text/csv"}).mimetype == CSV
    page = desk.client.get("/tickets", headers={**desk.staff, "Accept": "*/*"})
    assert page.mimetype == "application/json" and len(page.get_json()) == 1
    assert desk.client.get("/tickets?format=json", headers=desk.staff).mimetype == "application/json"


def test_an_unknown_format_is_a_422_on_the_parameter(desk):
    response = desk.client.get("/tickets?format=pdf", headers=desk.staff)
    body = assert_problem(response, 422)
    assert body["errors"] == {"query.format": ["Must be one of: json, csv, xlsx."]}


def test_an_export_keeps_the_lists_access_rules(desk, token):
    other = bearer(token("center_staff", community="chiwan"))
    assert_problem(desk.client.get("/tickets?community=huaguoshan&format=csv", headers=other), 403)


def test_every_paginated_list_declares_the_format_parameter_and_media_types(desk):
    spec = desk.client.get("/openapi.json").get_json()
    listing = spec["paths"]["/tickets"]["get"]
    formats = [p for p in listing["parameters"] if p["name"] == "format"]
    assert len(formats) == 1 and formats[0]["in"] == "query"
    assert formats[0]["schema"] == {"type": "string", "enum": ["json", "csv", "xlsx"], "default": "json"}
    content = listing["responses"]["200"]["content"]
    assert set(content) == {"application/json", CSV, XLSX}
    assert content[XLSX]["schema"] == {"type": "string", "format": "binary"}
    creating = spec["paths"]["/tickets"]["post"]
    assert not [p for p in creating.get("parameters", []) if p["name"] == "format"]
