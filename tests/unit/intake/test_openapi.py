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
