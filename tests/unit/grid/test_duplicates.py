"""Duplicate hints: open cases of the same category within 50 m (haversine distance)."""

import math

import pytest

from services.grid import domain
from tests.support.helpers import bearer
from tests.unit.grid.conftest import HGS_LAT, HGS_LON

M_PER_DEG_LAT = math.pi / 180 * domain.EARTH_RADIUS_M


def test_haversine_matches_a_known_distance():
    # one degree of latitude on the mean sphere
    assert domain.distance_m(113.9, 22.0, 113.9, 23.0) == pytest.approx(M_PER_DEG_LAT, rel=1e-9)
    # Shekou (Sea World) to Shenzhen Bay Bridge landing: roughly 6 km
    assert 5_000 < domain.distance_m(113.916, 22.483, 113.950, 22.520) < 6_000


@pytest.mark.parametrize(
    ("metres", "duplicate"), [(0, True), (30, True), (49.9, True), (50.1, False), (60, False)]
)
def test_the_radius_is_fifty_metres(metres, duplicate):
    lat2 = HGS_LAT + metres / M_PER_DEG_LAT
    assert domain.within_duplicate_radius(HGS_LON, HGS_LAT, HGS_LON, lat2) is duplicate


def test_the_bounding_box_encloses_the_circle():
    min_lon, min_lat, max_lon, max_lat = domain.bounding_box(HGS_LON, HGS_LAT, 50)
    assert domain.distance_m(HGS_LON, HGS_LAT, max_lon, HGS_LAT) == pytest.approx(50, rel=1e-3)
    assert domain.distance_m(HGS_LON, HGS_LAT, HGS_LON, min_lat) == pytest.approx(50, rel=1e-3)


def at(metres_north: float, metres_east: float = 0.0):
    lat = HGS_LAT + 0.001 + metres_north / M_PER_DEG_LAT
    lon = HGS_LON + 0.001 + metres_east / (M_PER_DEG_LAT * math.cos(math.radians(lat)))
    return {"lon": lon, "lat": lat}


def test_a_report_within_fifty_metres_lists_the_open_case(make_cell, report):
    make_cell("HGS-01")
    first = report(**at(0)).get_json()
    second = report(**at(30, 20)).get_json()
    [hint] = second["possible_duplicates"]
    assert hint == {"case_id": first["id"], "case_number": first["number"], "status": first["status"]}


def test_sixty_metres_away_is_not_a_duplicate(make_cell, report):
    make_cell("HGS-01")
    report(**at(0))
    assert report(**at(60)).get_json()["possible_duplicates"] == []


def test_another_category_is_not_a_duplicate(make_cell, report):
    make_cell("HGS-01")
    report(**at(0))
    assert report(category="environment", **at(5)).get_json()["possible_duplicates"] == []


def test_a_closed_case_is_not_a_duplicate(client, make_cell, report, staff):
    make_cell("HGS-01")
    first = report(**at(0)).get_json()
    client.post(f"/cases/{first['id']}/reject", json={"note": "no hazard"}, headers=staff)
    assert report(**at(5)).get_json()["possible_duplicates"] == []


def test_hints_give_case_numbers_in_number_order_never_distances(make_cell, report, token):
    """Probe reports must not triangulate a case: no distance, no nearest-first order."""
    make_cell("HGS-01")
    early = report(**at(10)).get_json()
    late = report(**at(-5)).get_json()
    resident = bearer(token("resident", community="huaguoshan", sub="prober"))
    hints = report(headers=resident, **at(0)).get_json()["possible_duplicates"]
    assert [h["case_number"] for h in hints] == sorted([early["number"], late["number"]])
    assert all(set(h) == {"case_id", "case_number", "status"} for h in hints)
