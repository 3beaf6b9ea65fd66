"""Form attributes of a business type, in the style of Open311 service definitions.

Standard library only. A definition is a dict with `code`, `datatype` (`string`,
`number`, `datetime`, `text`, `singlevaluelist`, `multivaluelist`), `required`,
`order`, `description`, `values` (list of `{key, name}` for the list types) and our
extension `personal` (the value identifies a person: masked for readers who may not
see it, never put in an event or a log).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

DATATYPES = ("string", "number", "datetime", "text", "singlevaluelist", "multivaluelist")
LIST_TYPES = ("singlevaluelist", "multivaluelist")
MAX_STRING = 200
MAX_TEXT = 2000
MAX_SAFE_INTEGER = 2**53 - 1  # what every JSON client (JavaScript) holds exactly
MASK = "***"


class InvalidAttributes(Exception):
    """Attribute values that do not fit the business type's definition (422 by field)."""

    problem_status = 422
    problem_type = "validation-failed"
    problem_title = "Validation failed"

    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.detail = "Some attribute values do not fit the business type's form."
        super().__init__(self.detail)
        self.errors = {f"attributes.{code}": messages for code, messages in errors.items()}


class InvalidDefinition(InvalidAttributes):
    """A business type's attribute definitions that are inconsistent."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.detail = "The attribute definitions are inconsistent."


def check_definitions(definitions: Sequence[Mapping[str, Any]]) -> None:
    """Raise `InvalidDefinition` for duplicate codes or list types without values."""
    errors: dict[str, list[str]] = {}
    seen: set[str] = set()
    for definition in definitions:
        code = definition["code"]
        if code in seen:
            errors.setdefault(code, []).append("Duplicate attribute code.")
        seen.add(code)
        keys = [v["key"] for v in definition.get("values") or []]
        if definition["datatype"] in LIST_TYPES and not keys:
            errors.setdefault(code, []).append("A list attribute needs values.")
        if definition["datatype"] not in LIST_TYPES and keys:
            errors.setdefault(code, []).append("Only list attributes take values.")
        if len(set(keys)) != len(keys):
            errors.setdefault(code, []).append("Duplicate value keys.")
    if errors:
        raise InvalidDefinition(errors)


def _check_one(definition: Mapping[str, Any], value: Any) -> str | None:
    datatype = definition["datatype"]
    keys = {v["key"] for v in definition.get("values") or []}
    if datatype in ("string", "text"):
        limit = MAX_STRING if datatype == "string" else MAX_TEXT
        if not isinstance(value, str):
            return "Not a valid string."
        if len(value) > limit:
            return f"Longer than {limit} characters."
        if definition.get("required") and not value.strip():
            return "Must not be blank."
    elif datatype == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            return "Not a valid number."
        if isinstance(value, int) and abs(value) > MAX_SAFE_INTEGER:
            return f"Out of range (at most {MAX_SAFE_INTEGER} in size)."
        if isinstance(value, float) and not math.isfinite(value):
            return "Not a finite number."
    elif datatype == "datetime":
        if not isinstance(value, str):
            return "Not a valid datetime."
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            return "Not a valid ISO 8601 datetime."
        if parsed.tzinfo is None:
            return "The datetime needs a UTC offset."
    elif datatype == "singlevaluelist":
        if not isinstance(value, str) or value not in keys:
            return f"Must be one of: {', '.join(sorted(keys))}."
    elif datatype == "multivaluelist":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return "Must be a list of value keys."
        unknown = [v for v in value if v not in keys]
        if unknown:
            return f"Unknown values: {', '.join(unknown)}; use: {', '.join(sorted(keys))}."
        if len(set(value)) != len(value):
            return "Values are repeated."
        if definition.get("required") and not value:
            return "Choose at least one value."
    return None


def validate_values(definitions: Sequence[Mapping[str, Any]], values: Mapping[str, Any]) -> dict[str, Any]:
    """The values checked against the definitions; `InvalidAttributes` lists every problem."""
    by_code = {d["code"]: d for d in definitions}
    errors: dict[str, list[str]] = {}
    for code in values:
        if code not in by_code:
            errors[code] = ["Unknown attribute for this business type."]
    for code, definition in by_code.items():
        if code not in values or values[code] is None:
            if definition.get("required"):
                errors[code] = ["Missing required attribute."]
            continue
        problem = _check_one(definition, values[code])
        if problem:
            errors[code] = [problem]
    if errors:
        raise InvalidAttributes(errors)
    return {
        code: values[code]
        for code in sorted(values, key=lambda c: by_code[c].get("order", 0))
        if values[code] is not None
    }


def personal_codes(definitions: Sequence[Mapping[str, Any]], values: Mapping[str, Any]) -> set[str]:
    """Codes of `values` that are personal by the form they are collected with (a code not
    on the form counts as personal). Decided once, at collection, and stored with the values."""
    impersonal = {d["code"] for d in definitions if not d.get("personal")}
    return {code for code in values if code not in impersonal}
