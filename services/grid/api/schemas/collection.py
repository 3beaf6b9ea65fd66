"""Request and response schemas of information collection."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import validate

from services.chassis.schemas import Schema

from ...usecases.collection import SPECIAL_CARE
from ...usecases.personal_data import InvalidIdNumber, validate_id_number, validate_phone
from .common import CELL_CODE, COMMUNITY, lat_field, lon_field

BUILDING_USES = ("residential", "commercial", "mixed", "industrial", "public", "other")
TENURES = ("owned", "rented", "collective", "other")
RESIDENCIES = ("registered", "floating")
PLACE_KINDS = (
    "shop",
    "restaurant",
    "market",
    "workshop",
    "warehouse",
    "office",
    "hotel",
    "school",
    "clinic",
    "entertainment",
    "other",
)


class IdNumberField(ma.fields.String):
    """A mainland resident ID number, validated (errors never repeat the number)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return validate_id_number(text)
        except InvalidIdNumber as exc:
            raise ma.ValidationError(str(exc)) from None


class PhoneField(ma.fields.String):
    """A mainland mobile or landline number, normalized."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return validate_phone(text)
        except ValueError as exc:
            raise ma.ValidationError(str(exc)) from None


class _Located(Schema):
    """Where a record is: a cell code, or a point (lon, lat) that falls in a cell."""

    cell_code = ma.fields.String(validate=CELL_CODE, load_only=True)
    community = ma.fields.String(validate=COMMUNITY, load_only=True)
    lon = lon_field()
    lat = lat_field()

    def _require_place(self, data: dict[str, Any], *also: str) -> None:
        if ("lon" in data) != ("lat" in data):
            raise ma.ValidationError("Give both lon and lat.", "lat" if "lon" in data else "lon")
        if not any(k in data for k in ("cell_code", "lon", *also)):
            fields = ", ".join(("cell_code", "lon/lat", *also))
            raise ma.ValidationError(f"Give one of: {fields}.", "cell_code")


class BuildingCreateSchema(_Located):
    address = ma.fields.String(required=True, validate=validate.Length(min=3, max=300))
    floors = ma.fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=200))
    use = ma.fields.String(required=True, validate=validate.OneOf(BUILDING_USES))

    @ma.validates_schema
    def _where(self, data: dict[str, Any], **_: Any) -> None:
        self._require_place(data)


class BuildingSchema(Schema):
    id = ma.fields.String()
    community = ma.fields.String()
    cell_code = ma.fields.String()
    address = ma.fields.String()
    floors = ma.fields.Integer()
    use = ma.fields.String()
    lon = ma.fields.Float(allow_none=True)
    lat = ma.fields.Float(allow_none=True)
    created_at = ma.fields.DateTime()


class HouseholdCreateSchema(Schema):
    building_id = ma.fields.UUID(required=True)
    unit = ma.fields.String(required=True, validate=validate.Length(min=1, max=40))
    tenure = ma.fields.String(required=True, validate=validate.OneOf(TENURES))


class HouseholdSchema(Schema):
    id = ma.fields.String()
    community = ma.fields.String()
    building_id = ma.fields.String()
    unit = ma.fields.String()
    tenure = ma.fields.String()
    created_at = ma.fields.DateTime()


class PersonCreateSchema(_Located):
    household_id = ma.fields.UUID()
    name = ma.fields.String(required=True, validate=validate.Length(min=1, max=50))
    id_number = IdNumberField(required=True)
    phone = PhoneField(allow_none=True)
    residency = ma.fields.String(required=True, validate=validate.OneOf(RESIDENCIES))
    special_care = ma.fields.List(
        ma.fields.String(validate=validate.OneOf(SPECIAL_CARE)),
        validate=validate.Length(max=len(SPECIAL_CARE)),
    )

    @ma.validates_schema
    def _where(self, data: dict[str, Any], **_: Any) -> None:
        self._require_place(data, "household_id")


class PersonUpdateSchema(Schema):
    household_id = ma.fields.UUID()
    name = ma.fields.String(validate=validate.Length(min=1, max=50))
    id_number = IdNumberField()
    phone = PhoneField(allow_none=True)
    residency = ma.fields.String(validate=validate.OneOf(RESIDENCIES))
    special_care = ma.fields.List(
        ma.fields.String(validate=validate.OneOf(SPECIAL_CARE)),
        validate=validate.Length(max=len(SPECIAL_CARE)),
    )


class PersonSchema(Schema):
    """A person: name, ID number and phone masked unless `masked` is false."""

    id = ma.fields.String()
    community = ma.fields.String()
    cell_code = ma.fields.String()
    household_id = ma.fields.String(allow_none=True)
    name = ma.fields.String()
    id_number = ma.fields.String()
    phone = ma.fields.String(allow_none=True)
    residency = ma.fields.String()
    special_care = ma.fields.List(ma.fields.String())
    masked = ma.fields.Boolean()
    version = ma.fields.Integer()
    created_at = ma.fields.DateTime()
    updated_at = ma.fields.DateTime()


class CellCodeQuerySchema(Schema):
    cell_code = ma.fields.String(required=True, validate=CELL_CODE)


class PersonQuerySchema(Schema):
    cell_code = ma.fields.String(required=True, validate=CELL_CODE)
    household_id = ma.fields.UUID()
    residency = ma.fields.String(validate=validate.OneOf(RESIDENCIES))
    special_care = ma.fields.String(validate=validate.OneOf(SPECIAL_CARE))


class LookupSchema(Schema):
    id_number = IdNumberField(required=True)


class PlaceCreateSchema(_Located):
    building_id = ma.fields.UUID()
    name = ma.fields.String(required=True, validate=validate.Length(min=1, max=200))
    kind = ma.fields.String(required=True, validate=validate.OneOf(PLACE_KINDS))

    @ma.validates_schema
    def _where(self, data: dict[str, Any], **_: Any) -> None:
        self._require_place(data, "building_id")


class PlaceSchema(Schema):
    id = ma.fields.String()
    community = ma.fields.String()
    building_id = ma.fields.String(allow_none=True)
    name = ma.fields.String()
    kind = ma.fields.String()
    created_at = ma.fields.DateTime()


class CountsSchema(Schema):
    cell_code = ma.fields.String()
    buildings = ma.fields.Integer()
    households = ma.fields.Integer()
    persons = ma.fields.Integer()
    registered = ma.fields.Integer()
    floating = ma.fields.Integer()
    places = ma.fields.Integer()
    special_care = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer())
