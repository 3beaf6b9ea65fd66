"""The contracts service's open data after a whole purchase: each month's file, public and
cacheable, holds the payments, contract and budget the API shows, and no personal data."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime

from services.chassis import clock
from services.chassis.open_data import month_of
from tests.support.helpers import assert_problem
from tests.unit.contracts.test_ocds import _full_story

PRIVATE = ("7559000012345678", "13800138000", "王小明")  # the provider's bank account and contact


def month_file(story, dataset: str, fmt: str, month: str) -> bytes:
    response = story.client.get(f"/open-data/{dataset}/{month}.{fmt}")  # no token
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "public, max-age=300"
    assert (
        story.client.get(
            f"/open-data/{dataset}/{month}.{fmt}", headers={"If-None-Match": response.headers["ETag"]}
        ).status_code
        == 304
    )
    return response.get_data()


def test_the_month_files_hold_what_the_api_shows_and_nothing_personal(story):
    contract = _full_story(story)
    month = month_of(clock.now())
    payments = story.ok(story.client.get("/payments?page_size=100", headers=story.officer))
    payments = [p for p in payments if month_of(datetime.fromisoformat(p["paid_at"])) == month]
    files = {
        (d, f): month_file(story, d, f, month)
        for d in ("contracts", "payments", "budgets")
        for f in ("csv", "json")
    }

    published = json.loads(files["payments", "json"])
    assert sorted((p["number"], p["amount_fen"], p["contract_number"]) for p in published) == sorted(
        (p["number"], p["amount_fen"], contract["number"]) for p in payments
    )
    assert len(published) == 3
    rows = list(csv.DictReader(io.StringIO(files["payments", "csv"].decode("utf-8-sig"))))
    assert [r["amount_fen"] for r in rows] == [str(p["amount_fen"]) for p in published]

    (signed,) = json.loads(files["contracts", "json"])
    assert (signed["number"], signed["value_fen"], signed["period_start"]) == (
        contract["number"],
        contract["value_fen"],
        contract["period_start"],
    )
    budgets = story.ok(story.client.get("/budgets", headers=story.officer))
    lines = {line["line"]: line for line in budgets[0]["lines"]}
    published_lines = json.loads(files["budgets", "json"])
    assert {b["line"]: b["planned_fen"] for b in published_lines} == {
        k: v["planned_fen"] for k, v in lines.items()
    }
    assert sum(b["paid_in_month_fen"] for b in published_lines) == sum(p["amount_fen"] for p in payments)

    payers = {p["paid_by_name"] for p in payments} - {None}
    assert payers  # the officer sees who paid; the open data never does
    for body in files.values():
        for private in (*PRIVATE, *payers):
            assert private.encode() not in body


def test_bad_months_and_datasets_are_precise_problems(story):
    assert_problem(story.client.get("/open-data/payments/2026-13.csv"), 422)
    assert_problem(story.client.get("/open-data/payments/0999-01.json"), 422)
    assert_problem(story.client.get("/open-data/salaries/2026-01.json"), 404)
    assert_problem(story.client.get("/open-data/payments/2999-01.json"), 404)


def test_a_closed_month_is_cached_for_a_day(story):
    response = story.client.get("/open-data/payments/2020-01.json")
    assert response.status_code == 200 and response.get_json() == []
    assert response.headers["Cache-Control"] == "public, max-age=86400"
