"""Reference data of the grid service: cells of the seven communities, the checklist, plans.

The communities of Zhaoshang subdistrict lie on the Shekou peninsula of Nanshan,
Shenzhen. Each community is drawn as a block around its real location (WGS 84),
cut into a handful of cells with slanted shared borders; blocks do not overlap.
Loaded through the service's own use cases; a second call changes nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from services.chassis import clock
from services.chassis.auth import Principal
from services.chassis.config import COMMUNITIES
from services.chassis.runtime import Runtime
from services.grid.models import Cell, ChecklistItem, InspectionPlan
from services.grid.usecases import cells, geometry, inspections

# community: (code prefix, zh name, west, south, east, north, columns, rows)
BLOCKS: dict[str, tuple[str, str, float, float, float, float, int, int]] = {
    "huaguoshan": ("HGS", "花果山", 113.9050, 22.4870, 113.9130, 22.4930, 3, 2),
    "chiwan": ("CW", "赤湾", 113.8810, 22.4700, 113.8890, 22.4770, 2, 2),
    "shuiwan": ("SW", "水湾", 113.9140, 22.4850, 113.9210, 22.4910, 2, 2),
    "yanshan": ("YS", "沿山", 113.9020, 22.4950, 113.9100, 22.5010, 2, 2),
    "wenzhuyuan": ("WZY", "文竹园", 113.9150, 22.4940, 113.9210, 22.5000, 2, 2),
    "guiyuan": ("GY", "桂园", 113.9230, 22.4890, 113.9290, 22.4950, 2, 2),
    "haiyue": ("HY", "海月", 113.9340, 22.5030, 113.9410, 22.5090, 2, 2),
}
CHECKLIST: tuple[tuple[str, str, str, str, str], ...] = (
    # code, area, title, case category, default severity
    ("fire_extinguishers", "fire_safety", "灭火器材配置及有效期", "hazard_fire", "medium"),
    ("fire_exits", "fire_safety", "消防通道及安全出口畅通", "hazard_fire", "high"),
    ("ebike_charging", "fire_safety", "电动自行车室内停放及飞线充电", "hazard_fire", "high"),
    ("building_structure", "building_safety", "房屋结构裂缝、外墙及附着物脱落", "hazard_building", "high"),
    ("illegal_construction", "building_safety", "违法搭建及改变房屋结构", "hazard_building", "medium"),
    ("electrical_wiring", "electrical", "私拉乱接电线、线路老化", "hazard_electrical", "high"),
    ("gas_cylinders", "gas", "瓶装燃气使用及存放", "hazard_gas", "high"),
    ("slope_drainage", "geological", "边坡、挡土墙及排水设施", "hazard_slope", "medium"),
    ("sanitation", "sanitation", "垃圾分类、清运及卫生死角", "environment", "low"),
    ("public_order", "public_order", "治安秩序、群租及出租屋管理", "public_order", "medium"),
)
ROUNDS_PER_MONTH = 4
DEMO = Principal(
    sub="system:demo",
    name="demo loader",
    roles=frozenset({"admin"}),
    communities=frozenset(COMMUNITIES),
    claims={},
)


def _offset(seed: int) -> float:
    """A small deterministic shift (±0.0003°, ~30 m) so borders look drawn, not ruled."""
    return ((seed * 7919) % 7 - 3) * 0.0001


def cell_polygons(community: str) -> list[tuple[str, str, dict[str, Any]]]:
    """(code, name, GeoJSON polygon) of a community's cells; neighbours share their borders."""
    prefix, name, west, south, east, north, cols, rows = BLOCKS[community]
    width, height = (east - west) / cols, (north - south) / rows

    def vertex(row: int, col: int) -> tuple[float, float]:
        lon, lat = west + col * width, south + row * height
        if 0 < col < cols:
            lon += _offset(row * 13 + col)
        if 0 < row < rows:
            lat += _offset(row * 17 + col * 3 + 1) / 2
        return round(lon, 6), round(lat, 6)

    found = []
    for row in range(rows):
        for col in range(cols):
            ring = [
                vertex(row, col),
                vertex(row, col + 1),
                vertex(row + 1, col + 1),
                vertex(row + 1, col),
                vertex(row, col),
            ]
            number = row * cols + col + 1
            found.append(
                (
                    f"{prefix}-{number:02d}",
                    f"{name}社区第{number}网格",
                    {"type": "Polygon", "coordinates": [[list(p) for p in ring]]},
                )
            )
    return found


def worker_for(community: str, number: int) -> str:
    """Demo grid worker subjects: each walks two neighbouring cells."""
    return f"gw-{community}-{(number + 1) // 2}"


def _periods() -> list[str]:
    """This local month and the next."""
    this_month = inspections.period_of(clock.now())
    first = datetime.strptime(this_month + "-01", "%Y-%m-%d")
    return [this_month, (first + timedelta(days=32)).strftime("%Y-%m")]


def load_reference_data(runtime: Runtime) -> None:
    """Cells (but where a district's own cell lies), checklist and planned rounds for
    the seven communities (idempotent)."""
    with runtime.unit_of_work() as uow:
        for code, area, title, category, severity in CHECKLIST:
            existing = uow.session.get(ChecklistItem, code)
            if existing is None:
                inspections.upsert_checklist_item(
                    uow,
                    DEMO,
                    code,
                    {
                        "area": area,
                        "title": title,
                        "case_category": category,
                        "default_severity": severity,
                        "position": CHECKLIST.index((code, area, title, category, severity)) * 10,
                        "active": True,
                    },
                )
        known = set(uow.session.scalars(select(Cell.code)))
        for community in COMMUNITIES:
            for number, (code, name, polygon) in enumerate(cell_polygons(community), start=1):
                if code not in known:
                    try:
                        cells.create_cell(
                            uow,
                            DEMO,
                            {
                                "code": code,
                                "community": community,
                                "name": name,
                                "boundary": polygon,
                                "workers": [worker_for(community, number)],
                            },
                        )
                    except geometry.OverlappingCells:
                        continue  # the district drew its own cell there: it stays as drawn
                cell_id = uow.session.scalar(select(Cell.id).where(Cell.code == code))
                for period in _periods():
                    if uow.session.get(InspectionPlan, (cell_id, period)) is None:
                        inspections.set_plan(uow, DEMO, code, period, ROUNDS_PER_MONTH)
        uow.commit()
