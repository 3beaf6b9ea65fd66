"""The intake OpenAPI document is valid and every operation has a summary."""

from __future__ import annotations

from openapi_spec_validator import validate


def test_openapi_document_is_valid_with_summaries(service):
    spec = service("intake").client.get("/openapi.json").get_json()
    validate(spec)
    operations = [
        (path, method, op)
        for path, ops in spec["paths"].items()
        for method, op in ops.items()
        if isinstance(op, dict)
    ]
    assert len(operations) > 30
    assert [(p, m) for p, m, op in operations if not op.get("summary")] == []
    assert spec["paths"]["/display"]["get"]["security"] == []


def test_every_json_read_documents_its_etag_if_none_match_and_304(service):
    spec = service("intake").client.get("/openapi.json").get_json()
    display = spec["paths"]["/display"]["get"]
    assert "ETag" in display["responses"]["200"]["headers"]
    assert "304" in display["responses"]
    assert [p["name"] for p in display["parameters"] if p.get("in") == "header"].count("If-None-Match") == 1
    reads = [
        op
        for ops in spec["paths"].values()
        for method, op in ops.items()
        if method == "get" and "application/json" in op["responses"].get("200", {}).get("content", {})
    ]
    assert reads and all("304" in op["responses"] for op in reads)
    writes = [op for ops in spec["paths"].values() for method, op in ops.items() if method == "post"]
    assert writes and not any("304" in op["responses"] for op in writes)


def test_a_read_answers_304_to_the_etag_it_gave(service):
    client = service("intake").client
    first = client.get("/display?community=huaguoshan")
    assert first.status_code == 200
    again = client.get("/display?community=huaguoshan", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""
