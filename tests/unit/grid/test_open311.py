"""Open311 GeoReport v2: every endpoint with the spec's parameters, formats and error lists."""

from datetime import timedelta
from urllib.parse import urlencode
from xml.etree import ElementTree

import pytest

from services.chassis import clock
from services.grid.api.open311_format import to_xml
from tests.support.helpers import bearer
from tests.unit.grid.conftest import HGS_LAT, HGS_LON

BASE = "/open311/v2"
FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def api_key(client, token):
    officer = bearer(token("subdistrict_officer", community=["huaguoshan", "chiwan"]))
    response = client.post(
        "/open311-clients",
        json={"name": "Nanshan i-Shenzhen app", "communities": ["huaguoshan"]},
        headers=officer,
    )
    assert response.status_code == 201
    return response.get_json()["api_key"]


@pytest.fixture
def cell(make_cell):
    return make_cell("HGS-01")


def post(client, fmt="json", headers=None, **fields):
    return client.post(f"{BASE}/requests.{fmt}", data=urlencode(fields), content_type=FORM, headers=headers)


def new_request(client, key, **fields):
    values = {
        "jurisdiction_id": "huaguoshan",
        "api_key": key,
        "service_code": "hazard_fire",
        "lat": HGS_LAT + 0.001,
        "long": HGS_LON + 0.001,
        "description": "Fire exit blocked by bicycles",
        **fields,
    }
    return post(client, **values)


def report_with_token(client, headers):
    """An environment report near HGS-01 posted with a bearer token instead of an API key."""
    return post(
        client,
        headers=headers,
        jurisdiction_id="huaguoshan",
        service_code="environment",
        lat=HGS_LAT + 0.001,
        long=HGS_LON + 0.001,
    )


