"""Base schema for request and response bodies: strict, no unbounded strings, and the
input hygiene of `hygiene` on every field that takes text, a day, a moment or a decimal."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import marshmallow as ma

from . import hygiene

DEFAULT_MAX_STRING = 2000


def _refuse(fault: Callable[[Any], str | None]) -> Callable[[Any], None]:
    def check(value: Any) -> None:
        if value is not None:
            message = fault(value)
            if message is not None:
                raise ma.ValidationError(message)

    check.hygiene = True  # type: ignore[attr-defined]
    return check


TEXT_HYGIENE = _refuse(lambda value: hygiene.text_fault(value) if isinstance(value, str) else None)
DAY_HYGIENE = _refuse(hygiene.day_fault)
DECIMAL_HYGIENE = _refuse(hygiene.decimal_fault)


def _hygiene_for(field_obj: ma.fields.Field) -> Callable[[Any], None] | None:
    if isinstance(field_obj, ma.fields.String):
        return TEXT_HYGIENE
    if isinstance(field_obj, ma.fields.DateTime | ma.fields.Date):
        return DAY_HYGIENE
    if isinstance(field_obj, ma.fields.Decimal):
        return DECIMAL_HYGIENE
    return None


class Schema(ma.Schema):
    """Unknown fields are refused; a String field without a Length gets one of 2000; text,
    day, moment and decimal fields (in lists too) refuse what `hygiene` refuses; a boolean
    is never a number, an integer never a fraction; a dict being dumped never yields its own
    methods for missing keys."""

    class Meta:
        unknown = ma.RAISE

    def get_attribute(self, obj: Any, attr: str, default: Any) -> Any:
        # A dict missing a key is a missing value, not the dict's method of that name
        # (marshmallow would dump `{"code": ...}["values"]` as `dict.values`).
        if isinstance(obj, Mapping) and "." not in attr:
            return obj.get(attr, default)
        return super().get_attribute(obj, attr, default)

    @ma.pre_load
    def _refuse_what_json_types_refuse(self, data: Any, **kwargs: Any) -> Any:
        """What the document's `type` refuses, marshmallow would take: 0 and 1 as booleans,
        2.5 as the integer 2. Refused here for JSON bodies; query strings (text) pass."""
        if not isinstance(data, Mapping):
            return data
        wrong: dict[str, list[str]] = {}
        for name, field in self.load_fields.items():
            key = field.data_key or name
            value = data.get(key)
            if isinstance(value, bool) or not isinstance(value, int | float):
                continue
            if isinstance(field, ma.fields.Boolean):
                wrong[key] = ["Not a valid boolean."]
            elif isinstance(field, ma.fields.Integer) and isinstance(value, float) and not value.is_integer():
                wrong[key] = ["Not a valid integer."]
        if wrong:
            raise ma.ValidationError(wrong)
        return data

    def on_bind_field(self, field_name: str, field_obj: ma.fields.Field) -> None:
        if not field_obj.dump_only:
            _bind_hygiene(field_obj)
        super().on_bind_field(field_name, field_obj)


# The years `hygiene.day_fault` takes (1900-2200), as the document declares them.
YEAR_PATTERN = r"^(19[0-9]{2}|2[01][0-9]{2}|2200)-"
# The text `hygiene.text_fault` takes: no C0 control but tab, LF and CR (a lone surrogate
# cannot be written in a JSON document's text at all).
TEXT_PATTERN = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F]*$"


def documented_hygiene(
    converter: Any, field: ma.fields.Field, ret: dict[str, Any], **kwargs: Any
) -> dict[str, Any]:
    """An apispec attribute function: what the hygiene of a load field refuses, declared
    in its OpenAPI property (the years of days and moments, the characters of text; OpenAPI
    3.0 cannot say it of a free-form object's keys: see `Blueprint.rules`)."""
    if field.dump_only or "pattern" in ret:
        return {}
    if isinstance(field, ma.fields.DateTime | ma.fields.Date):
        return {"pattern": YEAR_PATTERN}
    if isinstance(field, ma.fields.String) and "enum" not in ret:
        return {"pattern": TEXT_PATTERN}
    return {}


def _bind_hygiene(field_obj: ma.fields.Field) -> None:
    """Give a load field (and a list's or tuple's items) its length bound and hygiene."""
    validators = list(getattr(field_obj, "validators", []))
    if isinstance(field_obj, ma.fields.String) and not any(
        isinstance(v, ma.validate.Length) for v in validators
    ):
        validators.append(ma.validate.Length(max=DEFAULT_MAX_STRING))
    check = _hygiene_for(field_obj)
    if check is not None and not any(getattr(v, "hygiene", False) for v in validators):
        validators.insert(0, check)
    field_obj.validators = validators
    if isinstance(field_obj, ma.fields.List):
        _bind_hygiene(field_obj.inner)
    if isinstance(field_obj, ma.fields.Tuple):
        for inner in field_obj.tuple_fields:
            _bind_hygiene(inner)
    if isinstance(field_obj, ma.fields.Dict | ma.fields.Mapping):
        for inner in (field_obj.key_field, field_obj.value_field):
            if inner is not None:
                _bind_hygiene(inner)


class PageQuerySchema(Schema):
    """Common list filters; services extend it with their own."""

    community = ma.fields.String(validate=ma.validate.Length(max=40))


def fen(**kwargs: Any) -> ma.fields.Integer:
    """An amount of money in fen (integer, never negative, at most 10^13)."""
    return ma.fields.Integer(strict=True, validate=ma.validate.Range(min=0, max=10**13), **kwargs)
