"""Every service serves a valid OpenAPI 3 document with problem+json errors."""

import pytest
from openapi_spec_validator import validate

from deploy.registry import SERVICES


@pytest.mark.parametrize("name", SERVICES)
def test_service_openapi_document_is_valid(service, name):
    document = service(name).client.get("/openapi.json").get_json()
    validate(document)
    assert document["openapi"].startswith("3.")
    for path in ("/healthz", "/readyz", "/metrics"):
        assert path in document["paths"]
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    error = document["components"]["responses"]["DEFAULT_ERROR"]
    assert "application/problem+json" in error["content"]


@pytest.mark.parametrize("name", SERVICES)
def test_every_operation_has_a_summary(service, name):
    document = service(name).client.get("/openapi.json").get_json()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if method in ("get", "post", "put", "patch", "delete"):
                assert operation.get("summary"), f"{method.upper()} {path} has no docstring"
