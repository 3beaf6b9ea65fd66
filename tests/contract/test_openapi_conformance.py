"""Each service's OpenAPI document tells the truth, checked through the gateway.

Schemathesis (its engine, as the CLI runs it) plays every phase — the document's
examples, coverage of each constraint's edges, random fuzzing and stateful sequences
along the documents' links — with **all** of its checks, against every service of
`deploy.registry.SERVICES` (a service added later is covered without touching this
file), through the in-process gateway (served over HTTP on loopback: schemathesis'
engine cannot call a WSGI app directly) with the rate limits raised so that no
operation hides behind a 429, signed in as an administrator. The service holds its
reference data first. Any finding fails the test and is listed (with a curl command and
the answer); so does an operation never tested, a stateful phase that did not run, or a
429. `CONFORMANCE_DUMP=<prefix>` also writes each service's findings as JSON.

Time: the coverage phase (each constraint's edges, valid and broken, for every
parameter and body field) is most of it and does not depend on `MAX_EXAMPLES`, which
bounds the random cases per operation of the fuzzing phase and the steps of the
stateful one. 3 gives every operation a few random cases; measured on the shared
2-core machine under load: 45 s (governance) to 2-3 min (grid, contracts) per service.
"""

from __future__ import annotations

import json
import os
import re
import urllib.request
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import Status, events, from_schema
from schemathesis.hooks import GLOBAL_HOOK_DISPATCHER

from deploy.demo.loader import REFERENCE_DATA
from deploy.registry import SERVICES
from tests.unit.gateway.support import UpstreamServer, inprocess_gateway

IDEMPOTENCY_KEY = re.compile(r"^[\x21-\x7e]{1,200}$")
MAX_EXAMPLES = 3
RAISED_LIMITS = {name: "100000/minute" for name in ("anonymous", "read", "write", "stream")}


# A schema-valid request may still meet the state it acts on: a stale If-Match (412) is
# an answer about the resource, like 409, not a refusal of the data.
ACCEPTED = ["2xx", "3xx", "401", "403", "404", "409", "412"]
# A write without its required If-Match is answered 428 Precondition Required (RFC 6585),
# the status made for it, besides schemathesis' defaults.
MISSING_HEADER = ["400", "401", "403", "406", "415", "422", "428"]


