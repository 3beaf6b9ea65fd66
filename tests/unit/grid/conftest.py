"""Fixtures of the grid tests: a grid service on SQLite, tokens, cells drawn as squares."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.helpers import bearer

HGS_LON, HGS_LAT = 113.9100, 22.4900  # Huaguoshan, Shekou


def square(lon: float, lat: float, size: float = 0.002) -> dict[str, Any]:
    """A GeoJSON square with its south-west corner at (lon, lat)."""
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


@pytest.fixture
def grid(service):
    return service("grid")


@pytest.fixture
def client(grid):
    return grid.client


@pytest.fixture
def staff(token):
    return bearer(token("center_staff", community="huaguoshan", sub="staff-hgs"))


@pytest.fixture
def worker(token):
    return bearer(token("grid_worker", community="huaguoshan", sub="worker-1"))


@pytest.fixture
def resident(token):
    return bearer(token("resident", community="huaguoshan", sub="resident-1"))


@pytest.fixture
def make_cell(client, staff):
    def make(
        code: str = "HGS-01",
        lon: float = HGS_LON,
        lat: float = HGS_LAT,
        size: float = 0.002,
        community: str = "huaguoshan",
        workers=("worker-1",),
        headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        response = client.post(
            "/cells",
            json={
                "code": code,
                "community": community,
                "name": f"Cell {code}",
                "boundary": square(lon, lat, size),
                "workers": list(workers),
            },
            headers=headers or staff,
        )
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    return make


@pytest.fixture
def report(client, resident):
    def make(headers: dict[str, str] | None = None, **fields: Any) -> Any:
        body = {
            "community": "huaguoshan",
            "category": "hazard_fire",
            "description": "Blocked fire exit on floor 3",
            "lon": HGS_LON + 0.001,
            "lat": HGS_LAT + 0.001,
            **fields,
        }
        return client.post("/cases", json=body, headers=headers or resident)

    return make


# -- information collection ------------------------------------------------------------

ID_NUMBER = "44030519900101123X"
NAME, PHONE = "陈美玲", "13812345678"


@pytest.fixture
def household(client, make_cell, worker):
    make_cell("HGS-01")
    building = client.post(
        "/buildings",
        json={"cell_code": "HGS-01", "address": "花果山大厦 A 座", "floors": 18, "use": "residential"},
        headers=worker,
    )
    assert building.status_code == 201
    household = client.post(
        "/households",
        json={"building_id": building.get_json()["id"], "unit": "12B", "tenure": "rented"},
        headers=worker,
    )
    assert household.status_code == 201
    return household.get_json()


def person_body(household, **fields):
    return {
        "household_id": household["id"],
        "name": NAME,
        "id_number": ID_NUMBER,
        "phone": PHONE,
        "residency": "floating",
        "special_care": ["elderly_alone"],
        **fields,
    }


@pytest.fixture
def person(client, household, worker):
    response = client.post("/persons", json=person_body(household), headers=worker)
    assert response.status_code == 201, response.get_json()
    return response.get_json()
