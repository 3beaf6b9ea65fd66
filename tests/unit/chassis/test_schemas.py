"""The chassis base schema."""

import marshmallow as ma

from services.chassis.schemas import Schema


class FormFieldSchema(Schema):
    code = ma.fields.String()
    values = ma.fields.List(ma.fields.String())
    items = ma.fields.List(ma.fields.String(), dump_default=list)


def test_a_dict_missing_a_key_dumps_no_dict_method():
    dumped = FormFieldSchema().dump({"code": "place"})
    assert dumped == {"code": "place", "items": []}


def test_a_dict_with_the_keys_dumps_them():
    assert FormFieldSchema().dump({"code": "kind", "values": ["a"], "items": ["b"]}) == {
        "code": "kind",
        "values": ["a"],
        "items": ["b"],
    }
