"""An Open311 client written by others reads the facade through the gateway, JSON and XML.

`georeport` (PyPI, "Python wrapper for the Open311 GeoReport v2 API", 2025) reads the
service list, a service definition, the requests and one request. It knows neither the
discovery document nor FixMyStreet's service request updates; those are read the way it
reads XML (`xmltodict`, its own dependency) and as JSON with `requests`, its HTTP client.
"""

from __future__ import annotations

import pytest
import requests
import xmltodict
from georeport import GeoReport

from tests.support.helpers import bearer
from tests.unit.gateway.support import UpstreamServer, inprocess_gateway
from tests.unit.grid.test_open311 import new_request

UPDATE_STATUSES = {
    "OPEN",
    "ACTION_SCHEDULED",
    "IN_PROGRESS",
    "INTERNAL_REFERRAL",
    "INVESTIGATING",
    "FIXED",
    "CLOSED",
}


@pytest.fixture
def endpoint(grid, key_dir, tmp_path):
    gateway = inprocess_gateway(key_dir, tmp_path, {"grid": grid.app})
    with UpstreamServer(gateway) as server:
        yield f"{server.url}/api/grid/open311/v2"


@pytest.fixture
def reported(client, token, make_cell):
    """A request posted by an app with its api_key (its first update: OPEN)."""
    make_cell("HGS-01")
    officer = bearer(token("subdistrict_officer", community=["huaguoshan"]))
    issued = client.post(
        "/open311-clients", json={"name": "街道 app", "communities": ["huaguoshan"]}, headers=officer
    )
    assert issued.status_code == 201, issued.get_json()
    response = new_request(client, issued.get_json()["api_key"])
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()[0]["service_request_id"]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_georeport_reads_services_definitions_and_requests(endpoint, reported, fmt):
    client = GeoReport(endpoint, jurisdiction="huaguoshan", output_format=fmt)
    services = client.get_service_list()
    assert {"hazard_fire", "environment"} <= {s["service_code"] for s in services}
    definition = client.get_service_definition("hazard_fire")
    attribute = definition["attributes"] if fmt == "json" else definition["attributes"]["attribute"]
    attribute = attribute[0] if isinstance(attribute, list) else attribute
    assert attribute["code"] == "urgency"
    found = client.get_service_requests(service_code="hazard_fire", status="open")
    found = found if isinstance(found, list) else [found]
    assert reported in [r["service_request_id"] for r in found]
    one = client.get_service_request(reported)
    assert one["service_request_id"] == reported and one["status"] == "open"
    assert not one.get("description"), "an anonymous reader sees no description"


def test_georeport_refuses_an_unknown_jurisdiction(endpoint):
    client = GeoReport(endpoint, jurisdiction="atlantis")
    with pytest.raises(requests.HTTPError) as refused:
        client.get_service_list()
    assert refused.value.response.status_code == 404
    assert refused.value.response.json() == [
        {"code": 404, "description": "jurisdiction_id 'atlantis' was not found."}
    ]


def test_discovery_names_this_endpoint_in_both_formats(endpoint):
    as_json = requests.get(f"{endpoint}/discovery.json", timeout=10).json()
    [described] = as_json["endpoints"]
    assert described["url"] == endpoint
    assert described["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert described["formats"] == ["text/xml", "application/json"]
    as_xml = xmltodict.parse(requests.get(f"{endpoint}/discovery.xml", timeout=10).content)["discovery"]
    assert as_xml["endpoints"]["endpoint"]["url"] == endpoint
    assert as_xml["endpoints"]["endpoint"]["formats"]["format"] == ["text/xml", "application/json"]
    assert as_xml["changeset"] == as_json["changeset"]


def test_service_request_updates_follow_a_request_in_both_formats(endpoint, reported):
    query = {"jurisdiction_id": "huaguoshan"}
    as_json = requests.get(f"{endpoint}/servicerequestupdates.json", params=query, timeout=10).json()
    mine = [u for u in as_json if u["service_request_id"] == reported]
    assert mine and all(u["status"] in UPDATE_STATUSES for u in mine)
    assert mine[0]["status"] == "OPEN" and mine[0]["update_id"]
    answer = requests.get(f"{endpoint}/servicerequestupdates.xml", params=query, timeout=10)
    assert answer.headers["Content-Type"].startswith("text/xml")
    updates = xmltodict.parse(answer.content)["service_request_updates"]["request_update"]
    updates = updates if isinstance(updates, list) else [updates]
    assert [u["update_id"] for u in updates] == [u["update_id"] for u in as_json]


def test_service_request_updates_refuse_a_window_over_90_days(endpoint):
    query = {
        "jurisdiction_id": "huaguoshan",
        "start_date": "2026-01-01T00:00:00+08:00",
        "end_date": "2026-06-01T00:00:00+08:00",
    }
    answer = requests.get(f"{endpoint}/servicerequestupdates.xml", params=query, timeout=10)
    assert answer.status_code == 400
    error = xmltodict.parse(answer.content)["errors"]["error"]
    assert error == {"code": "400", "description": "start_date and end_date may not span more than 90 days."}
