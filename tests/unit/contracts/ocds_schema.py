"""Validators for the vendored OCDS 1.1 schemas, with every $ref resolved locally."""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft4Validator
from referencing import Registry
from referencing.jsonschema import DRAFT4

FOLDER = Path(__file__).resolve().parents[3] / "standards" / "ocds-1.1"
SCHEMAS = (
    "release-schema.json",
    "release-package-schema.json",
    "record-package-schema.json",
    "versioned-release-validation-schema.json",
)


@cache
def registry() -> Registry:
    """The schemas under their own ids (https://standard.open-contracting.org/...): no network."""
    resources = []
    for name in SCHEMAS:
        contents = json.loads((FOLDER / name).read_text(encoding="utf-8"))
        resources.append((contents["id"], DRAFT4.create_resource(contents)))
    return Registry().with_resources(resources)


def validator(name: str) -> Draft4Validator:
    schema = json.loads((FOLDER / name).read_text(encoding="utf-8"))
    return Draft4Validator(schema, registry=registry(), format_checker=Draft4Validator.FORMAT_CHECKER)


def errors(name: str, document: Any) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator(name).iter_errors(document)
    ]


def parse(text: str) -> Any:
    """Parse an export keeping amounts exact."""
    return json.loads(text, parse_float=Decimal)
