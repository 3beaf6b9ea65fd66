"""Merging the services' OpenAPI documents: prefixes, namespaces, rewritten references."""

from __future__ import annotations

import json

from openapi_spec_validator import validate

from gateway.openapi import merge_documents
from tests.support.helpers import key_settings
from tests.unit.chassis import toy


def _toy_document(tmp_path, key_dir):
    app = toy.make_app(tmp_path, key_settings(key_dir))
    return app.test_client().get("/openapi.json").get_json()


def test_two_services_with_the_same_schema_names_merge_into_a_valid_document(tmp_path, key_dir):
    document = _toy_document(tmp_path, key_dir)
    merged = merge_documents({"intake": document, "grid": document})
    validate(merged)
    assert "/api/intake/notes" in merged["paths"] and "/api/grid/notes/{note_id}" in merged["paths"]
    schemas = merged["components"]["schemas"]
    assert "intake.Note" in schemas and "grid.Note" in schemas and "Note" not in schemas
    text = json.dumps(merged["paths"]["/api/grid/notes"])
    assert "#/components/schemas/grid.Note" in text
    assert "#/components/schemas/intake." not in text
    assert "#/components/responses/grid." in text
    assert merged["paths"]["/api/grid/notes"]["post"]["tags"] == ["grid: notes"]
    assert {"name": "grid: notes"} in [{"name": t["name"]} for t in merged["tags"]]


def test_every_reference_points_at_a_component_that_exists(tmp_path, key_dir):
    merged = merge_documents({"intake": _toy_document(tmp_path, key_dir)})
    refs = []

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "$ref":
                    refs.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(merged)
    assert refs
    for ref in refs:
        _, _, kind, name = ref.split("/", 3)
        assert name in merged["components"][kind], ref


def test_discriminator_mappings_are_rewritten():
    document = {
        "openapi": "3.0.3",
        "info": {"title": "x", "version": "1"},
        "paths": {
            "/pets": {
                "get": {
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "oneOf": [{"$ref": "#/components/schemas/Cat"}],
                                        "discriminator": {
                                            "propertyName": "kind",
                                            "mapping": {"cat": "#/components/schemas/Cat"},
                                        },
                                    }
                                }
                            },
                        }
                    }
                }
            }
        },
        "components": {"schemas": {"Cat": {"type": "object", "properties": {"kind": {"type": "string"}}}}},
    }
    merged = merge_documents({"grid": document})
    validate(merged)
    schema = merged["paths"]["/api/grid/pets"]["get"]["responses"]["200"]["content"]["application/json"][
        "schema"
    ]
    assert schema["discriminator"]["mapping"]["cat"] == "#/components/schemas/grid.Cat"


def test_unavailable_services_are_named_in_the_description():
    merged = merge_documents({}, unavailable=("grid",))
    assert "grid" in merged["info"]["description"]
    validate(merged)