def error_of(response, status):
    """The spec's error list: a JSON array of {code, description}, with the HTTP status."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.content_type.startswith("application/json")
    [error] = response.get_json()
    assert error["code"] == status and error["description"]
    return error["description"]


def xml_of(response, root):
    assert response.content_type.startswith("text/xml")
    assert response.get_data(as_text=True).startswith('<?xml version="1.0" encoding="UTF-8"?>')
    document = ElementTree.fromstring(response.get_data())
    assert document.tag == root
    return document


# -- services -------------------------------------------------------------------------


def test_service_list_in_json_and_xml(client):
    services = client.get(f"{BASE}/services.json?jurisdiction_id=huaguoshan").get_json()
    fire = next(s for s in services if s["service_code"] == "hazard_fire")
    assert fire == {
        "service_code": "hazard_fire",
        "service_name": "消防安全隐患",
        "description": fire["description"],
        "metadata": True,
        "type": "realtime",
        "keywords": "hazard",
        "group": "hazard",
    }
    document = xml_of(client.get(f"{BASE}/services.xml?jurisdiction_id=huaguoshan"), "services")
    codes = [s.findtext("service_code") for s in document.findall("service")]
    assert codes == [s["service_code"] for s in services]
    assert document.find("service/metadata").text == "true"


def test_jurisdiction_is_required_and_must_exist(client):
    assert "jurisdiction_id was not provided" in error_of(client.get(f"{BASE}/services.json"), 400)
    assert "'shekou' was not found" in error_of(
        client.get(f"{BASE}/services.json?jurisdiction_id=shekou"), 404
    )


def test_errors_in_xml_follow_the_spec(client):
    response = client.get(f"{BASE}/services.xml")
    assert response.status_code == 400
    document = xml_of(response, "errors")
    assert document.findtext("error/code") == "400"
    assert "jurisdiction_id" in document.findtext("error/description")


def test_an_unsupported_format_is_a_clear_400(client):
    description = error_of(client.get(f"{BASE}/services.csv?jurisdiction_id=huaguoshan"), 400)
    assert description == "The format 'csv' is not supported; use .json or .xml."


def test_service_definition_lists_the_urgency_attribute(client):
    query = "jurisdiction_id=huaguoshan"
    definition = client.get(f"{BASE}/services/hazard_gas.json?{query}").get_json()
    [attribute] = definition["attributes"]
    assert definition["service_code"] == "hazard_gas"
    assert attribute["code"] == "urgency" and attribute["datatype"] == "singlevaluelist"
    assert attribute["variable"] is True and attribute["required"] is False
    assert [v["key"] for v in attribute["values"]] == ["normal", "urgent", "immediate_danger"]
    document = xml_of(
        client.get(f"{BASE}/services/hazard_gas.xml?jurisdiction_id=huaguoshan"), "service_definition"
    )
    keys = [v.findtext("key") for v in document.findall("attributes/attribute/values/value")]
    assert keys == ["normal", "urgent", "immediate_danger"]


def test_an_unknown_service_code_is_404(client):
    assert "'pothole' was not found" in error_of(
        client.get(f"{BASE}/services/pothole.json?jurisdiction_id=huaguoshan"), 404
    )


# -- POST requests --------------------------------------------------------------------


def test_posting_a_request_answers_its_id_and_opens_a_case(client, cell, api_key, staff, grid):
    response = new_request(
        client,
        api_key,
        **{
            "attribute[urgency]": "immediate_danger",
            "account_id": "fms-42",
            "first_name": "Mei",
            "last_name": "Chan",
            "email": "mei@example.com",
            "phone": "13812345678",
            "media_url": "https://img.example/1.jpg",
        },
    )
    assert response.status_code == 201
    [answer] = response.get_json()
    assert answer["service_request_id"].startswith("GC-") and answer["account_id"] == "fms-42"
    assert answer["service_notice"] == "Expected within 24 hours."
    case = client.get(f"/cases/{answer['service_request_id']}", headers=staff).get_json()
    assert case["severity"] == "critical" and case["cell_code"] == "HGS-01"
    assert case["source"] == "resident" and case["photos"] == ["https://img.example/1.jpg"]
    assert case["reporter_contact"] == {
        "name": "C*******",
        "email": "m***@example.com",
        "phone": "138****5678",
    }
    assert grid.outbox()[-1]["type"] == "grid.case.reported.v1"


def test_posting_in_xml_answers_the_spec_document(client, cell, api_key):
    response = post(
        client,
        "xml",
        jurisdiction_id="huaguoshan",
        api_key=api_key,
        service_code="environment",
        address_string="南海大道 1 号 北门",
    )
    document = xml_of(response, "service_requests")
    assert document.findtext("request/service_request_id").startswith("GC-")
    assert document.findtext("request/token")


def test_a_nearby_open_report_is_mentioned_in_the_notice(client, cell, api_key):
    first = new_request(client, api_key).get_json()[0]
    second = new_request(client, api_key).get_json()[0]
    assert f"A similar report is open nearby: {first['service_request_id']}." in second["service_notice"]


@pytest.mark.parametrize(
    ("fields", "status", "says"),
    [
        ({"api_key": ""}, 403, "api_key was not provided"),
        ({"api_key": "o311_wrong"}, 403, "Invalid api_key"),
        ({"jurisdiction_id": "chiwan"}, 403, "does not cover jurisdiction_id 'chiwan'"),
        ({"jurisdiction_id": ""}, 400, "jurisdiction_id was not provided"),
        ({"service_code": ""}, 400, "service_code was not provided"),
        ({"service_code": "pothole"}, 404, "service_code 'pothole' was not found"),
        ({"lat": "", "long": ""}, 400, "A location is required"),
        ({"long": ""}, 400, "Give both lat and long"),
        ({"lat": "north"}, 400, "lat must be a decimal number"),
        ({"lat": "95"}, 400, "lat is out of range"),
        ({"lat": HGS_LAT + 0.2}, 400, "outside every grid cell of jurisdiction 'huaguoshan'"),
        ({"attribute[urgency]": "panic"}, 400, "attribute[urgency] must be one of"),
        ({"media_url": "file:///etc/passwd"}, 400, "media_url must be an http(s) URL or the url of a photo"),
        (
            {"media_url": "/api/grid/photos/../../etc"},
            400,
            "media_url must be an http(s) URL or the url of a photo",
        ),
        ({"description": "x" * 4001}, 400, "longer than 4000"),
    ],
)
def test_refused_posts_answer_the_error_list_and_store_nothing(
    client, cell, api_key, grid, fields, status, says
):
    description = error_of(new_request(client, api_key, **fields), status)
    assert says in description
    assert grid.count("cases") == 0 and grid.count("outbox") == 0


def test_a_revoked_key_is_refused(client, cell, api_key, token, grid):
    officer = bearer(token("subdistrict_officer", community="huaguoshan"))
    [registered] = client.get("/open311-clients", headers=officer).get_json()
    assert "api_key" not in registered
    assert client.delete(f"/open311-clients/{registered['id']}", headers=officer).status_code == 204
    assert "Invalid api_key" in error_of(new_request(client, api_key), 403)


def test_a_json_body_is_refused_with_415_in_the_error_list(client, cell, api_key):
    response = client.post(f"{BASE}/requests.json", json={"jurisdiction_id": "huaguoshan"})
    assert "application/x-www-form-urlencoded" in error_of(response, 415)


def test_a_wrong_method_is_405_in_the_error_list(client):
    response = client.delete(f"{BASE}/requests.json?jurisdiction_id=huaguoshan")
    error_of(response, 405)
    assert "GET" in response.headers["Allow"]


# -- GET requests, one request, tokens ------------------------------------------------


@pytest.fixture
def three(client, cell, api_key, staff):
    made = [
        new_request(client, api_key, service_code=code).get_json()[0]["service_request_id"]
        for code in ("hazard_fire", "environment", "public_order")
    ]
    client.post(f"/cases/{made[1]}/reject", json={"note": "private land"}, headers=staff)
    return made


def ids(response):
    assert response.status_code == 200, response.get_data(as_text=True)
    return [r["service_request_id"] for r in response.get_json()]


def test_get_requests_with_the_specs_filters(client, three):
    query = f"{BASE}/requests.json?jurisdiction_id=huaguoshan"
    assert ids(client.get(query)) == three[::-1]
    assert ids(client.get(f"{query}&status=open")) == [three[2], three[0]]
    assert ids(client.get(f"{query}&status=closed")) == [three[1]]
    assert ids(client.get(f"{query}&status=open,closed")) == three[::-1]
    assert ids(client.get(f"{query}&service_code=hazard_fire,public_order")) == [three[2], three[0]]
    assert ids(client.get(f"{query}&service_request_id={three[0]},{three[1]}&status=open")) == [
        three[1],
        three[0],
    ]  # service_request_id overrides the other filters
    soon = (clock.now() + timedelta(days=1)).isoformat()
    later = (clock.now() + timedelta(days=2)).isoformat()
    assert ids(client.get(f"{query}&{urlencode({'start_date': soon, 'end_date': later})}")) == []
    earlier = (clock.now() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert ids(client.get(f"{query}&start_date={earlier}")) == three[::-1]
    assert ids(client.get(f"{query}&page_size=2&page=2")) == [three[0]]
    assert ids(client.get(f"{BASE}/requests.json?jurisdiction_id=chiwan")) == []


def test_get_requests_shows_the_public_view_in_spec_fields(client, three):
    [one] = client.get(
        f"{BASE}/requests.json?jurisdiction_id=huaguoshan&service_request_id={three[0]}"
    ).get_json()
    assert set(one) == {
        "service_request_id",
        "status",
        "status_notes",
        "service_name",
        "service_code",
        "description",
        "agency_responsible",
        "service_notice",
        "requested_datetime",
        "updated_datetime",
        "expected_datetime",
        "address",
        "address_id",
        "zipcode",
        "lat",
        "long",
        "media_url",
    }
    assert one["status"] == "open" and one["description"] is None
    assert one["agency_responsible"] == "花果山社区服务中心"
    assert one["lat"] == round(HGS_LAT + 0.001, 3)


def test_staff_with_a_token_see_the_description(client, three, staff):
    [one] = client.get(
        f"{BASE}/requests/{three[0]}.json?jurisdiction_id=huaguoshan", headers=staff
    ).get_json()
    assert one["description"] == "Fire exit blocked by bicycles"


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("start_date=yesterday", "start_date must be a W3C datetime"),
        ("start_date=2026-01-01T00:00:00", "start_date must be a W3C datetime"),
        ("start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z", "more than 90 days"),
        ("start_date=2026-02-01T00:00:00Z&end_date=2026-01-01T00:00:00Z", "before start_date"),
        (
            "start_date=0001-01-01T00:00:00%2B08:00",
            "start_date: The moment must fall in the years 1900 to 2200",
        ),
        ("end_date=9999-12-31T23:59:59-08:00", "end_date: The moment must fall in the years 1900 to 2200"),
        ("status=pending", "status must be open, closed"),
        ("service_code=pothole", "'pothole' was not found"),
        ("page_size=5000", "page_size must be a whole number from 1 to 1000"),
    ],
)
def test_bad_search_parameters_are_errors(client, cell, query, says):
    response = client.get(f"{BASE}/requests.json?jurisdiction_id=huaguoshan&{query}")
    assert says in error_of(response, 404 if "pothole" in query else 400)


def test_one_request_in_json_and_xml(client, three):
    [one] = client.get(f"{BASE}/requests/{three[1]}.json?jurisdiction_id=huaguoshan").get_json()
    assert one["status"] == "closed" and one["status_notes"] == "Closed: not taken up"
    document = xml_of(
        client.get(f"{BASE}/requests/{three[1]}.xml?jurisdiction_id=huaguoshan"), "service_requests"
    )
    assert document.findtext("request/status") == "closed"
    assert document.findtext("request/description") == ""


def test_an_unknown_request_is_404(client, cell):
    assert "'GC-2026-999999' was not found" in error_of(
        client.get(f"{BASE}/requests/GC-2026-999999.json?jurisdiction_id=huaguoshan"), 404
    )


def test_a_request_of_another_jurisdiction_is_404(client, three):
    error_of(client.get(f"{BASE}/requests/{three[0]}.json?jurisdiction_id=chiwan"), 404)


def test_tokens_resolve_to_the_request_id(client, cell, api_key):
    answer = new_request(client, api_key).get_json()[0]
    [found] = client.get(f"{BASE}/tokens/{answer['token']}.json?jurisdiction_id=huaguoshan").get_json()
    assert found == {"service_request_id": answer["service_request_id"], "token": answer["token"]}
    document = xml_of(
        client.get(f"{BASE}/tokens/{answer['token']}.xml?jurisdiction_id=huaguoshan"), "service_requests"
    )
    assert document.findtext("request/service_request_id") == answer["service_request_id"]
    assert "token" in error_of(client.get(f"{BASE}/tokens/nope.json?jurisdiction_id=huaguoshan"), 404)


def test_an_xml_speaking_client_works_end_to_end(client, cell, api_key):
    """The calls a FixMyStreet-style Open311 client makes, parsing XML only."""
    jurisdiction = {"jurisdiction_id": "huaguoshan"}
    services = xml_of(client.get(f"{BASE}/services.xml", query_string=jurisdiction), "services")
    code = services.findtext("service/service_code")
    definition = xml_of(
        client.get(f"{BASE}/services/{code}.xml", query_string=jurisdiction), "service_definition"
    )
    attribute = definition.findtext("attributes/attribute/code")
    created = xml_of(
        post(
            client,
            "xml",
            jurisdiction_id="huaguoshan",
            api_key=api_key,
            service_code=code,
            lat=HGS_LAT + 0.0005,
            long=HGS_LON + 0.0005,
            email="x@example.com",
            first_name="A",
            last_name="B",
            description="Smoke from the basement",
            **{f"attribute[{attribute}]": "urgent"},
        ),
        "service_requests",
    )
    request_id = created.findtext("request/service_request_id")
    listed = xml_of(
        client.get(f"{BASE}/requests.xml", query_string={**jurisdiction, "service_request_id": request_id}),
        "service_requests",
    )
    assert listed.findtext("request/service_request_id") == request_id
    assert listed.findtext("request/status") == "open"


def test_a_resident_with_a_bearer_token_posts_without_an_api_key(client, cell, resident, grid):
    response = report_with_token(client, resident)
    assert response.status_code == 201
    number = response.get_json()[0]["service_request_id"]
    mine = client.get(f"/cases/{number}", headers=resident).get_json()
    assert mine["mine"] is True and mine["description"] == "环境卫生"


def test_a_bearer_token_of_another_community_is_refused(client, cell, token, grid):
    chiwan = bearer(token("resident", community="chiwan"))
    response = report_with_token(client, chiwan)
    assert "does not cover the community 'huaguoshan'" in error_of(response, 403)
    assert grid.count("cases") == 0


def test_staff_reveal_a_reporters_contact_with_a_purpose_audited(client, cell, api_key, staff, token, grid):
    number = new_request(client, api_key, first_name="Mei", last_name="Chan", phone="13812345678").get_json()[
        0
    ]["service_request_id"]
    committee = bearer(token("committee_member", community="huaguoshan"))
    refused = client.post(
        f"/cases/{number}/reporter-contact", json={"purpose": "call back"}, headers=committee
    )
    assert refused.status_code == 403 and grid.count("personal_data_access") == 0
    assert client.post(f"/cases/{number}/reporter-contact", json={}, headers=staff).status_code == 422
    response = client.post(
        f"/cases/{number}/reporter-contact",
        json={"purpose": "Call back about the blocked exit"},
        headers=staff,
    )
    assert response.get_json() == {
        "reporter_contact": {"first_name": "Mei", "last_name": "Chan", "phone": "13812345678"}
    }
    [entry] = client.get("/audit/personal-data?community=huaguoshan", headers=committee).get_json()
    assert entry["record_kind"] == "case" and entry["fields"] == "reporter_contact"


def test_a_case_without_contact_has_none_to_reveal(client, cell, api_key, staff):
    number = new_request(client, api_key).get_json()[0]["service_request_id"]
    response = client.post(f"/cases/{number}/reporter-contact", json={"purpose": "call back"}, headers=staff)
    assert response.status_code == 404


def test_address_id_and_device_id_are_accepted(client, cell, api_key, staff):
    answer = post(
        client,
        jurisdiction_id="huaguoshan",
        api_key=api_key,
        service_code="public_order",
        address_id="NS-0412-88",
        device_id="device-7f3a",
    ).get_json()[0]
    assert answer["account_id"] == "device-7f3a"
    case = client.get(f"/cases/{answer['service_request_id']}", headers=staff).get_json()
    assert case["address"] == "NS-0412-88" and case["cell_code"] is None


def test_xml_holds_text_with_control_characters_stored_before_they_were_refused():
    document = to_xml("service_requests", [{"description": "Bell\x07 rings\x1b[0m\tloud", "agency": None}])
    parsed = ElementTree.fromstring(document)
    assert parsed.findtext("request/description") == "Bell\ufffd rings\ufffd[0m\tloud"


def test_idempotency_keys_belong_to_each_api_key_client(client, cell, api_key, token):
    officer = bearer(token("subdistrict_officer", community=["huaguoshan", "chiwan"]))
    other = client.post(
        "/open311-clients", json={"name": "Another app", "communities": ["huaguoshan"]}, headers=officer
    ).get_json()["api_key"]
    key = {"Idempotency-Key": "report-0001"}
    values = {
        "jurisdiction_id": "huaguoshan",
        "service_code": "hazard_fire",
        "lat": HGS_LAT + 0.001,
        "long": HGS_LON + 0.001,
    }
    first = post(client, headers=key, api_key=api_key, **values)
    theirs = post(client, headers=key, api_key=other, **values)
    again = post(client, headers=key, api_key=api_key, **values)
    assert (first.status_code, theirs.status_code, again.status_code) == (201, 201, 201), theirs.get_data()
    assert "Idempotent-Replayed" not in theirs.headers and again.headers["Idempotent-Replayed"] == "true"
    ids = [r.get_json()[0]["service_request_id"] for r in (first, theirs, again)]
    assert ids[0] == ids[2] != ids[1]


def test_a_report_refers_to_an_uploaded_photo_as_its_media_url(client, cell, api_key, staff, worker):
    import io

    from PIL import Image

    jpeg = io.BytesIO()
    Image.new("RGB", (40, 30)).save(jpeg, format="JPEG")
    photo = client.post(
        "/photos",
        data={"file": (io.BytesIO(jpeg.getvalue()), "p.jpg", "image/jpeg")},
        headers=worker,
        content_type="multipart/form-data",
    ).get_json()
    [answer] = new_request(client, api_key, media_url=photo["url"]).get_json()
    case = client.get(f"/cases/{answer['service_request_id']}", headers=staff).get_json()
    assert case["photos"] == [photo["url"]]
