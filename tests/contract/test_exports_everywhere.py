"""Every paginated list of every service answers a CSV download (services/chassis/exports.py):
a file with a BOM and the header row of its schema, or the list's own 4xx problem, never a 500."""

from __future__ import annotations

import pytest

from deploy.registry import SERVICES
from services.chassis.exports import CSV
from tests.support.helpers import bearer

# Staff of every kind, and the administrator (who alone reads every department's subscriptions).
STAFF_ROLES = ("subdistrict_officer", "committee_member", "center_staff", "grid_worker", "evaluator", "admin")


@pytest.mark.parametrize("name", SERVICES)
def test_every_paginated_list_downloads_as_csv(service, token, name):
    harness = service(name)
    client = harness.client
    spec = client.get("/openapi.json").get_json()
    headers = bearer(token(*STAFF_ROLES, community="huaguoshan"))
    downloads = 0
    for path, operations in spec["paths"].items():
        listing = operations.get("get")
        parameters = listing.get("parameters", []) if listing else []
        if "{" in path or not any(p["name"] == "format" for p in parameters):
            continue
        response = client.get(f"{path}?community=huaguoshan&format=csv", headers=headers)
        assert response.status_code < 500, (path, response.get_data(as_text=True))
        if response.status_code == 200:
            assert response.mimetype == CSV and response.get_data().startswith(b"\xef\xbb\xbf"), path
            downloads += 1
        else:
            assert response.mimetype == "application/problem+json", path
    assert downloads >= 1
