"""Base schema for request and response bodies: strict, and no unbounded strings."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import marshmallow as ma

DEFAULT_MAX_STRING = 2000


class Schema(ma.Schema):
    """Unknown fields are refused; a String field without a Length gets one of 2000; a
    dict being dumped never yields its own methods for missing keys."""

    class Meta:
        unknown = ma.RAISE

    def get_attribute(self, obj: Any, attr: str, default: Any) -> Any:
        # A dict missing a key is a missing value, not the dict's method of that name
        # (marshmallow would dump `{"code": ...}["values"]` as `dict.values`).
        if isinstance(obj, Mapping) and "." not in attr:
            return obj.get(attr, default)
        return super().get_attribute(obj, attr, default)

    def on_bind_field(self, field_name: str, field_obj: ma.fields.Field) -> None:
        if isinstance(field_obj, ma.fields.String) and not field_obj.dump_only:
            validators = getattr(field_obj, "validators", [])
            if not any(isinstance(v, ma.validate.Length) for v in validators):
                field_obj.validators = [*validators, ma.validate.Length(max=DEFAULT_MAX_STRING)]
        super().on_bind_field(field_name, field_obj)


class PageQuerySchema(Schema):
    """Common list filters; services extend it with their own."""

    community = ma.fields.String(validate=ma.validate.Length(max=40))


def fen(**kwargs: Any) -> ma.fields.Integer:
    """An amount of money in fen (integer, never negative, at most 10^13)."""
    return ma.fields.Integer(strict=True, validate=ma.validate.Range(min=0, max=10**13), **kwargs)
