"""Validators and fields the grid schemas share (codes, communities, periods, coordinates)."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from services.chassis.config import COMMUNITIES

from ...usecases.photos import PHOTO_PATH

PERIOD_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])$"
PERIOD = validate.Regexp(PERIOD_PATTERN, error="Use YYYY-MM.")
CELL_CODE_PATTERN = r"^[A-Z][A-Z0-9-]{1,39}$"
CELL_CODE = validate.Regexp(CELL_CODE_PATTERN, error="Upper-case letters, digits and dashes, e.g. HGS-01.")
COMMUNITY = validate.OneOf(COMMUNITIES)
LON = validate.Range(min=-180, max=180)
LAT = validate.Range(min=-90, max=90)


def lon_field(**kwargs: object) -> ma.fields.Float:
    return ma.fields.Float(validate=LON, allow_nan=False, **kwargs)


def lat_field(**kwargs: object) -> ma.fields.Float:
    return ma.fields.Float(validate=LAT, allow_nan=False, **kwargs)


_PHOTO_REF = validate.Regexp(
    rf"^(https?://[^\s]{{1,480}}|{PHOTO_PATH})$",
    error="Use an http(s) URL or the url of a photo uploaded to POST /photos.",
)


def photos_field() -> ma.fields.List:
    """Photo references: uploaded photos' `url` (/api/grid/photos/<id>) or http(s) links."""
    return ma.fields.List(
        ma.fields.String(validate=[validate.Length(max=500), _PHOTO_REF]),
        validate=validate.Length(max=10),
        metadata={"description": "At most 10: the `url` of photos from POST /photos, or http(s) links"},
    )
