"""Demo grid work, played through the grid API (through the gateway).

This month's inspection rounds of every cell by its grid worker (findings open cases),
and the cases the service centers referred (grid opened them from `intake.case.referred`):
most accepted, resolved by the grid worker, verified and closed by center staff (the
resolution travels back to intake as `grid.case.resolved`); some handed to the
responsible department; the rest left open for the live demo. Grid stamps its steps with
the current time, so this work is dated at the first start.
"""

from __future__ import annotations

import random
from typing import Any

from services.chassis.config import COMMUNITIES

from .api import Api
from .cast import Person, center_staff, grid_worker, resident_person
from .grid_reference import cell_polygons, worker_for

ROUNDS = {"huaguoshan": 3, "chiwan": 2}  # rounds done this month per cell (4 planned)
DEFAULT_ROUNDS = 2
FINDING_RATE = 0.06
FINDINGS = {
    "fire_extinguishers": "灭火器过期未更换",
    "fire_exits": "楼道堆放杂物堵塞安全出口",
    "ebike_charging": "电动车在楼道内飞线充电",
    "building_structure": "外墙瓷砖空鼓有脱落风险",
    "illegal_construction": "天台加建铁皮房",
    "electrical_wiring": "电线私拉乱接、老化",
    "gas_cylinders": "餐饮店液化气瓶未固定",
    "slope_drainage": "挡土墙排水孔堵塞",
    "sanitation": "垃圾桶满溢未及时清运",
    "public_order": "疑似群租房，人员进出频繁",
}
DEPARTMENT_OF = {
    "hazard_fire": "fire",
    "hazard_gas": "emergency",
    "hazard_building": "housing",
    "environment": "city_management",
    "public_order": "public_security",
    "hazard_electrical": "emergency",
    "hazard_slope": "city_management",
}


def worker_number(community: str, cell_number: int) -> int:
    return int(worker_for(community, cell_number).rsplit("-", 1)[1])


def inspect_cells(api: Api, rng: random.Random) -> int:
    """This month's completed rounds of every cell; returns the findings."""
    codes = [item["code"] for item in api.get("/grid/checklist", center_staff("huaguoshan"))]
    findings = 0
    for community in COMMUNITIES:
        for number, (cell_code, _, _) in enumerate(cell_polygons(community), start=1):
            walker = grid_worker(community, worker_number(community, number))
            for _ in range(ROUNDS.get(community, DEFAULT_ROUNDS)):
                items = []
                for code in codes:
                    if rng.random() < FINDING_RATE:
                        items.append(
                            {
                                "code": code,
                                "result": "finding",
                                "note": FINDINGS.get(code, "发现隐患，需跟进处理"),
                            }
                        )
                        findings += 1
                    else:
                        items.append({"code": code, "result": "ok"})
                api.post("/grid/inspections", walker, {"cell_code": cell_code, "items": items})
    return findings


def _walker_of(case: dict[str, Any]) -> Person:
    community, cell_code = case["community"], case.get("cell_code")
    if not cell_code:
        return center_staff(community)
    number = int(cell_code.rsplit("-", 1)[1])
    return grid_worker(community, worker_number(community, number))


def work_cases(api: Api, rng: random.Random, source: str) -> dict[str, int]:
    """Carry the open cases of `source` along; counts by the status they were left in."""
    counts: dict[str, int] = {}
    for community in COMMUNITIES:
        staff = center_staff(community)
        rows = api.get("/grid/cases", staff, community=community, source=source, status="open", page_size=100)
        for case in sorted(rows, key=lambda c: c["number"]):
            path = f"/grid/cases/{case['id']}"
            walker = _walker_of(case)
            draw = rng.random()
            if draw < 0.2:
                counts["reported"] = counts.get("reported", 0) + 1
                continue
            api.post(f"{path}/accept", walker, {})
            if source == "inspection" and draw < 0.32:
                api.post(
                    f"{path}/refer",
                    staff,
                    {
                        "department": DEPARTMENT_OF.get(case["category"], "city_management"),
                        "note": "需执法部门处理",
                    },
                )
                counts["referred"] = counts.get("referred", 0) + 1
                continue
            if draw < 0.4:
                api.post(f"{path}/start", walker, {})
                counts["in_progress"] = counts.get("in_progress", 0) + 1
                continue
            api.post(f"{path}/resolve", walker, {"note": "已现场处置并拍照存档"})
            if draw < 0.55:
                counts["resolved"] = counts.get("resolved", 0) + 1
                continue
            api.post(f"{path}/verify", staff, {"note": "复核属实"})
            api.post(f"{path}/close", staff, {})
            counts["closed"] = counts.get("closed", 0) + 1
    return counts


def resident_reports(api: Api) -> list[dict[str, Any]]:
    """A few hazards residents reported through the portal (the demo resident's included)."""
    reports = [
        ("resident-huaguoshan-1", "hazard_electrical", "楼道电表箱门损坏，电线外露"),
        ("resident-huaguoshan-57", "environment", "小区后门垃圾堆放多日无人清理"),
        ("resident-chiwan-1", "hazard_slope", "山边挡土墙出现裂缝"),
    ]
    made = []
    for sub, category, description in reports:
        community = sub.split("-")[1]
        lon, lat = _centre(community)
        made.append(
            api.post(
                "/grid/cases",
                resident_person(community, sub),
                {
                    "community": community,
                    "category": category,
                    "description": description,
                    "lon": lon,
                    "lat": lat,
                },
            )
        )
    return made


def _centre(community: str) -> tuple[float, float]:
    ring = cell_polygons(community)[0][2]["coordinates"][0][:4]
    return (round(sum(p[0] for p in ring) / 4, 6), round(sum(p[1] for p in ring) / 4, 6))
