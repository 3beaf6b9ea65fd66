"""The open-data catalogue at the edge: one Data Package composed from the services' parts,
public, cacheable, valid by frictionless; services without open data are left out."""

from __future__ import annotations

import frictionless
import pytest
from werkzeug.test import Client

from deploy.registry import SERVICES
from gateway.catalogue import compose
from tests.unit.gateway.support import inprocess_gateway


@pytest.fixture
def apps(service):
    return {name: service(name).app for name in SERVICES}


def test_the_catalogue_is_public_cacheable_and_a_valid_data_package(apps, key_dir, tmp_path):
    client = Client(inprocess_gateway(key_dir, tmp_path, apps))
    response = client.get("/api/datapackage.json")  # no token
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Cache-Control"] == "public, max-age=300"
    descriptor = response.get_json()
    report = frictionless.Package.validate_descriptor(descriptor)
    assert report.valid, report.flatten(["type", "note"])
    assert "暂缺" not in descriptor["description"]  # every service answered (or has no open data)
    again = client.get("/api/datapackage.json", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""
    assert client.post("/api/datapackage.json").status_code == 401  # only reads are public


def test_resource_paths_become_relative_to_the_api_root_and_stay_valid():
    part = {
        "name": "grid-open-data",
        "resources": [
            {
                "name": "grid-cases-2026-11-csv",
                "path": "cases/2026-11.csv",
                "format": "csv",
                "profile": "tabular-data-resource",
                "schema": {"fields": [{"name": "number", "type": "string"}]},
            }
        ],
    }
    composed = compose({"grid": part}, missing=("contracts",))
    assert [r["path"] for r in composed["resources"]] == ["grid/open-data/cases/2026-11.csv"]
    assert "contracts" in composed["description"]
    report = frictionless.Package.validate_descriptor(composed)
    assert report.valid, report.flatten(["type", "note"])


def test_the_merged_openapi_document_declares_the_open_data_operations_public(apps, key_dir, tmp_path):
    merged = Client(inprocess_gateway(key_dir, tmp_path, apps)).get("/api/openapi.json").get_json()
    operations = {
        path: item["get"]
        for path, item in merged["paths"].items()
        if "open-data" in path or "datapackage" in path
    }
    assert set(operations) == {
        "/api/datapackage.json",
        *(
            f"/api/{name}/open-data/{rest}"
            for name in ("contracts", "evaluation", "grid")
            for rest in ("datapackage.json", "{dataset}/{month}.csv", "{dataset}/{month}.json")
        ),
    }
    assert all(operation["security"] == [] for operation in operations.values())
