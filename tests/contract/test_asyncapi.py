"""docs/asyncapi.yaml is valid AsyncAPI 3.0 and in sync with the services' events.py."""

import json
from pathlib import Path

import yaml
from jsonschema import Draft7Validator

from deploy import registry
from deploy.registry import SERVICES
from services.chassis import asyncapi
from services.chassis.events import EventType

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "standards" / "asyncapi" / "asyncapi-3.0.0.schema.json"
DOCUMENT = ROOT / "docs" / "asyncapi.yaml"


def _resolve(document, pointer):
    assert pointer.startswith("#/"), pointer
    node = document
    for part in pointer[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def test_checked_in_catalogue_is_what_the_services_declare():
    assert DOCUMENT.read_text(encoding="utf-8") == asyncapi.render_yaml(*registry.published_and_consumed()), (
        "docs/asyncapi.yaml is out of date: run `community asyncapi`"
    )


def test_catalogue_validates_against_the_asyncapi_3_schema():
    document = yaml.safe_load(DOCUMENT.read_text(encoding="utf-8"))
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    errors = sorted(Draft7Validator(schema).iter_errors(document), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


def test_every_reference_in_the_catalogue_resolves():
    document = yaml.safe_load(DOCUMENT.read_text(encoding="utf-8"))
    for ref in _refs(document):
        _resolve(document, ref)


def test_every_published_event_is_in_the_catalogue_with_its_schema():
    document = yaml.safe_load(DOCUMENT.read_text(encoding="utf-8"))
    addresses = {c["address"]: c for c in document["channels"].values()}
    for service in SERVICES:
        for event in registry.event_catalogue(service).PUBLISHES:
            assert isinstance(event, EventType)
            assert event.service == service, f"{event.name} published by {service}"
            assert event.name in addresses, event.name
            message = _resolve(document, next(iter(addresses[event.name]["messages"].values()))["$ref"])
            assert message["payload"]["properties"]["data"] == json.loads(json.dumps(event.schema))
            assert message["payload"]["properties"]["type"]["const"] == event.type


def test_a_drifted_catalogue_is_detected(tmp_path):
    from click.testing import CliRunner

    from deploy import cli

    stale = tmp_path / "asyncapi.yaml"
    stale.write_text("asyncapi: 3.0.0\n", encoding="utf-8")
    result = CliRunner().invoke(cli.main, ["asyncapi", "--check", "--output", str(stale)])
    assert result.exit_code == 1 and "out of date" in result.output


def test_generator_output_with_events_is_valid():
    from tests.unit.chassis.toy import NOTE_ADDED

    document = asyncapi.document(
        [("toy", NOTE_ADDED)], {"other": {"toy.note.*": "to index notes"}, "toy": {}}
    )
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert not list(Draft7Validator(schema).iter_errors(json.loads(json.dumps(document))))
    for ref in _refs(document):
        _resolve(document, ref)
    message = document["components"]["messages"]["toyNoteAdded"]
    assert message["x-consumers"] == ["other"]
    assert "otherReceivesToyNoteAdded" in document["operations"]
