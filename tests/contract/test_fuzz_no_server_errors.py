"""No input the OpenAPI documents allow, and none they forbid, makes a service answer 500.

Schemathesis generates requests from each service's own OpenAPI document (valid ones and
ones that break the document: wrong types, out-of-range numbers, missing fields) and
sends them in process to the service, signed in as an administrator (the widest
access), on a database holding the reference data.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from deploy.demo.loader import REFERENCE_DATA
from deploy.registry import SERVICES
from tests.support.helpers import bearer

EXAMPLES_PER_OPERATION = 6


@pytest.mark.parametrize("name", SERVICES)
def test_no_generated_request_is_answered_with_a_server_error(name, service, token):
    harness = service(name)
    REFERENCE_DATA[name](harness.runtime)
    admin = bearer(token("admin", community=None, sub="fuzz-admin"))
    schema = schemathesis.openapi.from_wsgi("/openapi.json", harness.app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 10
    for operation in operations:
        strategy = operation.as_strategy(GenerationMode.POSITIVE) | operation.as_strategy(
            GenerationMode.NEGATIVE
        )

        @given(case=strategy)
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def no_server_error(case):
            response = case.call(headers=admin)
            case.validate_response(response, checks=(not_a_server_error,))

        no_server_error()


KNOWN_GOOD = {"community": "huaguoshan", "cell_code": "HGS-01"}


def _query_value(parameter):
    schema = parameter.get("schema", {})
    if "enum" in schema:
        return schema["enum"][0]
    if parameter["name"] in KNOWN_GOOD:
        return KNOWN_GOOD[parameter["name"]]
    return {"integer": 2026, "number": 1, "boolean": "true"}.get(schema.get("type"), "x")


@pytest.mark.parametrize("name", SERVICES)
def test_every_list_refuses_a_page_number_beyond_any_list(name, service, token):
    harness = service(name)
    admin = bearer(token("admin", community=None, sub="fuzz-admin"))
    document = harness.client.get("/openapi.json").get_json()
    lists = 0
    for path, operations in document["paths"].items():
        parameters = operations.get("get", {}).get("parameters", [])
        if "{" in path or not any(p["name"] == "page" for p in parameters):
            continue
        query = {p["name"]: _query_value(p) for p in parameters if p.get("required")}
        query["page"] = 72212744806853459968
        response = harness.client.get(path, query_string=query, headers=admin)
        assert response.status_code == 422, (path, response.get_json())
        assert "query.page" in response.get_json()["errors"], path
        lists += 1
    assert lists >= 2
