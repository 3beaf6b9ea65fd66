"""Cell boundaries: GeoJSON polygon validation, overlaps within a community, point lookup."""

import pytest

from services.grid.usecases import geometry
from services.grid.usecases.geometry import CellIndex, CellRef, InvalidBoundary, parse_boundary
from tests.unit.grid.conftest import square

LON, LAT = 113.91, 22.49


def polygon(*rings):
    return {"type": "Polygon", "coordinates": [list(map(list, r)) for r in rings]}


def test_a_square_is_a_valid_boundary_with_its_area():
    shape = parse_boundary(square(LON, LAT, 0.002))
    assert shape.is_valid
    # 0.002° × 0.002° at 22.49°N ≈ 205.7 m × 222.4 m
    assert geometry.area_m2(shape) == pytest.approx(205.7 * 222.4, rel=0.01)


def test_a_clockwise_ring_is_accepted_and_oriented_counter_clockwise():
    clockwise = polygon(
        [(LON, LAT), (LON, LAT + 0.001), (LON + 0.001, LAT + 0.001), (LON + 0.001, LAT), (LON, LAT)]
    )
    assert parse_boundary(clockwise).exterior.is_ccw


def test_a_hole_is_allowed():
    outer = [(LON, LAT), (LON + 0.004, LAT), (LON + 0.004, LAT + 0.004), (LON, LAT + 0.004), (LON, LAT)]
    hole = [
        (LON + 0.001, LAT + 0.001),
        (LON + 0.002, LAT + 0.001),
        (LON + 0.002, LAT + 0.002),
        (LON + 0.001, LAT + 0.001),
    ]
    assert len(parse_boundary(polygon(outer, hole)).interiors) == 1


@pytest.mark.parametrize(
    ("boundary", "message"),
    [
        ({"type": "Point", "coordinates": [LON, LAT]}, '"type": "Polygon"'),
        ({"type": "Polygon"}, "non-empty list of rings"),
        ({"type": "Polygon", "coordinates": []}, "non-empty list of rings"),
        (
            {"type": "Polygon", "coordinates": [[[LON, LAT], [LON + 0.001, LAT], [LON, LAT]]]},
            "has 3 positions; a ring needs at least 4",
        ),
        (
            {
                "type": "Polygon",
                "coordinates": [
                    [[LON, LAT], [LON + 0.001, LAT], [LON + 0.001, LAT + 0.001], [LON, LAT + 0.001]]
                ],
            },
            "not closed",
        ),
        (
            {"type": "Polygon", "coordinates": [[[LON, LAT], [200, LAT], [LON, 22.5], [LON, LAT]]]},
            "outside WGS 84",
        ),
        (
            {"type": "Polygon", "coordinates": [[[LON, LAT], ["x", LAT], [LON, 22.5], [LON, LAT]]]},
            "other than numbers",
        ),
        (
            {"type": "Polygon", "coordinates": [[[LON, LAT], [LON], [LON, 22.5], [LON, LAT]]]},
            "not a [longitude, latitude] position",
        ),
        (
            {
                "type": "Polygon",
                "coordinates": [
                    [
                        [LON, LAT],
                        [LON + 0.001, LAT + 0.001],
                        [LON + 0.001, LAT],
                        [LON, LAT + 0.001],
                        [LON, LAT],
                    ]
                ],
            },
            "Self-intersection",
        ),
        (
            {
                "type": "Polygon",
                "coordinates": [
                    [[LON, LAT], [LON + 0.5, LAT], [LON + 0.5, LAT + 0.5], [LON, LAT], [LON, LAT]]
                ],
            },
            "spans more than",
        ),
        (
            {
                "type": "Polygon",
                "coordinates": [[[LON, LAT], [LON + 0.001, LAT], [LON + 0.002, LAT], [LON, LAT]]],
            },
            "Self-intersection",
        ),  # a degenerate (zero-area) ring
        ({**square(LON, LAT), "crs": "EPSG:4326"}, "unexpected member(s) crs"),
    ],
)
def test_invalid_boundaries_are_refused_with_the_reason(boundary, message):
    with pytest.raises(InvalidBoundary) as refused:
        parse_boundary(boundary)
    assert message in refused.value.errors["boundary"][0]
    assert refused.value.problem_status == 422


def test_neighbours_sharing_a_border_do_not_overlap():
    left = parse_boundary(square(LON, LAT, 0.002))
    right = parse_boundary(square(LON + 0.002, LAT, 0.002))
    assert geometry.overlaps(right, [("HGS-01", left)]) == {}


def test_an_overlap_within_the_tolerance_is_accepted():
    left = parse_boundary(square(LON, LAT, 0.002))
    # a sliver 0.0000002° wide (~2 cm) along a 222 m border: ≈ 4.6 m²
    sliver = parse_boundary(square(LON + 0.0019998, LAT, 0.002))
    assert geometry.overlaps(sliver, [("HGS-01", left)]) == {}


def test_an_overlap_beyond_the_tolerance_is_reported_in_square_metres():
    left = parse_boundary(square(LON, LAT, 0.002))
    half = parse_boundary(square(LON + 0.001, LAT, 0.002))
    found = geometry.overlaps(half, [("HGS-01", left)])
    assert list(found) == ["HGS-01"]
    assert found["HGS-01"] == pytest.approx(102.9 * 222.4, rel=0.01)


def index_of(*cells):
    return CellIndex(
        [
            (CellRef(code, code, community), parse_boundary(square(lon, lat)))
            for code, community, lon, lat in cells
        ]
    )


def test_a_point_is_located_in_its_cell():
    index = index_of(("A", "huaguoshan", LON, LAT), ("B", "huaguoshan", LON + 0.002, LAT))
    assert index.locate(LON + 0.001, LAT + 0.001).code == "A"
    assert index.locate(LON + 0.003, LAT + 0.001).code == "B"


def test_a_point_outside_every_cell_is_none():
    index = index_of(("A", "huaguoshan", LON, LAT))
    assert index.locate(LON + 0.01, LAT) is None
    assert CellIndex([]).locate(LON, LAT) is None


def test_a_point_on_a_shared_border_goes_to_the_smaller_code():
    index = index_of(("B", "huaguoshan", LON + 0.002, LAT), ("A", "huaguoshan", LON, LAT))
    assert index.locate(LON + 0.002, LAT + 0.001).code == "A"


def test_lookup_can_be_limited_to_one_community():
    index = index_of(("A", "huaguoshan", LON, LAT), ("C", "chiwan", LON, LAT))
    assert index.locate(LON + 0.001, LAT + 0.001, "chiwan").code == "C"
    assert index.locate(LON + 0.001, LAT + 0.001, "haiyue") is None
