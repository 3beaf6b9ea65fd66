"""A business type lists the materials residents bring (办事指南), kept in order and editable."""

from __future__ import annotations

from tests.support.helpers import assert_problem
from tests.unit.intake.conftest import type_body

DOCUMENTS = ["身份证原件", "户口簿", "近期一寸照片"]


def test_required_documents_are_kept_in_order_and_changed_with_if_match(desk):
    created = desk.business_type("residence", required_documents=DOCUMENTS)
    assert created["required_documents"] == DOCUMENTS
    assert desk.business_type("general_two")["required_documents"] == []

    read = desk.client.get(f"/business-types/{created['id']}", headers=desk.staff)
    changed = desk.client.patch(
        f"/business-types/{created['id']}",
        json={"required_documents": ["身份证原件"]},
        headers={**desk.staff, "If-Match": read.headers["ETag"]},
    )
    assert changed.status_code == 200 and changed.get_json()["required_documents"] == ["身份证原件"]


def test_an_empty_document_name_is_a_422_on_its_position(desk):
    body = type_body("residence", required_documents=["身份证原件", ""])
    response = desk.client.post("/business-types", json=body, headers=desk.staff)
    problem = assert_problem(response, 422)
    assert problem["errors"] == {"required_documents": {"1": ["Length must be between 1 and 100."]}}
