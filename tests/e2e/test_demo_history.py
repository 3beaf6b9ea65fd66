"""The pieces the demo history is made of hold to the services' own rules.

The full load is exercised by test_embedded.py; these checks are fast and say which
piece is wrong when it is not: invented ID numbers pass the national check, form answers
fit every business type, arrivals keep to the opening hours, referral points lie in the
community's cells, case plans run forward in time, purchases fit the budgets, and every
role has a demo identity whose token the platform accepts.
"""

from __future__ import annotations

import random
import statistics
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

from shapely.geometry import Point, shape

from deploy.demo import cases as demo_cases
from deploy.demo import desk as demo_desk
from deploy.demo import forms as demo_forms
from deploy.demo import purchases as demo_purchases
from deploy.demo.cases import OpenedCase
from deploy.demo.contracts_catalogue import BUDGETS_YUAN, COMMITTEE_BUDGET_PILOTS
from deploy.demo.grid_reference import cell_polygons, worker_for
from deploy.demo.intake_catalogue import CATALOGUE
from deploy.identities import demo_identities
from services.chassis.auth import ROLES, TokenVerifier
from services.chassis.clock import local_zone
from services.chassis.config import COMMUNITIES, Settings
from services.grid.usecases.personal_data import validate_id_number
from services.intake.domain.attributes import validate_values
from tests.support.helpers import key_settings

AT = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)


def test_invented_id_numbers_pass_the_national_check_digit():
    rng = random.Random(1)
    for _ in range(300):
        number = demo_forms.id_number(rng, AT)
        assert validate_id_number(number, today=AT.date()) == number


def test_form_answers_fit_every_business_type_of_the_catalogue():
    rng = random.Random(2)
    for *_, form in CATALOGUE:
        for _ in range(20):
            validate_values(form, demo_forms.attribute_values(form, rng, AT))  # raises if not


def test_arrivals_keep_to_the_opening_hours_and_the_expected_count():
    day = date(2026, 11, 19)
    counts = []
    for seed in range(60):
        arrivals = demo_desk.arrival_times(day, 100, random.Random(seed))
        counts.append(len(arrivals))
        assert arrivals == sorted(arrivals)
        for moment in arrivals:
            local = moment.astimezone(local_zone()).time()
            assert any(opens <= local < closes for opens, closes in demo_desk.SESSIONS), local
    assert 95 <= statistics.mean(counts) <= 105
    until = datetime(2026, 11, 19, 3, 0, tzinfo=UTC)  # 11:00 in Shanghai
    assert max(demo_desk.arrival_times(day, 100, random.Random(1), until=until)) < until


def test_referral_points_lie_inside_the_communitys_cells():
    rng = random.Random(3)
    for community in COMMUNITIES:
        cells = [shape(polygon) for _, _, polygon in cell_polygons(community)]
        for _ in range(100):
            point = Point(*demo_cases.grid_point(community, rng))
            assert any(cell.contains(point) for cell in cells), (community, point)


def test_case_plans_run_forward_in_time():
    rng = random.Random(4)
    now = AT + timedelta(days=30)
    for index in range(200):
        opened = AT - timedelta(hours=index)
        case = OpenedCase(f"case-{index}", "huaguoshan", "hazard_report", opened, None)
        steps = demo_cases.plan(
            case, opened + timedelta(days=3), "emergency", "fire_exit" if index % 2 else None, rng, now
        )
        times = [step.at for step in steps]
        assert times == sorted(times) and times[0] > opened
        assert steps[-1].action == "close"
        assert [s.action for s in steps].count("resolve") in (1, 2)
    recent = OpenedCase("recent", "chiwan", "hazard_report", now - timedelta(hours=5), None)
    [refer] = demo_cases.plan(recent, now + timedelta(days=3), "emergency", "wiring", rng, now)
    assert refer.action == "refer" and refer.body["target"] == "grid"
    assert refer.body["category"] == "hazard_electrical"


def test_the_purchases_fit_each_communitys_budget_lines():
    asked: dict[tuple[str, str], int] = defaultdict(int)
    for purchase in demo_purchases.purchases_of(2026):
        asked[(purchase.community, purchase.line)] += purchase.value_fen
        shares = sum(m["share_bp"] for m in purchase.milestones)
        assert shares in (0, 10_000), purchase.title
    for (community, line), fen in asked.items():
        services_yuan, fund_yuan = BUDGETS_YUAN[community]
        assert fen <= (services_yuan if line == "services" else fund_yuan) * 100
    assert {p.community for p in demo_purchases.purchases_of(2026)} == set(COMMUNITIES)
    assert COMMITTEE_BUDGET_PILOTS == ("huaguoshan",)  # the committee buys there


def test_only_milestones_payable_by_the_load_day_are_paid():
    milestones = [
        {"seq": 1, "kind": "signing", "due_date": None},
        {"seq": 2, "kind": "scheduled", "due_date": "2026-07-15"},
        {"seq": 3, "kind": "evaluation", "due_date": "2027-01-31"},
    ]

    def paid(today):
        return [m["seq"] for m in demo_purchases.milestones_to_pay(milestones, (1, 2, 3), today)]

    assert paid(date(2026, 1, 5)) == [1]  # a first start in January pays the signing only
    assert paid(date(2026, 7, 15)) == [1, 2]
    assert paid(date(2026, 11, 26)) == [1, 2]  # the evaluation decides the last one


def test_every_role_has_a_demo_identity_whose_token_the_platform_accepts(key_dir):
    settings = Settings.from_env("tests", key_settings(key_dir))
    identities = demo_identities(settings, {"provider_signatory": {"provider_id": "p-1"}})
    assert {role for i in identities for role in i["roles"]} == set(ROLES)
    verifier = TokenVerifier(settings)
    for identity in identities:
        principal = verifier.verify(identity["token"])
        assert principal.sub == identity["sub"] and sorted(principal.roles) == identity["roles"]
        assert principal.claims.get("provider_id") == identity["claims"].get("provider_id")
    worker = next(i for i in identities if i["key"] == "grid_worker")
    assert worker["sub"] in {worker_for("huaguoshan", n) for n in range(1, 7)}
    department = next(i for i in identities if i["key"] == "department")
    assert verifier.verify(department["token"]).claims["department"] == "city_management"
