"""Generated: no list or detail endpoint of any service shows huaguoshan to another community.

Each service is seeded with huaguoshan records (its reference data for every community,
then records made through its API by huaguoshan's people). Then every GET operation in
the service's own OpenAPI document is called with a token of each role scoped to chiwan —
carrying the same `sub` as huaguoshan's people, so an identity check that forgets the
token's communities shows up — once for each seeded id in its path, and with `community`
set to chiwan and to huaguoshan. A 2xx answer must hold no object of huaguoshan and no
seeded huaguoshan id. Only operations the document marks public (`security: []`) and the
few listed in PUBLIC_BY_DESIGN (with why) are left out.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import select

from deploy.demo.grid_reference import cell_polygons
from deploy.demo.loader import REFERENCE_DATA
from deploy.registry import SERVICES
from services.chassis.auth import ROLES
from services.evaluation.models import MonthlyReport
from services.evaluation.usecases import reports
from tests.support.helpers import bearer
from tests.unit.contracts.story import Story
from tests.unit.evaluation.conftest import create_scheme, open_round
from tests.unit.governance.story import Committee
from tests.unit.intake.conftest import type_body

HOME, OTHER = "huaguoshan", "chiwan"
# Read by every signed-in person on purpose; each states why.
PUBLIC_BY_DESIGN = {
    ("grid", "/cases/public"): "the public case view: category, status, cell (no person, no text)",
    ("grid", "/cells"): "the grid map is public: cell codes, names and boundaries",
    ("grid", "/cells/{code}"): "one cell of the public grid map",
    ("grid", "/checklist"): "the subdistrict-wide inspection checklist (no community data)",
    ("contracts", "/ocds/releases"): "open contracting data, published to anyone (anonymous too)",
    ("contracts", "/ocds/records/{ocid}"): "one contracting process of the open contracting data",
    ("contracts", "/providers"): "the subdistrict's register of providers (companies, not people)",
    ("contracts", "/providers/{provider_id}"): "one provider of the public register",
}
Seeder = Callable[[Any, Callable[..., str]], list[str]]
# Calls a service's documents yield at least (a small API yields fewer).
MIN_WALKED = {"subscriptions": 40}


def _ids(body: Any) -> Iterator[str]:
    """Every `id`-like string value in a JSON document."""
    if isinstance(body, dict):
        for key, value in body.items():
            if isinstance(value, str) and (key == "id" or key.endswith("_id")):
                yield value
            else:
                yield from _ids(value)
    elif isinstance(body, list):
        for item in body:
            yield from _ids(item)


def _leaks(body: Any) -> Iterator[Any]:
    """Objects of the home community in a JSON document."""
    if isinstance(body, dict):
        if body.get("community") == HOME or HOME in (body.get("communities") or []):
            yield body
        for value in body.values():
            yield from _leaks(value)
    elif isinstance(body, list):
        for item in body:
            yield from _leaks(item)


def _made(response: Any) -> Any:
    assert response.status_code in (200, 201), json.dumps(response.get_json(), ensure_ascii=False)
    return response.get_json()


def seed_intake(harness: Any, token: Callable[..., str]) -> list[str]:
    client = harness.client
    staff = bearer(token("center_staff", community=HOME, sub="center_staff-hgs"))
    resident = bearer(token("resident", community=HOME, sub="resident-hgs"))
    plain = _made(client.post("/business-types", json=type_body("scoping_probe"), headers=staff))
    ticket = _made(
        client.post(
            "/tickets",
            json={
                "community": HOME,
                "business_type": plain["code"],
                "channel": "portal",
                "contact_phone": "13800138000",
            },
            headers=resident,
        )
    )
    follow_up = {
        "community": HOME,
        "business_type": plain["code"],
        "summary": "跟进",
        "owner_sub": "resident-hgs",
    }
    case = _made(client.post("/cases", json=follow_up, headers=staff))
    windows = _made(client.get(f"/windows?community={HOME}", headers=staff))
    return [ticket["id"], case["id"], plain["id"], *(w["id"] for w in windows)]


def seed_grid(harness: Any, token: Callable[..., str]) -> list[str]:
    client = harness.client
    staff = bearer(token("center_staff", community=HOME, sub="center_staff-hgs"))
    resident = bearer(token("resident", community=HOME, sub="resident-hgs"))
    code, _, polygon = cell_polygons(HOME)[0]
    ring = polygon["coordinates"][0]
    lon = sum(p[0] for p in ring[:-1]) / (len(ring) - 1)
    lat = sum(p[1] for p in ring[:-1]) / (len(ring) - 1)
    case = _made(
        client.post(
            "/cases",
            json={
                "community": HOME,
                "category": "hazard_fire",
                "description": "三楼楼道堆放杂物堵塞消防通道",
                "lon": lon,
                "lat": lat,
            },
            headers=resident,
        )
    )
    building = _made(
        client.post(
            "/buildings",
            json={"cell_code": code, "address": "花果山大厦 A 座", "floors": 18, "use": "residential"},
            headers=staff,
        )
    )
    household = _made(
        client.post(
            "/households",
            json={"building_id": building["id"], "unit": "12B", "tenure": "rented"},
            headers=staff,
        )
    )
    person = _made(
        client.post(
            "/persons",
            json={
                "household_id": household["id"],
                "name": "陈美玲",
                "id_number": "44030519900101123X",
                "residency": "floating",
            },
            headers=staff,
        )
    )
    return [case["id"], case["number"], building["id"], household["id"], person["id"]]


def seed_contracts(harness: Any, token: Callable[..., str]) -> list[str]:
    story = Story(harness.client, token, runtime=harness.runtime)
    story.harness = harness
    story.setup("committee_budget")
    contract = story.active_contract()
    made = [value["id"] for value in story.ids.values() if isinstance(value, dict) and "id" in value]
    return [contract["id"], *(m["id"] for m in contract["milestones"]), *made]


def seed_evaluation(harness: Any, token: Callable[..., str]) -> list[str]:
    member = bearer(token("committee_member", community=HOME, sub="committee_member-hgs"))
    scheme = create_scheme(harness.client, member)
    opened = open_round(harness.client, member, scheme["id"])
    with harness.runtime.unit_of_work() as uow:  # the worker's monthly reports, huaguoshan's among them
        reports.write_monthly_reports(uow)
        uow.commit()
        [report] = uow.session.scalars(select(MonthlyReport.id).where(MonthlyReport.community == HOME))
    return [scheme["id"], opened["id"], report]


def seed_governance(harness: Any, token: Callable[..., str]) -> list[str]:
    committee = Committee(harness.client, token).setup()
    interest = committee.declare(4)
    meeting = committee.meeting(present=[0, 1, 2, 3, 4])
    item = committee.item(meeting, "other", None)
    committee.ok(committee.vote(item, 0), 201)
    return [*(m["id"] for m in committee.members), interest["id"], meeting["id"], item["id"]]


def seed_subscriptions(harness: Any, token: Callable[..., str]) -> list[str]:
    admin = bearer(token("admin", community=None))
    hgs = bearer(token("department", community=HOME, sub="department-hgs", department="city_management"))
    body = {"department": "city_management", "pattern": "grid.case.*"}
    granted = harness.client.post("/grants", json=body, headers=admin).get_json()
    wanted = {"name": "网格案件", "event_types": ["grid.case.*"], "communities": [HOME]}
    wanted |= {"mode": "webhook", "url": "https://93.184.215.14/hook"}
    made = harness.client.post("/subscriptions", json=wanted, headers=hgs).get_json()
    return [granted["id"], made["id"]]


def seed_notifications(harness: Any, token: Callable[..., str]) -> list[str]:
    """A huaguoshan resident's contact point, consent, watch and inbox line; a huaguoshan ticket."""
    from tests.unit.notifications.support import seed_person

    return seed_person(harness, token, HOME)


