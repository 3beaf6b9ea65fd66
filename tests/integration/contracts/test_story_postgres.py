"""The whole story on PostgreSQL: tender to final payment, amendment, termination, OCDS."""

import pytest

from tests.unit.contracts import ocds_schema
from tests.unit.contracts.test_ocds import _full_story

pytestmark = pytest.mark.postgres


def test_full_story_exports_valid_ocds_on_postgres(pg_story):
    contract = _full_story(pg_story)
    assert contract["status"] == "completed"
    package = ocds_schema.parse(pg_story.client.get("/ocds/releases").get_data(as_text=True))
    assert ocds_schema.errors("release-package-schema.json", package) == []
    the_ocid = package["releases"][0]["ocid"]
    record = ocds_schema.parse(pg_story.client.get(f"/ocds/records/{the_ocid}").get_data(as_text=True))
    assert ocds_schema.errors("record-package-schema.json", record) == []


def test_amend_then_terminate_on_postgres(pg_story):
    story = pg_story
    story.setup()
    contract = story.active_contract()
    cid = contract["id"]
    story.ok(story.allocate(contract, 1_000_000_00), 201)
    story.ok(
        story.conditional(
            "post", cid, "/amendments", {"reason": "缩减服务", "value_fen": 900_000_00}, story.officer
        )
    )
    for party in ("committee", "provider", "subdistrict"):
        story.ok(story.sign(cid, party))
    amended = story.ok(story.client.get(f"/contracts/{cid}", headers=story.officer))
    assert amended["value_fen"] == 900_000_00 and amended["allocated_fen"] == 900_000_00
    terminated = story.ok(
        story.conditional("post", cid, "/termination", {"reason": "机构解散"}, story.officer)
    )
    assert terminated["allocated_fen"] == 300_000_00  # only the payable signing milestone remains
    package = ocds_schema.parse(story.client.get("/ocds/releases").get_data(as_text=True))
    assert ocds_schema.errors("release-package-schema.json", package) == []
    assert package["releases"][-1]["tag"] == ["contractTermination"]
    assert package["releases"][-1]["contracts"][0]["amendments"][0]["rationale"] == "缩减服务"