def _operations_with_rules(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Operations whose document lists rules beyond the schemas (`x-rules`, the chassis'
    `Blueprint.rules`): a schema-valid request breaking one is refused with 422 (400 for a
    free-form object's key the chassis' hygiene refuses), as documented."""
    found = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if isinstance(operation, dict) and operation.get("x-rules"):
                # A rule on the content itself (an upload that is not an image) may be answered
                # 413 or 415 where the operation documents it.
                content = [code for code in ("413", "415") if code in operation.get("responses", {})]
                expected = {"expected-statuses": [*ACCEPTED, "400", "422", *content]}
                found.append(
                    {
                        "include-path": path,
                        "include-method": method.upper(),
                        "checks": {"positive_data_acceptance": expected},
                    }
                )
    return found


def _config(token: str, document: dict[str, Any]) -> SchemathesisConfig:
    return SchemathesisConfig.from_dict(
        {
            "seed": 2011,
            "cache": {"enabled": False},  # the same run every time, nothing written to the tree
            # Patterns on formats (the years of a date) filter many drawn values: slower, not wrong.
            "suppress-health-check": ["filter_too_much", "too_slow", "large_base_example", "data_too_large"],
            "auth": {"openapi": {"bearerAuth": {"bearer": token}}},
            "checks": {
                "enabled": True,
                "positive_data_acceptance": {"expected-statuses": ACCEPTED},
                "missing_required_header": {"expected-statuses": MISSING_HEADER},
            },
            "operations": _operations_with_rules(document),
            "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none"},
            "phases": {"stateful": {"max-steps": MAX_EXAMPLES}},
            "warnings": False,
        }
    )


def before_call(context: Any, case: Any, kwargs: dict[str, Any]) -> None:
    """A well-formed generated Idempotency-Key becomes a fresh one, as the document asks
    ("a unique value per intended operation"): the generator repeats its simplest values,
    and a key used again for another request is refused (422), rightly."""
    if case.headers and IDEMPOTENCY_KEY.match(str(case.headers.get("Idempotency-Key", ""))):
        case.headers["Idempotency-Key"] = uuid.uuid4().hex


def run_schemathesis(base_url: str, name: str, token: str) -> dict[str, Any]:
    """Every phase and check against `/api/<name>` through the gateway at `base_url`; what it found."""
    url = f"{base_url}/api/{name}/openapi.json"
    with urllib.request.urlopen(url, timeout=30) as answer:  # noqa: S310 - loopback
        document = json.load(answer)
    schema = schemathesis.openapi.from_url(url, config=_config(token, document))
    operations = {result.ok().label for result in schema.get_all_operations()}
    GLOBAL_HOOK_DISPATCHER.register_hook_with_name(before_call, "before_call")
    try:
        found = _collect(from_schema(schema).execute(), operations)
    finally:
        GLOBAL_HOOK_DISPATCHER.unregister(before_call)
    return found


def _collect(stream: Any, operations: set[str]) -> dict[str, Any]:
    tested: set[str] = set()
    failures: dict[tuple[str, str], str] = {}
    errors: list[str] = []
    phases: dict[str, str] = {}
    timings: dict[str, float] = {}
    statuses: Counter[int] = Counter()
    started: dict[str, float] = {}
    for event in stream:
        if isinstance(event, events.PhaseStarted):
            started[event.phase.name.value] = event.timestamp
        if isinstance(event, events.PhaseFinished):
            phases[event.phase.name.value] = event.status.value if event.status else "skipped"
            took = event.timestamp - started.get(event.phase.name.value, event.timestamp)
            timings[event.phase.name.value] = round(took, 1)
        elif isinstance(event, events.ScenarioFinished):
            if event.status != Status.SKIP and event.label:
                tested.add(event.label)
            for case_id, interaction in event.recorder.interactions.items():
                if interaction.response is not None:
                    statuses[interaction.response.status_code] += 1
                    tested.add(event.recorder.cases[case_id].value.operation.label)
            for case_id, checks in event.recorder.checks.items():
                for check in checks:
                    if check.status == Status.FAILURE and check.failure_info is not None:
                        failure = check.failure_info.failure
                        case = event.recorder.cases[case_id].value
                        interaction = event.recorder.interactions.get(case_id)
                        answer = ""
                        if interaction is not None and interaction.response is not None:
                            answer = interaction.response.content[:400].decode(errors="replace")
                        key = (case.operation.label, f"{failure.title}: {failure.message}"[:600])
                        failures.setdefault(key, f"{case.as_curl_command()}\n    → {answer}")
        elif isinstance(event, events.NonFatalError):
            errors.append(f"{event.label}: {event.info.format()}"[:800])
        elif isinstance(event, events.FatalError):
            errors.append(repr(event.exception))
    return {
        "failures": failures,
        "errors": errors,
        "untested": sorted(operations - tested),
        "phases": phases,
        "timings": timings,
        "statuses": statuses,
    }


def _dump(name: str, found: dict[str, Any]) -> None:
    """With CONFORMANCE_DUMP=<prefix>, every finding of the run as JSON (<prefix>.<service>.json)."""
    prefix = os.environ.get("CONFORMANCE_DUMP")
    if prefix:
        findings = [
            [operation, message, curl] for (operation, message), curl in sorted(found["failures"].items())
        ]
        Path(f"{prefix}.{name}.json").write_text(
            json.dumps({**found, "failures": findings}, indent=1, ensure_ascii=False, default=str)
        )


# Subscriptions provisions departments' AMQP queues through RabbitMQ's management API: the
# real one (enabled by .ci/run), in this test session's vhost.
BROKER_API = "http://127.0.0.1:15672"


TOPIC = {"type": "topic", "durable": True}


def _management(method: str, path: str, body: Any = None) -> Any:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(f"{BROKER_API}{path}", data=data, method=method)
    request.add_header("Authorization", "Basic Z3Vlc3Q6Z3Vlc3Q=")  # guest:guest, the test broker's
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 - loopback
        body = answer.read()
    return json.loads(body) if body else None


def _department_users() -> set[str]:
    return {user["name"] for user in _management("GET", "/api/users") if user["name"].startswith("dept.")}


@pytest.mark.parametrize("name", SERVICES)
def test_the_service_answers_as_its_document_says(name, service, token, key_dir, tmp_path, request):
    settings: dict[str, Any] = {}
    if name == "subscriptions":
        vhost = request.getfixturevalue("rabbit_vhost").name
        settings = {"broker_api_url": BROKER_API, "broker_api_user": "guest", "broker_api_password": "guest"}
        settings["broker_vhost"] = vhost
        users_before = _department_users()
    harness = service(name, log_level="WARNING", **settings)
    if name == "subscriptions":  # the platform's exchange the departments' queues are bound to
        exchange = urllib.request.quote(harness.runtime.settings.exchange_name, safe="")
        _management("PUT", f"/api/exchanges/{urllib.request.quote(vhost, safe='')}/{exchange}", TOPIC)
    if name in REFERENCE_DATA:
        REFERENCE_DATA[name](harness.runtime)
    gateway = inprocess_gateway(key_dir, tmp_path, {name: harness.app}, rate_limits=RAISED_LIMITS)
    admin = token("admin", community=None, sub="conformance-admin")
    try:
        with UpstreamServer(gateway) as server:
            found = run_schemathesis(server.url, name, admin)
    finally:
        if name == "subscriptions":  # the broker users the run made (its queues go with the vhost)
            for user in _department_users() - users_before:
                _management("DELETE", f"/api/users/{urllib.request.quote(user, safe='')}")
    _dump(name, found)
    report = "\n".join(
        f"{op} — {message}\n    {curl}" for (op, message), curl in sorted(found["failures"].items())
    )
    assert not found["errors"], "\n".join(found["errors"])
    assert not found["failures"], f"{len(found['failures'])} findings:\n{report}"
    assert found["untested"] == []
    assert found["phases"].get("stateful") == "success", found["phases"]
    assert found["statuses"][429] == 0
    assert sum(found["statuses"].values()) > 100
