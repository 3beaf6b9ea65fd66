"""The contracts API documents itself: a valid OpenAPI 3 document with every view summarised."""

from openapi_spec_validator import validate


def test_openapi_document_is_valid_and_every_operation_has_a_summary(service):
    harness = service("contracts")
    response = harness.client.get("/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    validate(document)
    operations = [
        (path, method, op)
        for path, item in document["paths"].items()
        for method, op in item.items()
        if method in ("get", "post", "patch")
    ]
    assert len(operations) >= 30
    missing = [(path, method) for path, method, op in operations if not op.get("summary")]
    assert missing == []
    signatures = document["paths"]["/contracts/{contract_id}/signatures"]["post"]
    assert any(
        p.get("name") == "If-Match" or p.get("$ref", "").endswith("IF_MATCH")
        for p in signatures.get("parameters", [])
    )