SEEDERS: dict[str, Seeder] = {
    "intake": seed_intake,
    "grid": seed_grid,
    "contracts": seed_contracts,
    "evaluation": seed_evaluation,
    "governance": seed_governance,
    "subscriptions": seed_subscriptions,
    "notifications": seed_notifications,
}


def _outsiders(token: Callable[..., str]) -> dict[str, dict[str, str]]:
    """A token of every role scoped to chiwan, with the `sub` of huaguoshan's person in it."""
    claims = {"department": {"department": "housing"}}
    return {
        role: bearer(token(role, community=OTHER, sub=f"{role}-hgs", **claims.get(role, {})))
        for role in ROLES
        if role != "admin"
    }


def _calls(document: dict[str, Any], seeded: list[str]) -> Iterator[tuple[str, str, dict[str, str]]]:
    """(template, path, query) of every GET a caller may send, path ids from the seeds."""
    for template, operations in document["paths"].items():
        get = operations.get("get")
        if get is None or get.get("security") == []:
            continue
        parameters = get.get("parameters", [])
        names = re.findall(r"{(\w+)}", template)
        fillings = [dict.fromkeys(names, value) for value in seeded] if names else [{}]
        for filling in fillings:
            path = template
            for name, value in filling.items():
                path = path.replace(f"{{{name}}}", value)
            takes_community = any(p["name"] == "community" for p in parameters)
            for community in (OTHER, HOME) if takes_community else (None,):
                query = {}
                for parameter in parameters:
                    if parameter.get("in") != "query":
                        continue
                    name = parameter["name"]
                    if name == "community":
                        query[name] = community
                    elif parameter.get("required"):
                        query[name] = _value(parameter)
                yield template, path, query


def _value(parameter: dict[str, Any]) -> str:
    schema = parameter.get("schema", {})
    if "enum" in schema:
        return str(schema["enum"][0])
    if parameter["name"] == "cell_code":
        return cell_polygons(HOME)[0][0]
    if schema.get("format") == "date":
        return "2026-01-01"
    return {"integer": "2026", "number": "1", "boolean": "true"}.get(schema.get("type"), "x")


@pytest.mark.parametrize("name", SERVICES)
def test_no_endpoint_shows_one_community_to_another(name, service, token):
    harness = service(name)
    if name in ("intake", "grid"):  # the others' seeding makes its own catalogue
        REFERENCE_DATA[name](harness.runtime)
    seeded = SEEDERS[name](harness, token)
    assert seeded, "the seeding made no huaguoshan record"
    document = harness.client.get("/openapi.json").get_json()
    leaks: list[str] = []
    walked = 0
    for template, path, query in _calls(document, seeded):
        if (name, template) in PUBLIC_BY_DESIGN:
            continue
        for role, headers in _outsiders(token).items():
            response = harness.client.get(path, query_string=query, headers=headers)
            walked += 1
            assert response.status_code < 500, (role, path, query, response.get_data(as_text=True))
            if response.status_code >= 300 or not response.is_json:
                continue
            body = response.get_json()
            text = json.dumps(body, ensure_ascii=False)
            found = [value for value in seeded if value in text] + [json.dumps(o)[:120] for o in _leaks(body)]
            if found:
                leaks.append(f"{role} GET {path}?{query}: {found[:2]}")
    assert walked > MIN_WALKED.get(name, 100)
    assert not leaks, f"{len(leaks)} leaks:\n" + "\n".join(sorted(leaks)[:40])
