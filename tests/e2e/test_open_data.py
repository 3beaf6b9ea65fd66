"""Open data through the gateway, on the local stack: after a month's story (a grid case,
a contract signed and paid, a budget, an evaluation closed), each dataset of that month
downloads without a token as CSV and JSON, the two agree, and their numbers are the ones
the signed-in API gives for the same month; the catalogue (a Data Package) validates with
frictionless, and so does each CSV against its Table Schema; no personal data anywhere.
"""

from __future__ import annotations

import csv
import io
import json
import urllib.error
import urllib.request
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import frictionless
import pytest

from .community_setup import YEAR, Community, set_up_cell, set_up_desk, set_up_purchasing
from .gateway_client import Gateway
from .test_platform_story import (
    PERSONAL,
    a_hazard_goes_to_grid_and_comes_back_resolved,
    a_resident_is_served_at_the_generalist_window,
    the_contract_is_bought_signed_and_paid,
    the_evaluation_releases_the_final_milestone,
)

pytestmark = [pytest.mark.postgres, pytest.mark.rabbitmq]
CODE = "guiyuan"  # no other end-to-end story uses this community
DATASETS = {"contracts": ("contracts", "payments", "budgets"), "evaluation": ("results",), "grid": ("cases",)}


def fetch(gw: Gateway, path: str, headers: dict[str, str] | None = None) -> tuple[int, bytes, Any]:
    """GET without a token: status, bytes, headers."""
    request = urllib.request.Request(f"{gw.base_url}{path}", headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
            return response.status, response.read(), response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers


def every(gw: Gateway, path: str, token: str) -> list[dict[str, Any]]:
    """Every item of a paginated list of the signed-in API."""
    items, page = [], 1
    while True:
        reply = gw.get(f"{path}{'&' if '?' in path else '?'}page={page}&page_size=100", token)
        items += reply.ok()
        pagination = json.loads(reply.headers.get("X-Pagination", "{}"))
        if page >= pagination.get("last_page", 1):
            return items
        page += 1


def in_month(moment: str | None, month: str) -> bool:
    zone = ZoneInfo("Asia/Shanghai")
    return moment is not None and datetime.fromisoformat(moment).astimezone(zone).strftime("%Y-%m") == month


def download(gw: Gateway, service: str, dataset: str, month: str) -> list[dict[str, Any]]:
    """The month's file in both formats, public and cacheable; the rows (CSV == JSON)."""
    rows = {}
    for fmt in ("csv", "json"):
        path = f"/api/{service}/open-data/{dataset}/{month}.{fmt}"
        status, body, headers = fetch(gw, path)
        assert status == 200, (path, body)
        assert headers["Cache-Control"] == "public, max-age=300"  # the current month
        etag = headers["ETag"]
        assert etag.startswith('"') and not etag.startswith("W/")
        again, empty, _ = fetch(gw, path, {"If-None-Match": etag})
        assert (again, empty) == (304, b"")
        assert PERSONAL.encode() not in body and "楼道".encode() not in body
        assert b"-e2e" not in body  # no token subject (who signed, paid or reported)
        if fmt == "csv":
            assert body.startswith(b"\xef\xbb\xbf")
            rows[fmt] = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
        else:
            assert headers["Content-Type"] == "application/json"
            rows[fmt] = json.loads(body)
    as_text = [{k: "" if v is None else str(v) for k, v in row.items()} for row in rows["json"]]
    assert as_text == rows["csv"]
    return rows["json"]


def test_each_dataset_of_the_month_downloads_without_a_token_and_matches_the_api(
    stack, gateway, exchange_events, stack_clock
):
    # A community of its own on the package's stack (the platform story buys in huaguoshan,
    # with its own providers: a provider's credit code is registered once platform-wide).
    gy = Community(CODE, stack)
    set_up_desk(gateway, gy)
    set_up_cell(gateway, gy)
    set_up_purchasing(gateway, gy, serials=(51, 52))
    a_resident_is_served_at_the_generalist_window(gateway, gy, exchange_events)
    a_hazard_goes_to_grid_and_comes_back_resolved(gateway, gy, exchange_events)
    contract = the_contract_is_bought_signed_and_paid(gateway, gy, exchange_events, stack_clock)
    the_evaluation_releases_the_final_milestone(gateway, gy, exchange_events, contract)
    month = datetime.now(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m")
    admin = stack.token("admin", sub="admin-open-data")
    files = {
        (service, dataset): download(gateway, service, dataset, month)
        for service, datasets in DATASETS.items()
        for dataset in datasets
    }

    payments = [
        p
        for p in every(gateway, f"/api/contracts/payments?community={CODE}", admin)
        if in_month(p["paid_at"], month)
    ]
    published = [p for p in files["contracts", "payments"] if p["community"] == CODE]
    assert len(payments) >= 2
    assert sorted((p["number"], p["amount_fen"]) for p in published) == sorted(
        (p["number"], p["amount_fen"]) for p in payments
    )

    signed = next(c for c in files["contracts", "contracts"] if c["number"] == contract["number"])
    read = gateway.get(f"/api/contracts/contracts/{contract['id']}", admin).ok()
    assert (signed["value_fen"], signed["period_start"], signed["period_end"]) == (
        read["value_fen"],
        read["period_start"],
        read["period_end"],
    )

    budgets = every(gateway, f"/api/contracts/budgets?community={CODE}&fiscal_year={YEAR}", admin)
    lines = {(b["community"], line["line"]): line for b in budgets for line in b["lines"]}
    published_lines = [b for b in files["contracts", "budgets"] if b["community"] == CODE]
    assert published_lines
    assert {(b["community"], b["line"]): b["planned_fen"] for b in published_lines} == {
        key: line["planned_fen"] for key, line in lines.items()
    }
    assert sum(b["paid_in_month_fen"] for b in published_lines) == sum(p["amount_fen"] for p in payments)

    rounds = [
        r
        for r in every(gateway, f"/api/evaluation/rounds?community={CODE}&status=closed", admin)
        if in_month(r["closed_at"], month)
    ]
    results = [r for r in files["evaluation", "results"] if r["community"] == CODE]
    assert rounds
    assert sorted((r["round_id"], r["score_centi"], r["grade"]) for r in results) == sorted(
        (r["id"], round(r["score"] * 100), r["grade"]) for r in rounds
    )

    cases = [
        c
        for c in every(gateway, f"/api/grid/cases/public?community={CODE}", admin)
        if in_month(c["reported_at"], month)
    ]
    listed = [c for c in files["grid", "cases"] if c["community"] == CODE]
    assert cases
    assert sorted((c["number"], c["status"], c["category"]) for c in listed) == sorted(
        (c["number"], c["status"], c["category"]) for c in cases
    )


def test_the_catalogue_is_a_valid_data_package_and_each_csv_fits_its_schema(gateway, tmp_path):
    status, body, headers = fetch(gateway, "/api/datapackage.json")
    assert status == 200 and headers["Cache-Control"].startswith("public")
    assert fetch(gateway, "/api/datapackage.json", {"If-None-Match": headers["ETag"]})[0] == 304
    descriptor = json.loads(body)
    report = frictionless.Package.validate_descriptor(descriptor)  # the Data Package profile
    assert report.valid, report.flatten(["type", "note"])
    month = datetime.now(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m")
    current = [r for r in descriptor["resources"] if f"/{month}." in r["path"]]
    named = {tuple(r["path"].split("/open-data/")) for r in current}
    for service, datasets in DATASETS.items():
        for dataset in datasets:
            assert (service, f"{dataset}/{month}.csv") in named and (
                service,
                f"{dataset}/{month}.json",
            ) in named
    for resource in current:  # downloaded without a token next to a copy of the descriptor
        status, data, _ = fetch(gateway, f"/api/{resource['path']}")
        assert status == 200
        (tmp_path / resource["path"]).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / resource["path"]).write_bytes(data)
    month_package = frictionless.Package({**descriptor, "resources": current}, basepath=str(tmp_path))
    report = month_package.validate()  # every CSV and JSON file against its Table Schema
    assert report.valid, report.flatten(["type", "note"])
    assert report.stats["tasks"] == len(current) >= 10


def test_bad_months_and_unknown_datasets_are_precise_problems(gateway):
    for path, status, kind in (
        ("/api/contracts/open-data/payments/2026-13.csv", 422, "invalid-month"),
        ("/api/grid/open-data/cases/26-01.json", 422, "invalid-month"),
        ("/api/contracts/open-data/salaries/2026-01.json", 404, "unknown-dataset"),
        ("/api/evaluation/open-data/results/2999-01.json", 404, "month-not-published"),
    ):
        found, body, headers = fetch(gateway, path)
        assert found == status, (path, body)
        assert headers["Content-Type"] == "application/problem+json"
        assert json.loads(body)["type"].endswith(kind)
